// SPDX-License-Identifier: MIT
#pragma once

// The networks the loader is fuzzed with, shared by the fuzz target and the program that
// writes the seed corpus.

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/bias.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

namespace fuzz {

/// The lecture's network: fixed 2-2-2, double, shared biases.
using lecture_net =
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, double, ffn::shared_bias>,
                 ffn::dense<2, 2, ffn::sigmoid, double, ffn::shared_bias>>;

/// Float, a fully dynamic layer (whose sizes a file may change) and a layer with a fixed
/// number of units and no biases.
using dynamic_net = ffn::network<ffn::half_squared_error,
                                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, float>,
                                 ffn::dense<Eigen::Dynamic, 3, ffn::sigmoid, float, ffn::no_bias>>;

inline lecture_net make_lecture_net() {
    lecture_net net;
    net.layer<0>().weights() << 0.1, 0.3, 0.2, 0.4;
    net.layer<0>().bias() << 0.25;
    net.layer<1>().weights() << 0.5, 0.6, 0.7, 0.8;
    net.layer<1>().bias() << 0.35;
    return net;
}

inline dynamic_net make_dynamic_net(Eigen::Index inputs = 4, Eigen::Index hidden = 5) {
    dynamic_net net({inputs, hidden, 3});
    net.layer<0>().weights().setConstant(0.5F);
    net.layer<0>().bias().setConstant(-0.25F);
    net.layer<1>().weights().setConstant(0.125F);
    return net;
}

} // namespace fuzz
