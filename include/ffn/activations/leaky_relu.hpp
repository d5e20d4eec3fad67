// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The leaky rectified linear unit.

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ffn/errors.hpp"

namespace ffn {

/// \f$f(x) = x\f$ for \f$x > 0\f$ and \f$slope \cdot x\f$ otherwise, with derivative 1 or
/// \f$slope\f$ (at \f$x = 0\f$ it takes \f$slope\f$). Unlike the relu, a unit with negative
/// sums still passes a gradient back. The slope is a setting of the object:
/// `ffn::dense<4, 4, ffn::leaky_relu>(4, 4, ffn::leaky_relu(0.2))`.
class leaky_relu {
public:
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "leaky_relu";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation = "(sum > 0 ? 1 : slope)";

    /// The default slope, 0.01 (PyTorch's `LeakyReLU` default too).
    static constexpr double default_slope = 0.01;

    /// A leaky relu with slope 0.01.
    leaky_relu() = default;

    /// A leaky relu with slope `slope` for negative sums.
    /// @throws std::invalid_argument if `slope` is not finite.
    explicit leaky_relu(double slope) : slope_(slope) {
        if (!std::isfinite(slope)) {
            detail::raise(std::invalid_argument("ffn::leaky_relu: the slope must be finite, got " +
                                                std::to_string(slope)));
        }
    }

    /// The slope for negative sums.
    [[nodiscard]] double slope() const noexcept { return slope_; }

    /// The settings files record (concepts/settings.hpp).
    static constexpr std::array<std::string_view, 1> setting_names = {"slope"};
    /// The slope, as files record it.
    [[nodiscard]] std::array<double, 1> settings() const noexcept { return {slope_}; }

    /// The outputs, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return (sum > scalar(0)).select(sum, static_cast<scalar>(slope_) * sum);
    }

    /// \f$\partial output / \partial sum\f$, element by element, as an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return (sum > scalar(0))
            .select(Sum::Constant(sum.rows(), sum.cols(), scalar(1)),
                    Sum::Constant(sum.rows(), sum.cols(), static_cast<scalar>(slope_)));
    }

    /// Same settings.
    friend bool operator==(const leaky_relu&, const leaky_relu&) = default;

private:
    double slope_ = default_slope;
};

} // namespace ffn
