// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// What a loss can ask of the network's output layer at compile time.

#include <type_traits>

namespace ffn::detail {

/// `L::activation_type` when the layer names its activation, `void` otherwise, so that a
/// loss's check can say "must be ffn::sigmoid" instead of failing on a missing name.
template <class L>
struct layer_activation {
    using type = void;
};
// clang-format off
template <class L>
    requires requires { typename L::activation_type; }
struct layer_activation<L> {
    // clang-format on
    using type = typename L::activation_type;
};
template <class L>
using layer_activation_t = typename layer_activation<L>::type;

} // namespace ffn::detail
