// SPDX-License-Identifier: MIT
#pragma once

// The networks the loader is fuzzed with, shared by the fuzz target and the program that
// writes the seed corpus.

#include <ffn/activations/relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/batch_norm.hpp>
#include <ffn/layers/bias.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/layers/dropout.hpp>
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

/// Double, the layers with settings and counters of their own (format version 3), with
/// dynamic sizes: a leading dropout, which a loader sizes from the next layer's inputs, a
/// batch normalisation whose four tensors a file may resize (and make disagree), and a dropout
/// sized from the layer before it.
using norm_net =
    ffn::network<ffn::half_squared_error, ffn::dropout<Eigen::Dynamic>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::relu>,
                 ffn::batch_norm<Eigen::Dynamic, ffn::relu>, ffn::dropout<Eigen::Dynamic>,
                 ffn::dense<Eigen::Dynamic, 2, ffn::sigmoid>>;

inline lecture_net make_lecture_net() { return lecture::make_network<double>(); }

inline dynamic_net make_dynamic_net(Eigen::Index inputs = 4, Eigen::Index hidden = 5) {
    dynamic_net net({inputs, hidden, 3});
    net.layer<0>().weights().setConstant(0.5F);
    net.layer<0>().bias().setConstant(-0.25F);
    net.layer<1>().weights().setConstant(0.125F);
    return net;
}

/// A norm_net whose settings, running statistics and count of batches are not the defaults.
inline norm_net make_norm_net(Eigen::Index inputs = 3, Eigen::Index hidden = 4) {
    norm_net net(ffn::dropout<Eigen::Dynamic>(inputs, inputs, 0.1), {inputs, hidden},
                 {hidden, hidden, ffn::relu{}, 0.05, 1e-3},
                 ffn::dropout<Eigen::Dynamic>(hidden, hidden, 0.3), {hidden, 2});
    net.layer<1>().weights().setConstant(0.5);
    net.layer<1>().bias().setConstant(-0.25);
    net.layer<2>().weight().setConstant(1.5);
    net.layer<2>().bias().setConstant(0.125);
    net.layer<2>().running_mean().setConstant(0.75);
    net.layer<2>().running_var().setConstant(2.0);
    net.layer<2>().set_num_batches_tracked(7);
    net.layer<4>().weights().setConstant(-0.5);
    return net;
}

} // namespace fuzz
