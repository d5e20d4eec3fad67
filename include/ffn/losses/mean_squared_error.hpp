// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The mean squared error, as PyTorch's `MSELoss()` computes it.

#include <string_view>

#include <Eigen/Core>

namespace ffn {

/// \f$E = \frac{1}{n B} \sum_{s=1}^{B} \sum_{k=1}^{n} (output_{ks} - target_{ks})^2\f$ for a
/// batch of \f$B\f$ samples with \f$n\f$ outputs each; its gradient is
/// \f$2(output - target) / (n B)\f$.
///
/// Reduction: mean over the outputs and mean over the batch, that is the mean over every
/// element. This is PyTorch's `torch.nn.MSELoss()` with its default `reduction='mean'`, so a
/// network ported either way gives the same loss. `ffn::half_squared_error` (the lecture's
/// loss) sums over the outputs and halves instead: for \f$n\f$ outputs it is \f$n/2\f$ times
/// this loss.
struct mean_squared_error {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "mean_squared_error";
    /// \f$\partial E / \partial output\f$ as explanations write it.
    static constexpr std::string_view gradient_notation = "2(out - target) / n";

    /// The loss of a batch: the mean over its samples (columns).
    template <class Output, class Target>
    [[nodiscard]] typename Output::Scalar value(const Eigen::MatrixBase<Output>& output,
                                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return (output - target).squaredNorm() / static_cast<scalar>(output.size());
    }

    /// \f$\partial E / \partial output\f$ of that loss, as an expression of the output's shape (it
    /// carries the \f$1/batch\f$ factor).
    template <class Output, class Target>
    [[nodiscard]] auto gradient(const Eigen::MatrixBase<Output>& output,
                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return (output - target) * (scalar(2) / static_cast<scalar>(output.size()));
    }
};

} // namespace ffn
