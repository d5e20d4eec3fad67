// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Categorical cross-entropy, for a softmax output that is a distribution over classes.

#include <algorithm>
#include <cmath>
#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include "ffn/activations/softmax.hpp"
#include "ffn/detail/output_layer.hpp"

namespace ffn {

/// For a column of outputs \f$p\f$ (probabilities over \f$n\f$ classes) and a target column
/// \f$y\f$ (one-hot, or any probabilities: non-negative, adding up to 1):
/// \f$E = -\sum_k y_k \ln p_k\f$, with gradient \f$\partial E / \partial p_k = -y_k / p_k\f$.
/// Classes with \f$y_k = 0\f$ contribute nothing, even where \f$p_k = 0\f$.
///
/// Reduction: sum over the classes (outputs), mean over the batch. This is what PyTorch's
/// `torch.nn.CrossEntropyLoss()` computes with its default `reduction='mean'` (for class
/// indices give one-hot columns; for probabilities, PyTorch 1.10 and later, give them as they
/// are), except that `CrossEntropyLoss` takes the logits: it is the fused form below. Like
/// PyTorch's `BCELoss`, the unfused form clamps each logarithm to at least \f$-100\f$ and the
/// gradient's denominator \f$p_k\f$ to at least \f$10^{-12}\f$, so an output of exactly 0
/// gives finite numbers; where a clamp is active the value and the gradient are no longer
/// each other's derivative.
///
/// **Fused with ffn::softmax** (which `ffn::network` always uses, since it requires a softmax
/// output): from the output layer's sums (logits) \f$z\f$,
/// \f$E = -\sum_{k: y_k \ne 0} y_k \ln p_k\f$ with the log-softmax
/// \f$\ln p_k = (z_k - m) - \ln \sum_j e^{z_j - m}\f$, \f$m = \max_j z_j\f$ (no overflow, no
/// \f$\ln 0\f$, no clamp), and \f$\partial E / \partial z = p - y\f$, both with the same mean
/// over the batch. Classes with a target of 0 are skipped, so they contribute exactly 0 even
/// where \f$\ln p_k = -\infty\f$ (sums near the largest finite value, \f$\pm 1.7 \cdot
/// 10^{308}\f$ in double, \f$\pm 3 \cdot 10^{38}\f$ in float); the loss is then the finite
/// value the maths gives, and \f$+\infty\f$ (never NaN) only where that value itself is
/// beyond the largest finite one. The error signal \f$p - y\f$ stays finite and assumes each
/// target column adds up to 1.
///
/// In a network, the output layer must use `ffn::softmax` and have at least two outputs (or
/// a number of outputs given at run time); `check_output_layer` refuses anything else at
/// compile time.
struct categorical_cross_entropy {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "categorical_cross_entropy";
    /// \f$\partial E / \partial output\f$ as explanations write it.
    static constexpr std::string_view gradient_notation = "-target / out";
    /// \f$\partial E / \partial sum\f$ of the fused form, as explanations write it.
    static constexpr std::string_view error_signal_notation = "out - target";

    /// The largest cost of one class, where the logarithm is clamped.
    static constexpr double log_floor = -100.0;
    /// The smallest denominator \f$p_k\f$ of the gradient.
    static constexpr double denominator_floor = 1e-12;

    /// Instantiated by `ffn::network` with its last layer: refuses an output layer whose
    /// outputs are not a distribution over classes.
    template <class OutputLayer>
    struct check_output_layer {
        static_assert(std::is_same_v<detail::layer_activation_t<OutputLayer>, softmax>,
                      "ffn::categorical_cross_entropy: the output layer's activation must be "
                      "ffn::softmax, because the loss reads each output column as a "
                      "probability distribution over the classes; for two classes with one "
                      "output use ffn::sigmoid with ffn::binary_cross_entropy.");
        static_assert(OutputLayer::output_size >= 2 || OutputLayer::output_size == Eigen::Dynamic,
                      "ffn::categorical_cross_entropy: the output layer must have at least two "
                      "outputs, one per class; for two classes with one output use "
                      "ffn::sigmoid with ffn::binary_cross_entropy.");
    };

    /// The loss of a batch: the mean over its samples (columns).
    template <class Output, class Target>
    [[nodiscard]] typename Output::Scalar value(const Eigen::MatrixBase<Output>& output,
                                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        const auto floor = static_cast<scalar>(log_floor);
        const scalar total = (target.array() * output.array().log().cwiseMax(floor)).sum();
        return -total / static_cast<scalar>(output.cols());
    }

