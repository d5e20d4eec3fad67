// SPDX-License-Identifier: MIT
// ffn::workspace<Net> holds batches of one sample; a fixed batch of 4 needs
// ffn::workspace<Net, 4>. ffn refuses the mismatch, naming both counts.
// first error: ffn::network: the batch has a fixed number of columns
// expect: ffn::network: the batch has a fixed number of columns (samples) that differs from the batch of the workspace
// expect: check_batch_columns<4, 1>
#include <ffn/ffn.hpp>

int main() {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid>,
                                  ffn::dense<2, 2, ffn::sigmoid>>;
    const net_type net;
#ifdef FFN_COMPILE_FAIL_CONTROL
    ffn::workspace<net_type, 4> ws;
#else
    ffn::workspace<net_type> ws;
#endif
    const Eigen::Matrix<double, 2, 4> x = Eigen::Matrix<double, 2, 4>::Constant(0.5);
    return net.forward(x, ws)(0, 0) > 0 ? 0 : 1;
}
