// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The Huber loss: squared for small errors, linear for large ones.

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ffn/errors.hpp"

namespace ffn {

/// For each output, with \f$d = output - target\f$:
/// \f$\frac{1}{2} d^2\f$ if \f$|d| \le \delta\f$, else \f$\delta(|d| - \frac{1}{2}\delta)\f$;
/// the gradient is \f$d\f$ clipped to \f$[-\delta, \delta]\f$. Large errors (outliers) pull
/// with a force of at most \f$\delta\f$ instead of growing without bound.
///
/// Reduction: mean over the outputs and mean over the batch, that is the mean over every
/// element, divided by \f$n B\f$ for \f$n\f$ outputs and \f$B\f$ samples. This is PyTorch's
/// `torch.nn.HuberLoss()` with its defaults `reduction='mean'` and `delta=1.0`, so a network
/// ported either way gives the same loss. (PyTorch's `SmoothL1Loss` with `beta` equals this
/// loss divided by `beta`.)
class huber {
public:
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "huber";
    /// \f$\partial E / \partial output\f$ as explanations write it.
    static constexpr std::string_view gradient_notation = "clamp(out - target, -delta, delta) / n";

    /// The default \f$\delta\f$, 1.
    static constexpr double default_delta = 1.0;

    /// A Huber loss with \f$\delta = 1\f$.
    huber() = default;

    /// A Huber loss that turns linear beyond errors of `delta`.
    /// @throws std::invalid_argument if `delta` is not positive and finite.
    explicit huber(double delta) : delta_(delta) {
        if (!(delta > 0) || !std::isfinite(delta)) {
            detail::raise(std::invalid_argument(
                "ffn::huber: delta must be positive and finite, got " + std::to_string(delta)));
        }
    }

    /// The error size \f$\delta\f$ where the loss turns from squared to linear.
    [[nodiscard]] double delta() const noexcept { return delta_; }

    /// The settings files record (concepts/settings.hpp).
    static constexpr std::array<std::string_view, 1> setting_names = {"delta"};
    /// \f$\delta\f$, as files record it.
    [[nodiscard]] std::array<double, 1> settings() const noexcept { return {delta_}; }

    /// The loss of a batch: the mean over its samples (columns).
    template <class Output, class Target>
    [[nodiscard]] typename Output::Scalar value(const Eigen::MatrixBase<Output>& output,
                                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        const auto delta = static_cast<scalar>(delta_);
        return (output - target)
                   .array()
                   .abs()
                   .unaryExpr([delta](scalar d) {
                       return d <= delta ? scalar(0.5) * d * d : delta * (d - scalar(0.5) * delta);
                   })
                   .sum() /
               static_cast<scalar>(output.size());
    }

    /// \f$\partial E / \partial output\f$ of that loss, as an expression of the output's shape (it
    /// carries the \f$1/batch\f$ factor).
    template <class Output, class Target>
    [[nodiscard]] auto gradient(const Eigen::MatrixBase<Output>& output,
                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        const auto delta = static_cast<scalar>(delta_);
        return ((output - target).cwiseMax(-delta).cwiseMin(delta)) /
               static_cast<scalar>(output.size());
    }

    /// Same settings.
    friend bool operator==(const huber&, const huber&) = default;

private:
    double delta_ = default_delta;
};

} // namespace ffn
