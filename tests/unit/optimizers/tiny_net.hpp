// SPDX-License-Identifier: MIT
#pragma once

// A tiny network whose parameters and gradients the optimizer tests set by hand: two layers,
// four parameter tensors (2x2 weights, 2 biases, 1x2 weights, 1 bias).

#include <cmath>
#include <cstddef>
#include <string_view>

#include <catch2/catch.hpp>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

namespace tiny {

template <class Scalar, Eigen::Index Size>
using network =
    ffn::network<ffn::half_squared_error, ffn::dense<Size, Size, ffn::sigmoid, Scalar>,
                 ffn::dense<Size, (Size == Eigen::Dynamic ? Size : 1), ffn::sigmoid, Scalar>>;

using fixed_float = network<float, 2>;
using fixed_double = network<double, 2>;
using dynamic_float = network<float, Eigen::Dynamic>;
using dynamic_double = network<double, Eigen::Dynamic>;

/// The network with every parameter (weights and biases) set to `value`.
template <class Net>
Net make(double value = 1.0) {
    Net net = [] {
        if constexpr (Net::input_size == Eigen::Dynamic) {
            return Net({2, 2, 1});
        } else {
            return Net();
        }
    }();
    net.visit_tensors([value](std::size_t, std::string_view, auto& tensor, bool) {
        tensor.setConstant(static_cast<typename Net::scalar_type>(value));
    });
    return net;
}

/// Sets every gradient of every tensor to `value`.
template <class Net>
void set_gradients(const Net& net, ffn::gradients<Net>& grads, double value) {
    net.visit_tensors(
        [value](std::size_t, std::string_view, const auto&, bool, auto& g) {
            g.setConstant(static_cast<typename Net::scalar_type>(value));
        },
        grads);
}

/// Relative tolerance for hand-computed values: float keeps about 7 digits.
template <class Net>
constexpr double tolerance = sizeof(typename Net::scalar_type) == sizeof(float) ? 2e-6 : 1e-13;

/// Checks that every parameter of every trainable tensor equals `expected`, and every frozen
/// one `frozen_value`.
template <class Net>
void check_all(const Net& net, double expected, double frozen_value = 1.0) {
    net.visit_tensors(
        [&](std::size_t layer, std::string_view name, const auto& tensor, bool trainable) {
            const double want = trainable ? expected : frozen_value;
            for (Eigen::Index i = 0; i < tensor.size(); ++i) {
                INFO("layer " << layer << " " << name << "(" << i << ")");
                CHECK(static_cast<double>(tensor.coeff(i)) == Approx(want).epsilon(tolerance<Net>));
            }
        });
}

} // namespace tiny
