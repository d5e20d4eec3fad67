// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The logistic sigmoid, the lecture's activation.

#include <string_view>

#include <Eigen/Core>

#include "ffn/detail/exp.hpp"

namespace ffn {

/// \f$\sigma(x) = 1 / (1 + e^{-x})\f$, with \f$\sigma'(x) = \sigma(x)(1 - \sigma(x))\f$ taken
/// from the output, as the lecture does. Outputs lie in \f$(0, 1)\f$; for large negative sums
/// \f$e^{-x}\f$ overflows to infinity and the output is exactly 0, never NaN.
///
/// The values come from `detail::fast_sigmoid`: one vectorised pass whose exponential is
/// shorter in latency than Eigen's for double (see detail/exp.hpp).
struct sigmoid {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "sigmoid";
    /// \f$\partial output / \partial sum\f$ as the lecture writes it, for explanations.
    static constexpr std::string_view derivative_notation = "out(1 - out)";

    /// The outputs \f$\sigma(sum)\f$, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        return detail::fast_sigmoid(sum);
    }

    /// \f$\partial output / \partial sum = output (1 - output)\f$, element by element, as
    /// an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& /*sum*/,
                                  const Eigen::ArrayBase<Output>& output) const {
        using scalar = typename Output::Scalar;
        return output * (scalar(1) - output);
    }
};

} // namespace ffn
