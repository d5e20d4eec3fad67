// SPDX-License-Identifier: MIT
#pragma once

// Helpers for the loss tests.

#include <type_traits>

#include <Eigen/Core>

namespace loss_test {

template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

/// Relative tolerance for a hand-worked number in each scalar type.
template <class Scalar>
constexpr double tolerance = std::is_same_v<Scalar, float> ? 1e-5 : 1e-13;

/// Evaluates a loss's gradient expression.
template <class Loss, class Output, class Target>
matrix<typename Output::Scalar> gradient_of(const Loss& loss, const Output& output,
                                            const Target& target) {
    matrix<typename Output::Scalar> g = loss.gradient(output, target);
    return g;
}

} // namespace loss_test
