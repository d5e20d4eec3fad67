// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The loss contract.
///
/// A loss measures how far a batch of network outputs is from its targets (both matrices
/// with one column per sample). The type provides
/// - `static constexpr std::string_view name`;
/// - `l.value(output, target)`: the loss of the batch, a scalar. Every loss in ffn reduces over
///   the batch by the mean of the per-sample losses, so the value does not grow with the batch
///   size; how it reduces over the outputs of one sample is the loss's own definition;
/// - `l.gradient(output, target)`: \f$\partial E / \partial output\f$ of that value, as an
///   expression of the same shape as `output` (it carries the \f$1/batch\f$ factor).
///
/// A loss may also provide, for a particular output activation, a fused pair
/// `l.value_from_sum(a, sum, target)` and `l.error_signal(a, sum, output, target)` that
/// compute the loss from the weighted sums and \f$\partial E / \partial sum\f$ directly
/// (softmax with cross-entropy gives \f$p - y\f$). The network uses them when they exist,
/// because they stay finite where the two-step product would overflow.
///
/// **Optional**:
/// - `static constexpr std::string_view gradient_notation`: \f$\partial E / \partial out\f$
///   for one sample, written as the lecture writes it (`"out - target"` for its loss); `n`
///   stands for the number of outputs. Over a batch every loss also divides by the batch
///   size. Text for explaining gradients; nothing computes with it. Every loss in ffn has one.
/// - `static constexpr std::string_view error_signal_notation`: for a loss with a fused form,
///   \f$\partial E / \partial sum\f$ of the output layer for one sample, in the same style.
/// - a member class template `check_output_layer<OutputLayer>`: `ffn::network` instantiates
///   it with its last layer at the top of its body, so that its `static_assert`s refuse an
///   output layer the loss cannot work with (cross-entropy needs outputs that are
///   probabilities) before anything else is compiled.

#include <concepts>
#include <string_view>

#include <Eigen/Core>

#include "ffn/concepts/activation.hpp"

namespace ffn {

/// A loss policy; see the file comment.
// clang-format off
template <class L>
concept loss = std::copy_constructible<L> &&
               requires(const L l, const detail::probe_matrix<double>& output,
                        const detail::probe_matrix<double>& target) {
                   { L::name } -> std::convertible_to<std::string_view>;
                   { l.value(output, target) } -> std::convertible_to<double>;
                   l.gradient(output, target);
               };

/// True when loss `L` has a fused form for the output activation `A`.
template <class L, class A>
concept fused_with = requires(const L l, const A a, const detail::probe_matrix<double>& sum,
                              const detail::probe_matrix<double>& target) {
    { l.value_from_sum(a, sum, target) } -> std::convertible_to<double>;
    l.error_signal(a, sum, sum, target);
};
// clang-format on

namespace detail {

/// Whether `L` is a loss. When not, a `static_assert` names what is missing (the compiler
/// shows `L` beside it): the first template argument of `ffn::network` is the loss.
template <class L>
constexpr bool check_loss() {
    using matrix = probe_matrix<double>;
    constexpr bool named = requires {
        { L::name } -> std::convertible_to<std::string_view>;
    };
    constexpr bool has_value = requires(const L l, const matrix& output, const matrix& target) {
        { l.value(output, target) } -> std::convertible_to<double>;
    };
    constexpr bool has_gradient = requires(const L l, const matrix& output, const matrix& target) {
        l.gradient(output, target);
    };
    constexpr bool looks_like_layer = requires {
        L::input_size;
        L::output_size;
        typename L::gradient_type;
    };
    if constexpr (loss<L>) {
        return true;
    } else if constexpr (looks_like_layer) {
        static_assert(always_false<L>,
                      "ffn::network<Loss, Layers...>: the first template argument is the loss "
                      "(ffn::half_squared_error, ffn::categorical_cross_entropy, ...), then the "
                      "layers; this network's first argument is a layer.");
    } else if constexpr (!named) {
        static_assert(always_false<L>, "ffn: the loss has no `static constexpr std::string_view "
                                       "name` (see concepts/loss.hpp).");
    } else if constexpr (!has_value) {
        static_assert(always_false<L>, "ffn: the loss has no value(output, target) giving a "
                                       "number (see concepts/loss.hpp).");
    } else if constexpr (!has_gradient) {
        static_assert(always_false<L>,
                      "ffn: the loss has no gradient(output, target): a loss states its own "
                      "gradient with respect to the output (see concepts/loss.hpp).");
    } else {
        static_assert(always_false<L>, "ffn: the loss must be copy-constructible.");
    }
    return false;
}

} // namespace detail

} // namespace ffn
