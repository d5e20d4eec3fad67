// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The scalar contract: the number type a network computes in.

#include <concepts>

namespace ffn {

/// A scalar is a floating-point type (`float`, `double` or `long double`). Integers are
/// rejected: gradients and learning rates need fractions.
template <class T>
concept scalar = std::floating_point<T>;

} // namespace ffn
