// SPDX-License-Identifier: MIT
// What the float_* sources share: a double network with its workspace and gradients, data of
// the network's scalar type (x), and data of `data_scalar` (float unless the control build).
#pragma once

#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using data_scalar = double;
#else
using data_scalar = float;
#endif

namespace float_data {

using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 3, ffn::sigmoid>,
                              ffn::dense<3, 2, ffn::sigmoid>>;
using data_matrix = Eigen::Matrix<data_scalar, Eigen::Dynamic, Eigen::Dynamic>;

struct setup {
    net_type net;
    ffn::workspace<net_type, Eigen::Dynamic> ws;
    ffn::gradients<net_type> grads{net};
    data_matrix data = data_matrix::Zero(2, 4);
    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(2, 4);
};

} // namespace float_data
