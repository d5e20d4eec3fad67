// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The softplus, a smooth relu.

#include <string_view>

#include <Eigen/Core>

#include "ffn/activations/sigmoid.hpp"

namespace ffn {

/// \f$f(x) = \ln(1 + e^x)\f$, whose derivative is the sigmoid \f$1 / (1 + e^{-x})\f$.
///
/// Computed as \f$\max(x, 0) + \ln(1 + e^{-|x|})\f$ (with `log1p`), which is the same number
/// but never exponentiates a positive value: \f$e^{1000}\f$ would overflow, and for large
/// negative \f$x\f$ the result keeps its digits instead of rounding to 0 early.
struct softplus {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "softplus";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation = "1 / (1 + e^(-sum))";

    /// The outputs, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return sum.cwiseMax(scalar(0)) + (-sum.abs()).exp().log1p();
    }

    /// \f$\partial output / \partial sum\f$, element by element, as an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        return sigmoid{}.value(sum);
    }
};

} // namespace ffn
