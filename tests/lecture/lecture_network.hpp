// SPDX-License-Identifier: MIT
#pragma once

// The lecture's network after one training step, every intermediate kept, and the truncation
// check its printed numbers call for.

#include <cmath>
#include <iomanip>

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>

#include "lecture_net.hpp"

namespace lecture {

/// One forward pass, one backward pass and one SGD step at learning rate 0.6, with every
/// intermediate kept.
template <class Scalar>
struct pass {
    network<Scalar> net = make_network<Scalar>();
    network<Scalar> before = net;
    ffn::workspace<network<Scalar>> ws;
    ffn::gradients<network<Scalar>> grads;
    Scalar e_total{};

    pass() {
        net.forward(input<Scalar>(), ws);
        e_total = net.loss(ws, target<Scalar>());
        net.backward(ws, target<Scalar>(), grads);
        ffn::sgd opt(net, Scalar(0.6));
        opt.step(net, grads);
    }

    const auto& hidden() const { return ws.template layer<0>(); }
    const auto& out() const { return ws.template layer<1>(); }
    /// dE/doutput of the network, from the loss policy.
    vector2<Scalar> output_gradient() const {
        return net.loss_function().gradient(ws.output(), target<Scalar>());
    }
    /// dout/dsum of layer I, from its activation policy.
    template <std::size_t I>
    vector2<Scalar> derivative() const {
        const auto& t = ws.template layer<I>();
        return before.template layer<I>()
            .activation()
            .derivative(t.sum.array(), t.output.array())
            .matrix();
    }
};

} // namespace lecture

/// The lecture prints values truncated (not rounded) to five decimals: a printed L >= 0 stands
/// for a value in [L, L + 1e-5), a printed L < 0 for one in (L - 1e-5, L]. 1e-12 allows for
/// rounding in the last bits of a double.
#define CHECK_TRUNCATED(value, printed)                                                            \
    do {                                                                                           \
        const double v_ = static_cast<double>(value);                                              \
        const double l_ = (printed);                                                               \
        INFO("computed " << std::setprecision(17) << v_ << ", lecture prints " << l_);             \
        if (l_ >= 0) {                                                                             \
            CHECK(v_ >= l_ - 1e-12);                                                               \
            CHECK(v_ < l_ + 1e-5);                                                                 \
        } else {                                                                                   \
            CHECK(v_ > l_ - 1e-5);                                                                 \
            CHECK(v_ <= l_ + 1e-12);                                                               \
        }                                                                                          \
    } while (false)
