// SPDX-License-Identifier: MIT
// A float target given to a double network's backward pass: ffn names the mismatch, before Eigen's own message.
// first error: ffn::network: the target's scalar type must be the network's scalar type
// expect: ffn::network: the target's scalar type must be the network's scalar type
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
    net.forward(x, ws);
    net.backward(ws, data, grads);
    return 0;
}
