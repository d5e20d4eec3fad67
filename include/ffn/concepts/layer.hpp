// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The layer contract, which `ffn::network` relies on.
///
/// A layer type `L` provides
/// - `L::scalar_type` (a `ffn::scalar`), `L::name`, and `L::input_size`, `L::output_size`: the
///   sizes known at compile time, or `Eigen::Dynamic`;
/// - `L::trace_type<Batch>`: what its forward pass keeps for a batch of `Batch` samples, with
///   matrices `output` and `error_signal` of `output_size` rows (and `sum`, the activation's
///   input, for a layer with an activation);
/// - `L::gradient_type`: one tensor per parameter tensor, of the same shape;
/// - `l.inputs()`, `l.outputs()`: the sizes at run time;
/// - `l.shape_error()`: an empty `std::string` if its tensors are consistent, else what is
///   wrong (it must not allocate in the first case: it runs on every forward pass). A layer
///   whose `input_size` and `output_size` are both fixed must keep tensors whose sizes its type
///   fixes: the network then takes its shapes as proven and does not call it;
/// - `l.forward(input, t)`: fills `t.sum` and `t.output` from `input` (one column per sample);
/// - `l.activation_backward(t)`: turns `t.error_signal` from \f$\partial E/\partial output\f$
///   into \f$\partial E/\partial sum\f$ in place;
/// - `l.gradient(input, t, g)`: the parameter gradients from `t.error_signal`;
/// - `l.input_gradient(t, dest)`: \f$\partial E/\partial input\f$ into `dest`;
/// - `l.visit_tensors(f, like...)`: calls `f(name, tensor, trainable, like.tensor...)` for each
///   parameter tensor, where each `like` is a `gradient_type`.
/// `forward`, `activation_backward`, `gradient` and `input_gradient` are `const`: a layer holds
/// parameters only, so one layer can serve several threads at once.
///
/// Optional members, which ffn uses when a layer has them (docs/extending.md, "A layer"):
/// - `l.infer(input, output, products) const`: the inference pass writing only the outputs
///   (a matrix of `output_size` rows, resized to the input's columns), which
///   `network::predict` calls; `products` is scratch space for its matrix products (an
///   `ffn::product_space`, or an empty type when every size is fixed and small, both with
///   `multiply(dst, lhs, rhs)`); without `infer`, `predict` keeps the layer's trace and calls
///   `forward`;
/// - `l.forward(input, t, pass)` with an `ffn::training_pass&`: the training-mode pass (may be
///   non-`const`; batch normalisation updates its running statistics there), and
///   `L::min_training_batch`, the fewest samples it takes;
/// - `setting_names`, `settings()` and `set_settings(values)`: the layer's own settings;
/// - `L::buffer_names`: tensors that are saved but never trained;
/// - `l.visit_counters(f)`: integers that files keep (`f(name, std::int64_t&)`);
/// - `l.reset_parameters()`: its fresh state, which `ffn::initialize` sets;
/// - `l.set_units(n)`: for a dynamic layer without tensors, the size loaders give it.

#include <concepts>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ffn/concepts/scalar.hpp"

namespace ffn {

namespace detail {
template <class L>
using probe_input = Eigen::Matrix<typename L::scalar_type, Eigen::Dynamic, Eigen::Dynamic>;
}

/// A layer policy; see the file comment.
// clang-format off
template <class L>
concept layer =
    requires {
        typename L::scalar_type;
        typename L::gradient_type;
        typename L::template trace_type<Eigen::Dynamic>;
        { L::name } -> std::convertible_to<std::string_view>;
        { L::input_size } -> std::convertible_to<Eigen::Index>;
        { L::output_size } -> std::convertible_to<Eigen::Index>;
    } && scalar<typename L::scalar_type> && std::copy_constructible<L> &&
    requires(const L l, const detail::probe_input<L>& input,
             typename L::template trace_type<Eigen::Dynamic>& t, typename L::gradient_type& g,
             detail::probe_input<L>& dest) {
        { l.inputs() } -> std::same_as<Eigen::Index>;
        { l.outputs() } -> std::same_as<Eigen::Index>;
        { l.shape_error() } -> std::convertible_to<std::string>;
        l.forward(input, t);
        l.activation_backward(t);
        l.gradient(input, t, g);
        l.input_gradient(t, dest);
    };
// clang-format on

namespace detail {

/// Whether `L` is a layer. When not, a `static_assert` names the first member of the layer
/// contract that is missing (the compiler shows `L` beside it).
template <class L>
constexpr bool check_layer() {
    if constexpr (layer<L>) {
        return true;
    } else if constexpr (!requires {
                             typename L::scalar_type;
                             typename L::gradient_type;
                             typename L::template trace_type<Eigen::Dynamic>;
                         }) {
        static_assert(always_false<L>, "ffn: a layer needs the types scalar_type, gradient_type "
                                       "and trace_type<Batch> (see concepts/layer.hpp).");
    } else if constexpr (!requires {
                             { L::name } -> std::convertible_to<std::string_view>;
                             { L::input_size } -> std::convertible_to<Eigen::Index>;
                             { L::output_size } -> std::convertible_to<Eigen::Index>;
                         }) {
        static_assert(always_false<L>, "ffn: a layer needs the constants name, input_size and "
                                       "output_size (see concepts/layer.hpp).");
    } else if constexpr (!scalar<typename L::scalar_type>) {
        static_assert(always_false<L>, "ffn: a layer's scalar_type must be float or double.");
    } else if constexpr (!std::copy_constructible<L>) {
        static_assert(always_false<L>, "ffn: a layer must be copy-constructible.");
    } else {
        using trace = typename L::template trace_type<Eigen::Dynamic>;
        using gradient = typename L::gradient_type;
        using input = probe_input<L>;
        if constexpr (!requires(const L l) {
                          { l.inputs() } -> std::same_as<Eigen::Index>;
                          { l.outputs() } -> std::same_as<Eigen::Index>;
                      }) {
            static_assert(always_false<L>, "ffn: a layer needs inputs() and outputs(), each "
                                           "giving an Eigen::Index (see concepts/layer.hpp).");
        } else if constexpr (!requires(const L l) {
                                 { l.shape_error() } -> std::convertible_to<std::string>;
                             }) {
            static_assert(always_false<L>,
                          "ffn: a layer needs shape_error(), giving a std::string (see "
                          "concepts/layer.hpp).");
        } else if constexpr (!requires(const L l, const input& x, trace& t) { l.forward(x, t); }) {
            static_assert(always_false<L>, "ffn: a layer needs forward(input, t) (see "
                                           "concepts/layer.hpp).");
        } else if constexpr (!requires(const L l, trace& t) { l.activation_backward(t); }) {
            static_assert(always_false<L>, "ffn: a layer needs activation_backward(t) (see "
                                           "concepts/layer.hpp).");
        } else if constexpr (!requires(const L l, const input& x, trace& t, gradient& g) {
                                 l.gradient(x, t, g);
                             }) {
            static_assert(always_false<L>, "ffn: a layer needs gradient(input, t, g) (see "
                                           "concepts/layer.hpp).");
        } else {
            static_assert(always_false<L>,
                          "ffn: a layer needs input_gradient(t, dest), the error signal "
                          "passed to the layer before (see concepts/layer.hpp).");
        }
    }
    return false;
}

} // namespace detail

} // namespace ffn
