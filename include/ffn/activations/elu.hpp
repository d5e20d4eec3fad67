// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The exponential linear unit.

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ffn/errors.hpp"

namespace ffn {

/// \f$f(x) = x\f$ for \f$x > 0\f$ and \f$\alpha(e^x - 1)\f$ otherwise; the derivative is 1 or
/// \f$\alpha e^x\f$ (at \f$x = 0\f$ it takes \f$\alpha\f$; with the default \f$\alpha = 1\f$
/// both sides agree). Outputs are bounded below by \f$-\alpha\f$.
///
/// The exponential is only ever taken of \f$\min(x, 0)\f$, through `expm1` (accurate near 0),
/// so no sum overflows it. The derivative \f$\alpha e^x\f$ equals \f$out + \alpha\f$ but is
/// taken from the sum, because the subtraction loses digits for very negative sums.
class elu {
public:
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "elu";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation = "(sum > 0 ? 1 : alpha e^sum)";

    /// The default \f$\alpha\f$, 1 (PyTorch's `ELU` default too).
    static constexpr double default_alpha = 1.0;

    /// An elu with \f$\alpha = 1\f$.
    elu() = default;

    /// An elu whose outputs tend to \f$-\alpha\f$ for very negative sums.
    /// @throws std::invalid_argument if `alpha` is negative or not finite.
    explicit elu(double alpha) : alpha_(alpha) {
        if (!(alpha >= 0) || !std::isfinite(alpha)) {
            detail::raise(std::invalid_argument(
                "ffn::elu: alpha must be finite and not negative, got " + std::to_string(alpha)));
        }
    }

    /// The scale \f$\alpha\f$ of the negative part.
    [[nodiscard]] double alpha() const noexcept { return alpha_; }

    /// The settings files record (concepts/settings.hpp).
    static constexpr std::array<std::string_view, 1> setting_names = {"alpha"};
    /// \f$\alpha\f$, as files record it.
    [[nodiscard]] std::array<double, 1> settings() const noexcept { return {alpha_}; }

    /// The outputs, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return (sum > scalar(0))
            .select(sum, static_cast<scalar>(alpha_) * sum.cwiseMin(scalar(0)).expm1());
    }

    /// \f$\partial output / \partial sum\f$, element by element, as an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return (sum > scalar(0))
            .select(Sum::Constant(sum.rows(), sum.cols(), scalar(1)),
                    static_cast<scalar>(alpha_) * sum.cwiseMin(scalar(0)).exp());
    }

    /// Same settings.
    friend bool operator==(const elu&, const elu&) = default;

private:
    double alpha_ = default_alpha;
};

} // namespace ffn
