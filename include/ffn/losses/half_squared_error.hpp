// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Half the squared error, summed over the outputs: the lecture's loss.

#include <string_view>

#include <Eigen/Core>

namespace ffn {

/// \f$E = \sum_k \frac{1}{2}(target_k - output_k)^2\f$ for one sample, the lecture's
/// \f$E_{total}\f$; over a batch, the mean of that over the samples. Its gradient is
/// \f$output - target\f$ (divided by the batch size).
///
/// Reduction: sum over outputs, mean over the batch. PyTorch's `MSELoss()` takes the mean over
/// outputs too and has no \f$\frac{1}{2}\f$: for `n` outputs it equals `2/n` times this loss.
struct half_squared_error {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "half_squared_error";
    /// \f$\partial E / \partial output\f$ of one sample as the lecture writes it, for
    /// explanations.
    static constexpr std::string_view gradient_notation = "out - target";

    /// The per-output errors \f$\frac{1}{2}(target_k - output_k)^2\f$ of one sample or a
    /// batch, as an array expression (the lecture's \f$E_1\f$ and \f$E_2\f$).
    template <class Output, class Target>
    [[nodiscard]] auto errors(const Eigen::MatrixBase<Output>& output,
                              const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return scalar(0.5) * (target - output).array().square();
    }

    /// The loss of a batch: the per-output errors summed over the outputs, averaged over the
    /// samples (columns).
    template <class Output, class Target>
    [[nodiscard]] typename Output::Scalar value(const Eigen::MatrixBase<Output>& output,
                                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return errors(output, target).sum() / static_cast<scalar>(output.cols());
    }

    /// \f$\partial E / \partial output = (output - target) / batch\f$, as an expression of
    /// the output's shape.
    template <class Output, class Target>
    [[nodiscard]] auto gradient(const Eigen::MatrixBase<Output>& output,
                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return (output - target) / static_cast<scalar>(output.cols());
    }
};

} // namespace ffn
