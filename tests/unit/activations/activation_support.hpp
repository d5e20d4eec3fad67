// SPDX-License-Identifier: MIT
#pragma once

// Helpers for the activation tests: evaluate an activation's expressions into arrays, and the
// tolerance a hand-worked number is checked to in each scalar type.

#include <initializer_list>
#include <type_traits>

#include <Eigen/Core>

namespace activation_test {

template <class Scalar>
using column = Eigen::Array<Scalar, Eigen::Dynamic, 1>;

/// A column holding `values`, converted to `Scalar`.
template <class Scalar>
column<Scalar> make_column(std::initializer_list<double> values) {
    column<Scalar> c(static_cast<Eigen::Index>(values.size()));
    Eigen::Index i = 0;
    for (double v : values) {
        c(i++) = static_cast<Scalar>(v);
    }
    return c;
}

/// The activation's outputs for `sum`, evaluated.
template <class A, class Scalar>
column<Scalar> value_of(const A& a, const column<Scalar>& sum) {
    column<Scalar> out = a.value(sum);
    return out;
}

/// The activation's derivative for `sum`, given the outputs it computes, evaluated.
template <class A, class Scalar>
column<Scalar> derivative_of(const A& a, const column<Scalar>& sum) {
    const column<Scalar> out = value_of(a, sum);
    column<Scalar> d = a.derivative(sum, out);
    return d;
}

/// Relative tolerance for a hand-worked number: a few units in the last place.
template <class Scalar>
constexpr double tolerance = std::is_same_v<Scalar, float> ? 2e-6 : 1e-13;

} // namespace activation_test

#include <catch2/catch.hpp>

namespace activation_test {

/// Checks `actual` element by element against `expected` to `tolerance<Scalar>` (relative,
/// with the same absolute margin for values near 0).
template <class Scalar>
void check_column(const column<Scalar>& actual, std::initializer_list<double> expected) {
    REQUIRE(actual.size() == static_cast<Eigen::Index>(expected.size()));
    Eigen::Index i = 0;
    for (double e : expected) {
        INFO("element " << i);
        CHECK(static_cast<double>(actual(i)) ==
              Approx(e).epsilon(tolerance<Scalar>).margin(tolerance<Scalar>));
        ++i;
    }
}

} // namespace activation_test
