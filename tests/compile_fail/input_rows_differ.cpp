// SPDX-License-Identifier: MIT
// A fixed-size input must have one row per input of the network: a 3-vector into the
// lecture's 2-input network is refused by ffn, naming both sizes, before Eigen's own message.
// first error: ffn::network: the input (or target) has a fixed number of rows
// expect: ffn::network: the input (or target) has a fixed number of rows that differs from the network's inputs (or outputs)
// expect: check_matrix_rows<3, 2>
#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using input_type = Eigen::Vector2d;
#else
using input_type = Eigen::Vector3d;
#endif

int main() {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid>,
                                  ffn::dense<2, 2, ffn::sigmoid>>;
    const net_type net;
    ffn::workspace<net_type> ws;
    const input_type x = input_type::Constant(0.5);
    return net.forward(x, ws)(0) > 0 ? 0 : 1;
}
