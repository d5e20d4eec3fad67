// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The initializer contract.
///
/// An initializer says how the values of a parameter tensor are drawn. The type provides
/// `i.distribution_for(f)`: given the `ffn::fans` `f` of the tensor (for a bias, those of its
/// layer's weights), the `ffn::distribution` to draw every value from. It draws nothing
/// itself: `ffn::initialize` does, from ffn's own random engine, so that the same seed gives
/// the same weights on every platform. `distribution_for` is `const` and may throw
/// `std::invalid_argument` for fans it cannot serve.

#include <concepts>

#include "ffn/init/distribution.hpp"

namespace ffn {

/// An initializer policy; see the file comment.
template <class I>
concept initializer = std::copy_constructible<I> && requires(const I i, const fans f) {
    { i.distribution_for(f) } -> std::same_as<distribution>;
};

} // namespace ffn