    /// \f$\partial E / \partial output\f$ of that loss, as an expression of the output's shape (it
    /// carries the \f$1/batch\f$ factor).
    template <class Output, class Target>
    [[nodiscard]] auto gradient(const Eigen::MatrixBase<Output>& output,
                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        const auto floor = static_cast<scalar>(denominator_floor);
        return (-target.array() / output.array().cwiseMax(floor) /
                static_cast<scalar>(output.cols()))
            .matrix();
    }

    /// The loss from the output layer's sums (logits), through a log-softmax per column:
    /// \f$\ln p_k = (z_k - m) - \ln \sum_j e^{z_j - m}\f$ with \f$m = \max_j z_j\f$, and a class
    /// whose target is 0 contributes exactly 0. So sums as large as the scalar type holds
    /// (\f$\pm 1.7 \cdot 10^{308}\f$ in double) give the finite loss the maths gives, not
    /// \f$0 \cdot \infty\f$ = NaN; only where the true loss itself exceeds the largest finite
    /// value (a target class whose sum is more than that below the largest) is it \f$+\infty\f$.
    template <class Sum, class Target>
    [[nodiscard]] typename Sum::Scalar value_from_sum(
        const softmax& /*activation*/, const Eigen::MatrixBase<Sum>& sum,
        const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Sum::Scalar;
        const auto batch = static_cast<scalar>(sum.cols());
        scalar total(0);
        // The mean taken column by column, for the rare batch whose total overflows although
        // each column's loss is finite.
        scalar mean(0);
        // A block of columns at a time: the shifted sums of the block are copied into a buffer on
        // the stack, whose exponentials, and then the logarithms of the columns' totals, are each
        // one vectorised pass (column by column, ten classes fill less than one AVX-512 register
        // and leave a scalar remainder; docs/performance.md). A column is
        // sum_k y_k ln_total - sum_k y_k (z_k - m); where that is NaN (a target of 0 times a
        // shifted sum of -inf, at sums near the largest finite value), the column is taken
        // again class by class, skipping the targets of 0.
        constexpr Eigen::Index buffer_size = 128;
        constexpr Eigen::Index most_columns = 16;
        alignas(64) scalar buffer[buffer_size];
        alignas(64) scalar largest[most_columns];
        alignas(64) scalar log_total[most_columns];
        alignas(64) scalar dot[most_columns];
        const Eigen::Index rows = sum.rows();
        // More classes than the buffer holds: one column at a time, in the buffer's place.
        const bool fits = rows <= buffer_size;
        const Eigen::Index block =
            fits ? std::min(buffer_size / std::max<Eigen::Index>(rows, 1), most_columns) : 1;
        for (Eigen::Index first = 0; first < sum.cols(); first += block) {
            const Eigen::Index count = std::min(block, sum.cols() - first);
            for (Eigen::Index j = 0; j < count; ++j) {
                const Eigen::Index c = first + j;
                largest[j] = sum.col(c).maxCoeff();
                scalar d(0);
                for (Eigen::Index k = 0; k < rows; ++k) {
                    const scalar shifted = sum.coeff(k, c) - largest[j];
                    d += target.coeff(k, c) * shifted;
                    if (fits) {
                        buffer[j * rows + k] = shifted;
                    }
                }
                dot[j] = d;
                if (!fits) {
                    log_total[j] = std::log((sum.col(c).array() - largest[j]).exp().sum());
                }
            }
            if (fits) {
                Eigen::Map<Eigen::Array<scalar, Eigen::Dynamic, Eigen::Dynamic>> shifted(
                    buffer, rows, count);
                shifted = shifted.exp();
                Eigen::Map<Eigen::Array<scalar, 1, Eigen::Dynamic>>(log_total, count) =
                    shifted.colwise().sum().log();
            }
            for (Eigen::Index j = 0; j < count; ++j) {
                scalar column = target.col(first + j).sum() * log_total[j] - dot[j];
                if (std::isnan(column)) [[unlikely]] {
                    column = 0;
                    for (Eigen::Index k = 0; k < rows; ++k) {
                        const scalar y = target.coeff(k, first + j);
                        if (y != scalar(0)) {
                            column += y * (log_total[j] - (sum.coeff(k, first + j) - largest[j]));
                        }
                    }
                }
                total += column;
                mean += column / batch;
            }
        }
        return std::isinf(total) ? mean : total / batch;
    }

    /// \f$\partial E / \partial sum = (p - target) / B\f$, from the softmax outputs \f$p\f$
    /// the forward pass computed.
    /// @pre each column of `target` adds up to 1.
    template <class Sum, class Output, class Target>
    [[nodiscard]] auto error_signal(const softmax& /*activation*/,
                                    const Eigen::MatrixBase<Sum>& /*sum*/,
                                    const Eigen::MatrixBase<Output>& output,
                                    const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return (output - target) / static_cast<scalar>(output.cols());
    }
};

} // namespace ffn
