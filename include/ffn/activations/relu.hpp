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
    static constexpr std::string_view name = "relu";
    static constexpr std::string_view derivative_notation = "(sum > 0 ? 1 : 0)";

    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return sum.cwiseMax(scalar(0));
    }

    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return (sum > scalar(0)).template cast<scalar>();
    }
};

} // namespace ffn
