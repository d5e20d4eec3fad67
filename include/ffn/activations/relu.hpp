// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The rectified linear unit.

#include <string_view>

#include <Eigen/Core>

namespace ffn {

/// \f$\mathrm{relu}(x) = \max(x, 0)\f$, with derivative 1 for \f$x > 0\f$ and 0 otherwise.
/// At \f$x = 0\f$, where the derivative does not exist, ffn takes 0 (as PyTorch does), so a
/// unit whose sums are all exactly zero learns nothing through them.
struct relu {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "relu";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation = "(sum > 0 ? 1 : 0)";

    /// The outputs, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return sum.cwiseMax(scalar(0));
    }

    /// \f$\partial output / \partial sum\f$, element by element, as an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return (sum > scalar(0)).template cast<scalar>();
    }
};

} // namespace ffn
