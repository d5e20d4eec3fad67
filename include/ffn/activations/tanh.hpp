// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The hyperbolic tangent.

#include <string_view>

#include <Eigen/Core>

namespace ffn {

/// \f$\tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x})\f$, with \f$\tanh'(x) = 1 - \tanh^2(x)\f$
/// taken from the output, like the sigmoid's. Outputs lie in \f$[-1, 1]\f$. Eigen evaluates
/// it without forming \f$e^x\f$, so large sums give \f$\pm 1\f$ and a derivative of 0, never
/// infinity or NaN.
struct tanh {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "tanh";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation = "1 - out^2";

    /// The outputs, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        return sum.tanh();
    }

    /// \f$\partial output / \partial sum\f$, element by element, as an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& /*sum*/,
                                  const Eigen::ArrayBase<Output>& output) const {
        using scalar = typename Output::Scalar;
        return scalar(1) - output.square();
    }
};

} // namespace ffn
