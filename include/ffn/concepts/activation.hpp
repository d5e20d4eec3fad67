// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The activation contract.
///
/// An activation turns a layer's weighted sums into its outputs, column by column (one column
/// per sample). It comes in one of two kinds.
///
/// **Element-wise** (sigmoid, tanh, relu, ...): each output depends on its own sum only. The
/// type provides
/// - `static constexpr std::string_view name`, used in messages and saved files;
/// - `a.value(sum)`: the outputs, as an expression over the Eigen array `sum`;
/// - `a.derivative(sum, output)`: \f$\partial output / \partial sum\f$ element by element, as
///   an expression. Both the sum and the output are given, so that a derivative that is
///   cheaper from the output (the sigmoid's \f$out(1 - out)\f$) can use it.
///
/// **Vector-valued** (softmax): an output depends on the whole column. The type provides
/// `name` and
/// - `a.forward(sum, output)`: writes the outputs into the matrix `output`;
/// - `a.backward(sum, output, signal)`: on entry `signal` holds
///   \f$\partial E / \partial output\f$, on return \f$\partial E / \partial sum\f$ (the product
///   with the transposed Jacobian, column by column). `signal` is updated in place.
///
/// There is no default derivative: an activation that does not state its own is rejected.
/// The functions are `const` members so that an activation may carry a setting (the slope of
/// a leaky relu); they must not change any state.
///
/// **Optional**: `static constexpr std::string_view derivative_notation`, the derivative
/// \f$\partial output / \partial sum\f$ written as the lecture writes it, in terms of `sum`
/// and `out` (the sigmoid's is `"out(1 - out)"`, the relu's `"(sum > 0 ? 1 : 0)"`; a
/// vector-valued activation gives the Jacobian entry \f$\partial out_k / \partial sum_j\f$).
/// It is text for explaining gradients to a reader; nothing computes with it. Every
/// activation in ffn has one.

#include <concepts>
#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include "ffn/concepts/scalar.hpp"

namespace ffn {

namespace detail {
template <class Scalar>
using probe_array = Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <class Scalar>
using probe_matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
} // namespace detail

/// An activation applied to each weighted sum on its own; see the file comment.
// clang-format off
template <class A>
concept elementwise_activation =
    std::copy_constructible<A> &&
    requires(const A a, const detail::probe_array<double>& sum,
             const detail::probe_array<double>& output) {
        { A::name } -> std::convertible_to<std::string_view>;
        a.value(sum);
        a.derivative(sum, output);
    };

/// An activation whose outputs depend on the whole column (softmax); see the file comment.
template <class A>
concept vector_activation =
    std::copy_constructible<A> &&
    requires(const A a, const detail::probe_matrix<double>& sum,
             detail::probe_matrix<double>& output, detail::probe_matrix<double>& signal) {
        { A::name } -> std::convertible_to<std::string_view>;
        a.forward(sum, output);
        a.backward(sum, sum, signal);
    };

/// An activation policy: element-wise or vector-valued. The first clause states what every
/// activation needs, so that a type missing it is told so by name; the second, which kind
/// it is.
template <class A>
concept activation =
    std::copy_constructible<A> &&
    requires { { A::name } -> std::convertible_to<std::string_view>; } &&
    (elementwise_activation<A> /* value(sum) and derivative(sum, output) */ ||
     vector_activation<A> /* forward(sum, output) and backward(sum, output, signal) */);
// clang-format on

namespace detail {

/// The `Activation` of a `dense<In, Out>` written without one.
struct no_activation {};

/// Whether `A` is an activation. When not, a `static_assert` names what is missing (the
/// compiler shows `A` beside it), so that a mistake is reported as ffn's own message, first.
template <class A>
constexpr bool check_activation() {
    using array = probe_array<double>;
    constexpr bool named = requires {
        { A::name } -> std::convertible_to<std::string_view>;
    };
    constexpr bool has_value = requires(const A a, const array& sum) { a.value(sum); };
    constexpr bool has_derivative = requires(const A a, const array& sum) {
        a.derivative(sum, sum);
    };
    constexpr bool has_forward =
        requires(const A a, const probe_matrix<double>& sum, probe_matrix<double>& output) {
        a.forward(sum, output);
    };
    if constexpr (activation<A>) {
        return true;
    } else if constexpr (std::is_same_v<A, no_activation>) {
        static_assert(always_false<A>,
                      "ffn::dense<In, Out, Activation>: the layer needs an activation, for "
                      "example ffn::dense<2, 3, ffn::sigmoid> (ffn::identity for none).");
    } else if constexpr (!named) {
        static_assert(always_false<A>, "ffn: the activation has no `static constexpr "
                                       "std::string_view name` (see concepts/activation.hpp).");
    } else if constexpr (!std::copy_constructible<A>) {
        static_assert(always_false<A>, "ffn: the activation must be copy-constructible.");
    } else if constexpr (has_value && !has_derivative) {
        static_assert(always_false<A>,
                      "ffn: the activation has value(sum) but no derivative(sum, output): an "
                      "elementwise activation states its own derivative (see "
                      "concepts/activation.hpp).");
    } else if constexpr (has_derivative && !has_value) {
        static_assert(always_false<A>,
                      "ffn: the activation has derivative(sum, output) but no value(sum): an "
                      "elementwise activation needs both (see concepts/activation.hpp).");
    } else if constexpr (has_forward) {
        static_assert(always_false<A>,
                      "ffn: the activation has forward(sum, output) but no backward(sum, "
                      "output, signal): a vector activation needs both (see "
                      "concepts/activation.hpp).");
    } else {
        static_assert(always_false<A>,
                      "ffn: the activation has neither value(sum) and derivative(sum, output) "
                      "(elementwise) nor forward(sum, output) and backward(sum, output, "
                      "signal) (see concepts/activation.hpp).");
    }
    return false;
}

/// `t.output = f(t.sum)` for a layer's trace `t` (sized already). Does nothing for a type that
/// is not an activation, which `check_activation` has reported: no second error.
template <class A, class Trace>
void activate(const A& a, Trace& t) {
    if constexpr (elementwise_activation<A>) {
        t.output.array() = a.value(t.sum.array());
    } else if constexpr (vector_activation<A>) {
        a.forward(t.sum, t.output);
    }
}

/// Turns `t.error_signal` from \f$\partial E / \partial output\f$ into
/// \f$\partial E / \partial sum\f$, in place (the chain rule through the activation).
template <class A, class Trace>
void activate_backward(const A& a, Trace& t) {
    if constexpr (elementwise_activation<A>) {
        t.error_signal.array() *= a.derivative(t.sum.array(), t.output.array());
    } else if constexpr (vector_activation<A>) {
        a.backward(t.sum, t.output, t.error_signal);
    }
}

} // namespace detail

} // namespace ffn
