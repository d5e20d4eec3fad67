// SPDX-License-Identifier: MIT
#pragma once

// The networks the loader is fuzzed with, shared by the fuzz target and the program that
// writes the seed corpus.

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/bias.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

#include "../lecture/lecture_net.hpp"

namespace fuzz {

/// The lecture's network: fixed 2-2-2, double, shared biases.
using lecture_net = lecture::network<double>;

/// Float, a fully dynamic layer (whose sizes a file may change) and a layer with a fixed
/// number of units and no biases.
using dynamic_net = ffn::network<ffn::half_squared_error,
                                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, float>,
                                 ffn::dense<Eigen::Dynamic, 3, ffn::sigmoid, float, ffn::no_bias>>;

inline lecture_net make_lecture_net() { return lecture::make_network<double>(); }

inline dynamic_net make_dynamic_net(Eigen::Index inputs = 4, Eigen::Index hidden = 5) {
    dynamic_net net({inputs, hidden, 3});
    net.layer<0>().weights().setConstant(0.5F);
    net.layer<0>().bias().setConstant(-0.25F);
    net.layer<1>().weights().setConstant(0.125F);
    return net;
}

} // namespace fuzz
