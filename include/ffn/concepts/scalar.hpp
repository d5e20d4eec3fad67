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

namespace detail {

/// False for every `T`: a `static_assert` on it fires only where a template is instantiated.
template <class T>
inline constexpr bool always_false = false;

/// Whether `Scalar` is a scalar type ffn computes in; when not, a `static_assert` says so.
template <class Scalar>
constexpr bool check_scalar() {
    constexpr bool ok = scalar<Scalar>;
    static_assert(ok, "ffn: the scalar type must be a floating-point type (float or double); "
                      "it is shown with this error as Scalar.");
    return ok;
}

} // namespace detail

} // namespace ffn
