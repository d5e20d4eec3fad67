// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The contract of a network as initializers and optimizers see it.
///
/// They change a network only through its parameter tensors, so they need from a type `Net`
/// - `Net::scalar_type` (a `ffn::scalar`);
/// - `Net::gradient_type` (spelled `ffn::gradients<Net>`): one tensor per parameter tensor,
///   constructible from `const Net&` with zero tensors of the parameters' shapes;
/// - `net.visit_tensors(f, like...)`: calls `f(layer_index, name, tensor, trainable,
///   like.tensor...)` for every parameter tensor, input side first, where each `like` is a
///   `gradient_type` (or an optimizer's state of that shape). `name` is `"weights"` for a
///   weight matrix (rows: the units it feeds; columns: its inputs) and `"bias"` for biases;
///   `trainable` is false for a frozen tensor.
/// `ffn::network` is such a type.

#include <concepts>
#include <cstddef>
#include <string_view>

#include "ffn/concepts/scalar.hpp"

namespace ffn {

namespace detail {
/// Accepts any call `visit_tensors` makes; used only to test that a type has it.
struct tensor_visitor_probe {
    template <class... Tensors>
    void operator()(std::size_t /*layer*/, std::string_view /*name*/,
                    Tensors&&... /*tensors*/) const {}
};
} // namespace detail

/// A network whose parameter tensors initializers and optimizers can visit; see the file
/// comment.
template <class Net>
concept trainable_network = requires {
    typename Net::scalar_type;
    typename Net::gradient_type;
}
&&scalar<typename Net::scalar_type>&& std::constructible_from<
    typename Net::gradient_type, const Net&>&& requires(Net& net,
                                                        typename Net::gradient_type& like) {
    net.visit_tensors(detail::tensor_visitor_probe{});
    net.visit_tensors(detail::tensor_visitor_probe{}, like);
};

} // namespace ffn
