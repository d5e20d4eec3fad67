// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// What the optimizers and schedules share: checking settings and the shapes of a step's
/// gradients and state.

#include <cmath>
#include <concepts>
#include <cstddef>
#include <stdexcept>
#include <type_traits>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ffn/detail/format.hpp"
#include "ffn/errors.hpp"

namespace ffn::detail {

/// The range a setting must lie in.
enum class setting_range {
    positive,     ///< \f$(0, \infty)\f$
    non_negative, ///< \f$[0, \infty)\f$
    below_one,    ///< \f$[0, 1)\f$
    unit,         ///< \f$[0, 1]\f$
    up_to_one,    ///< \f$(0, 1]\f$
};

[[nodiscard]] inline const char* describe(setting_range range) noexcept {
    switch (range) {
    case setting_range::positive:
        return "positive and finite";
    case setting_range::non_negative:
        return "non-negative and finite";
    case setting_range::below_one:
        return "in [0, 1)";
    case setting_range::unit:
        return "in [0, 1]";
    case setting_range::up_to_one:
        return "in (0, 1]";
    }
    return "valid";
}

template <class T>
[[nodiscard]] bool in_range(T value, setting_range range) noexcept {
    switch (range) {
    case setting_range::positive:
        return value > 0 && std::isfinite(value);
    case setting_range::non_negative:
        return value >= 0 && std::isfinite(value);
    case setting_range::below_one:
        return value >= 0 && value < 1;
    case setting_range::unit:
        return value >= 0 && value <= 1;
    case setting_range::up_to_one:
        return value > 0 && value <= 1;
    }
    return false;
}

/// `value` converted to `Scalar`, after checking that both it and the converted value lie in
/// `range` (a setting valid in double can leave it in float: a beta of 0.99999999 rounds to
/// 1, an epsilon of 1e-50 to 0). Rejects NaN.
/// @throws std::invalid_argument naming `where` and `setting` otherwise.
template <class Scalar, class T>
[[nodiscard]] Scalar checked_setting(std::string_view where, std::string_view setting, T value,
                                     setting_range range) {
    const auto converted = static_cast<Scalar>(value);
    if (!in_range(value, range)) {
        detail::raise<std::invalid_argument>(message() << where << ": " << setting << " must be "
                                                       << describe(range) << ", got "
                                                       << static_cast<double>(value));
    }
    if (!in_range(converted, range)) {
        detail::raise<std::invalid_argument>(
            message() << where << ": " << setting << " must be " << describe(range) << ", but "
                      << static_cast<double>(value) << " becomes " << static_cast<double>(converted)
                      << " in the network's scalar type");
    }
    return converted;
}

/// Throws if `like` (a gradient or a state tensor) does not have `tensor`'s shape. Builds no
/// string unless it throws.
template <class Tensor, class Like>
void check_like(std::string_view where, std::size_t layer, std::string_view name,
                const Tensor& tensor, const Like& like, bool is_gradient) {
    if (like.rows() == tensor.rows() && like.cols() == tensor.cols()) {
        return;
    }
    const auto shape = [](const auto& m) {
        return std::to_string(m.rows()) + "x" + std::to_string(m.cols());
    };
    std::string message = std::string(where) + ": layer " + std::to_string(layer) + " " +
                          std::string(name) + ": the " +
                          (is_gradient ? "gradient" : "optimizer's state") + " is " + shape(like) +
                          " but the tensor is " + shape(tensor);
    message += is_gradient ? "; pass gradients that a backward pass of this network filled"
                           : "; the optimizer was made for a network of another shape";
    detail::raise(std::invalid_argument(message));
}

/// Whether `Net` is an `ffn::network` whose type fixes every tensor's shape (see
/// `network::fixed_size`).
template <class Net>
concept fixed_size_network = requires {
    {
        std::bool_constant<Net::fixed_size> {}
        } -> std::same_as<std::true_type>;
};

/// Checks, before a step changes anything, that the gradients and every state object have
/// the shapes of `net`'s trainable tensors. A few integer comparisons when they do.
/// @throws std::invalid_argument naming `where`, the layer and the tensor otherwise.
template <class Net, class Gradients, class... States>
void check_step_shapes(std::string_view where, const Net& net, const Gradients& grads,
                       const States&... states) noexcept(fixed_size_network<Net>) {
    if constexpr (fixed_size_network<Net>) {
        // Gradients and states of a fixed-size network have the shapes its type gives.
        static_cast<void>(where);
        static_cast<void>(net);
        static_cast<void>(grads);
        (static_cast<void>(states), ...);
    } else {
        if constexpr (requires { net.check_shapes(where); }) {
            net.check_shapes(where); // refuses an empty network
        }
        net.visit_tensors(
            [where](std::size_t layer, std::string_view name, const auto& tensor, bool trainable,
                    const auto& grad, const auto&... state) {
                if (!trainable) {
                    return;
                }
                check_like(where, layer, name, tensor, grad, true);
                (check_like(where, layer, name, tensor, state, false), ...);
            },
            grads, states...);
    }
}

} // namespace ffn::detail
