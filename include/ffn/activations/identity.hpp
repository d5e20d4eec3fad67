// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The identity activation, for linear output layers (regression).

#include <string_view>

#include <Eigen/Core>

namespace ffn {

/// \f$f(x) = x\f$, with \f$f'(x) = 1\f$. A dense layer with this activation is an affine map;
/// it is the usual output layer for regression with a squared-error or Huber loss.
struct identity {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "identity";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation = "1";

    /// The outputs, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return sum.unaryExpr([](scalar x) { return x; });
    }

    /// \f$\partial output / \partial sum\f$, element by element, as an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return Sum::Constant(sum.rows(), sum.cols(), scalar(1));
    }
};

} // namespace ffn
