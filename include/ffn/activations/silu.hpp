// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The sigmoid-weighted linear unit (SiLU, also called swish).

#include <string_view>

#include <Eigen/Core>

#include "ffn/activations/sigmoid.hpp"

namespace ffn {

/// \f$f(x) = x \, s(x)\f$ with \f$s(x) = 1 / (1 + e^{-x})\f$ the sigmoid; the derivative is
/// \f$s(x)(1 + x(1 - s(x)))\f$. PyTorch's `SiLU`; "swish" with \f$\beta = 1\f$.
///
/// \f$1 - s(x)\f$ is computed as \f$s(-x)\f$, not by subtraction, so it keeps its digits for
/// large positive sums; every exponential that overflows lands in a denominator, giving 0.
struct silu {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "silu";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation =
        "s(1 + sum(1 - s)), s = 1 / (1 + e^(-sum))";

    /// The outputs, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        return sum * sigmoid{}.value(sum);
    }

    /// \f$\partial output / \partial sum\f$, element by element, as an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return sigmoid{}.value(sum) * (scalar(1) + sum * (scalar(1) + sum.exp()).inverse());
    }
};

/// Swish with \f$\beta = 1\f$ is the SiLU.
using swish = silu;

} // namespace ffn
