// SPDX-License-Identifier: MIT
// Float data given to ffn::fit for a double network: ffn names the mismatch, before Eigen's own message.
// first error: ffn::fit: the inputs' and targets' scalar types must be the network's scalar type
// expect: ffn::fit: the inputs' and targets' scalar types must be the network's scalar type
#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using data_scalar = double;
#else
using data_scalar = float;
#endif

int main() {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 3, ffn::sigmoid>,
                                  ffn::dense<3, 2, ffn::sigmoid>>;
    net_type net;
    ffn::workspace<net_type, Eigen::Dynamic> ws;
    ffn::gradients<net_type> grads(net);
    const Eigen::Matrix<data_scalar, Eigen::Dynamic, Eigen::Dynamic> data =
        Eigen::Matrix<data_scalar, Eigen::Dynamic, Eigen::Dynamic>::Zero(2, 4);
    const Eigen::MatrixXd x = Eigen::MatrixXd::Zero(2, 4);
    static_cast<void>(grads);
    static_cast<void>(x);
    ffn::sgd optimizer(net, 0.1);
    const auto history = ffn::fit(net, optimizer, data, data);
    return static_cast<int>(history.epochs.size());
}
