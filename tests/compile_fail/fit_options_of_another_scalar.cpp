// SPDX-License-Identifier: MIT
// ffn::fit takes options of the network's own scalar type.
// expect: ffn::fit: the options' scalar type must be the network's scalar type
#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using options_scalar = double;
#else
using options_scalar = float;
#endif

int main() {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, double>,
                                  ffn::dense<2, 2, ffn::sigmoid, double>>;
    net_type net;
    ffn::sgd optimizer(net, 0.1);
    const Eigen::MatrixXd x = Eigen::MatrixXd::Zero(2, 4);
    const auto history = ffn::fit(net, optimizer, x, x, ffn::fit_options<options_scalar>{});
    return static_cast<int>(history.epochs.size());
}
