// SPDX-License-Identifier: MIT
#pragma once
// The networks, inputs and targets of the explanation-agreement tests: 3 inputs, then tanh
// (4 units), softplus (3 units), sigmoid (2 outputs), with fixed and with dynamic sizes.

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

#include "unit/explain/policies.hpp"

namespace explain_test {

// 3 inputs, then tanh (4 units), softplus (3 units), sigmoid (2 outputs).
template <class Scalar>
struct fixed_sizes {
    using scalar = Scalar;
    using net_type =
        ffn::network<ffn::half_squared_error, ffn::dense<3, 4, tanh_activation, Scalar>,
                     ffn::dense<4, 3, softplus_activation, Scalar>,
                     ffn::dense<3, 2, ffn::sigmoid, Scalar>>;
    static net_type make() { return net_type{}; }
};

template <class Scalar>
struct dynamic_sizes {
    using scalar = Scalar;
    using net_type =
        ffn::network<ffn::half_squared_error,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, tanh_activation, Scalar>,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, softplus_activation, Scalar>,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, Scalar>>;
    static net_type make() { return net_type({3, 4, 3, 2}); }
};

template <class Scalar>
Eigen::Matrix<Scalar, 3, 3> inputs() {
    Eigen::Matrix<Scalar, 3, 3> x;
    x << Scalar(0.1), Scalar(-0.7), Scalar(0.4), Scalar(0.5), Scalar(0.2), Scalar(-0.3),
        Scalar(-0.9), Scalar(0.6), Scalar(0.8);
    return x;
}

template <class Scalar>
Eigen::Matrix<Scalar, 2, 3> targets() {
    Eigen::Matrix<Scalar, 2, 3> t;
    t << Scalar(0.05), Scalar(0.9), Scalar(0.3), Scalar(0.95), Scalar(0.2), Scalar(0.6);
    return t;
}

} // namespace explain_test
