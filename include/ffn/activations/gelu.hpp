// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The Gaussian error linear unit, exact (erf) form.

#include <cmath>
#include <string_view>

#include <Eigen/Core>

namespace ffn {

/// \f$f(x) = x \, \Phi(x)\f$, where \f$\Phi(x) = \frac{1}{2}\mathrm{erfc}(-x/\sqrt{2})\f$ is
/// the standard normal distribution function; the derivative is
/// \f$\Phi(x) + x \, \varphi(x)\f$ with \f$\varphi(x) = e^{-x^2/2} / \sqrt{2\pi}\f$.
///
/// This is the exact form, PyTorch's `GELU()` default (`approximate='none'`), not the tanh
/// approximation. \f$\Phi\f$ goes through `erfc`, which keeps its digits in the left tail
/// where \f$1 + \mathrm{erf}\f$ would cancel; for large \f$|x|\f$, \f$\varphi(x)\f$ underflows
/// to 0, so nothing overflows.
struct gelu {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "gelu";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation = "Phi(sum) + sum phi(sum)";

    /// The outputs, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return sum.unaryExpr([](scalar x) { return x * normal_cdf(x); });
    }

    /// \f$\partial output / \partial sum\f$, element by element, as an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return sum.unaryExpr([](scalar x) {
            // 1 / sqrt(2 pi)
            const auto inv_sqrt_2pi = static_cast<scalar>(0.39894228040143267793994605993438);
            return normal_cdf(x) + x * inv_sqrt_2pi * std::exp(-x * x / scalar(2));
        });
    }

private:
    template <class Scalar>
    static Scalar normal_cdf(Scalar x) {
        // 1 / sqrt(2)
        const auto inv_sqrt_2 = static_cast<Scalar>(0.70710678118654752440084436210485);
        return Scalar(0.5) * std::erfc(-x * inv_sqrt_2);
    }
};

} // namespace ffn
