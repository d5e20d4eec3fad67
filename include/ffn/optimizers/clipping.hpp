// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Gradient clipping with PyTorch's definitions: `ffn::clip_gradient_norm` rescales all
/// gradients together when their global L2 norm is too large (`clip_grad_norm_`),
/// `ffn::clip_gradient_value` clamps each element (`clip_grad_value_`).
///
/// Which tensors count: the trainable ones of the network given with the gradients. PyTorch
/// counts the parameters it is handed, and a frozen parameter usually has no gradient there
/// (`requires_grad = False`), so it neither counts nor changes. ffn's backward pass fills the
/// gradients of frozen tensors too; counting them would let a tensor that never moves shrink
/// the steps of those that do. So both functions take the network, skip its frozen tensors
/// and leave their gradients as they are.

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "ffn/concepts/network.hpp"
#include "ffn/detail/format.hpp"
#include "ffn/detail/optimizer.hpp"
#include "ffn/errors.hpp"

namespace ffn {

namespace detail {

/// The type the squares of a gradient are summed in: double for float (no float gradient can
/// overflow it), else the scalar type itself.
template <class Scalar>
using norm_accumulator = std::common_type_t<Scalar, double>;

/// Calls `f(gradient)` with the gradient of every trainable tensor of `net`, input side first,
/// to read or change it in place; frozen tensors' gradients are skipped (see the file comment).
/// The one walk over the gradients that the norm and the value paths share.
template <class Net, class F>
void for_each_trainable_gradient(const Net& net, typename Net::gradient_type& grads, F&& f) {
    net.visit_tensors(
        [&f](std::size_t, std::string_view, const auto&, bool trainable, auto& g) {
            if (trainable) {
                f(g);
            }
        },
        grads);
}

/// The global L2 norm of the trainable tensors' gradients, in `norm_accumulator`. Not finite
/// if a gradient element is not (or, in double, if one exceeds about 1e154).
template <class Net>
[[nodiscard]] norm_accumulator<typename Net::scalar_type> total_gradient_norm(
    const Net& net, typename Net::gradient_type& grads) {
    using accumulator = norm_accumulator<typename Net::scalar_type>;
    accumulator sum = 0;
    for_each_trainable_gradient(
        net, grads, [&sum](const auto& g) { sum += g.template cast<accumulator>().squaredNorm(); });
    using std::sqrt;
    return sqrt(sum);
}

/// Scales every trainable gradient by `max_norm / (norm + 1e-6)` when that is below 1, as
/// `torch.nn.utils.clip_grad_norm_` does (it clamps the factor to at most 1).
template <class Net>
void scale_to_norm(const Net& net, typename Net::gradient_type& grads,
                   norm_accumulator<typename Net::scalar_type> norm,
                   typename Net::scalar_type max_norm) {
    using scalar_type = typename Net::scalar_type;
    using accumulator = norm_accumulator<scalar_type>;
    const accumulator factor = static_cast<accumulator>(max_norm) / (norm + accumulator(1e-6));
    if (!(factor < 1)) {
        return;
    }
    const auto coefficient = static_cast<scalar_type>(factor);
    for_each_trainable_gradient(net, grads, [coefficient](auto& g) { g *= coefficient; });
}

/// Clamps every element of every trainable gradient to `[-clip_value, clip_value]`; NaN stays
/// NaN (as with `torch.clamp`).
template <class Net>
void clamp_gradients(const Net& net, typename Net::gradient_type& grads,
                     typename Net::scalar_type clip_value) {
    using scalar_type = typename Net::scalar_type;
    for_each_trainable_gradient(net, grads, [clip_value](auto& g) {
        g = g.unaryExpr([clip_value](scalar_type x) {
            return x > clip_value ? clip_value : (x < -clip_value ? -clip_value : x);
        });
    });
}

/// "layer 1 bias", the first trainable tensor whose gradient holds a NaN or an infinity, for
/// the message of a non-finite norm (empty if every element is finite: the sum of squares
/// overflowed).
template <class Net>
[[nodiscard]] std::string first_non_finite_gradient(const Net& net,
                                                    typename Net::gradient_type& grads) {
    // The visitor only remembers the tensor: the text is built once, not once per tensor type.
    std::optional<std::size_t> found_layer;
    std::string found_name;
    net.visit_tensors(
        [&](std::size_t layer, std::string_view name, const auto&, bool trainable, const auto& g) {
            if (trainable && !found_layer && !g.allFinite()) {
                found_layer = layer;
                found_name.assign(name);
            }
        },
        grads);
    if (!found_layer) {
        return {};
    }
    return "layer " + std::to_string(*found_layer) + " " + found_name;
}

/// Why the total norm `norm` is not finite, for error messages: "nan (the gradient of layer 1
/// bias holds a nan or an infinity)".
template <class Net>
[[nodiscard, gnu::cold, gnu::noinline]] std::string describe_non_finite_norm(
    const Net& net, typename Net::gradient_type& grads,
    norm_accumulator<typename Net::scalar_type> norm) {
    const std::string tensor = first_non_finite_gradient(net, grads);
    return format_number(static_cast<double>(norm)) +
           (tensor.empty() ? std::string(" (the sum of the squares overflowed)")
                           : " (the gradient of " + tensor + " holds a nan or an infinity)");
}

/// Throws the `divergence_error` of a total norm that is not finite: "<where>: the total norm
/// of the gradients is <description>". Out of line, so that no caller inlines the message's
/// string code.
[[noreturn, gnu::cold, gnu::noinline]] inline void raise_non_finite_norm(
    std::string_view where, const std::string& description) {
    raise(divergence_error(std::string(where) + ": the total norm of the gradients is " +
                           description));
}

} // namespace detail

/// Rescales the gradients so that their global L2 norm is at most about `max_norm`, as
/// `torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type=2,
/// error_if_nonfinite=True)` does: with \f$n = \sqrt{\sum_t \lVert g_t \rVert^2}\f$ over the
/// trainable tensors \f$t\f$ of `net`, every trainable gradient is multiplied by
/// \f$\min(1, m / (n + 10^{-6}))\f$. (So, as in PyTorch, a norm within \f$10^{-6}\f$ below
/// \f$m\f$ is scaled too, by a factor just below 1.) Frozen tensors neither count nor change;
/// see the file comment. Call it between `net.backward` and the optimizer's `step`.
///
/// The squares are summed in double for float networks. Allocates nothing.
///
/// @param net      the network whose gradients `grads` holds (only its frozen flags are read)
/// @param grads    gradients a backward pass of `net` filled; changed in place
/// @param max_norm \f$m\f$, positive and finite
/// @returns the total norm \f$n\f$ before clipping
/// @throws std::invalid_argument if `max_norm` is not positive and finite, or if a trainable
///         gradient does not have its tensor's shape.
/// @throws ffn::divergence_error, leaving `grads` unchanged, if the total norm is NaN or
///         infinite, naming the first tensor whose gradient is not finite.
template <trainable_network Net>
typename Net::scalar_type clip_gradient_norm(const Net& net, typename Net::gradient_type& grads,
                                             typename Net::scalar_type max_norm) {
    using scalar_type = typename Net::scalar_type;
    constexpr std::string_view where = "ffn::clip_gradient_norm";
    (void)detail::checked_setting<scalar_type>(where, "max_norm", max_norm,
                                               detail::setting_range::positive);
    detail::check_step_shapes(where, net, grads);
    const auto norm = detail::total_gradient_norm(net, grads);
    using std::isfinite;
    if (!isfinite(norm)) {
        detail::raise_non_finite_norm(where, detail::describe_non_finite_norm(net, grads, norm));
    }
    detail::scale_to_norm(net, grads, norm, max_norm);
    return static_cast<scalar_type>(norm);
}

/// Clamps every element of the trainable gradients to \f$[-c, c]\f$, as
/// `torch.nn.utils.clip_grad_value_(parameters, clip_value)` does. NaN elements stay NaN.
/// Frozen tensors' gradients are left as they are (see the file comment). Allocates nothing.
///
/// @param net        the network whose gradients `grads` holds (only its frozen flags are read)
/// @param grads      gradients a backward pass of `net` filled; changed in place
/// @param clip_value \f$c\f$, positive and finite
/// @throws std::invalid_argument if `clip_value` is not positive and finite, or if a trainable
///         gradient does not have its tensor's shape.
template <trainable_network Net>
void clip_gradient_value(const Net& net, typename Net::gradient_type& grads,
                         typename Net::scalar_type clip_value) {
    using scalar_type = typename Net::scalar_type;
    constexpr std::string_view where = "ffn::clip_gradient_value";
    (void)detail::checked_setting<scalar_type>(where, "clip_value", clip_value,
                                               detail::setting_range::positive);
    detail::check_step_shapes(where, net, grads);
    detail::clamp_gradients(net, grads, clip_value);
}

} // namespace ffn
