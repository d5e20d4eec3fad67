// SPDX-License-Identifier: MIT
#pragma once

// The lecture's 2-2-2 sigmoid network, its sample and the truncation check its printed
// numbers call for.

#include <cmath>
#include <iomanip>

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>

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
