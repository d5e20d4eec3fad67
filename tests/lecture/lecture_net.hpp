// SPDX-License-Identifier: MIT
#pragma once

// The lecture's 2-2-2 sigmoid network with its starting weights, its input and its target,
// for every test program (no test framework needed).

#include <Eigen/Core>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/bias.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

namespace lecture {

template <class Scalar>
using network =
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, Scalar, ffn::shared_bias>,
                 ffn::dense<2, 2, ffn::sigmoid, Scalar, ffn::shared_bias>>;

template <class Scalar>
using vector2 = Eigen::Matrix<Scalar, 2, 1>;

/// The lecture's starting weights w1..w8 and biases b1 = 0.25, b2 = 0.35 (biases frozen: the
/// lecture updates weights only).
template <class Scalar>
network<Scalar> make_network() {
    network<Scalar> net;
    net.template layer<0>().weights() << Scalar(0.1), Scalar(0.3), Scalar(0.2), Scalar(0.4);
    net.template layer<0>().bias() << Scalar(0.25);
    net.template layer<1>().weights() << Scalar(0.5), Scalar(0.6), Scalar(0.7), Scalar(0.8);
    net.template layer<1>().bias() << Scalar(0.35);
    net.template layer<0>().freeze_bias();
    net.template layer<1>().freeze_bias();
    return net;
}

template <class Scalar>
vector2<Scalar> input() {
    return {Scalar(0.1), Scalar(0.5)};
}

template <class Scalar>
vector2<Scalar> target() {
    return {Scalar(0.05), Scalar(0.95)};
}

} // namespace lecture
