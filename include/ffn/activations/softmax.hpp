// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The softmax, which turns each column of sums into a probability distribution.

#include <string_view>

#include <Eigen/Core>

namespace ffn {

/// \f$out_k = e^{sum_k} / \sum_j e^{sum_j}\f$, column by column: the outputs of a column are
/// positive and add up to 1. A vector-valued activation (see concepts/activation.hpp): each
/// output depends on every sum of its column, with Jacobian
/// \f$\partial out_k / \partial sum_j = out_k(\delta_{kj} - out_j)\f$.
///
/// The column's largest sum is subtracted before exponentiating (which does not change the
/// result), so every exponent is at most 0: nothing overflows, and the denominator is at
/// least 1. Sums of \f$\pm 1000\f$ give outputs of exactly 0 and 1, never NaN.
///
/// As the output layer of a classifier it goes with `ffn::categorical_cross_entropy`, which
/// skips the Jacobian altogether (its fused error signal is \f$out - target\f$).
struct softmax {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "softmax";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation = "out_k(delta_kj - out_j)";

    /// Writes the softmax of each column of `sum` into the same column of `output`.
    /// @pre `sum` has at least one row; `output` has `sum`'s shape or can be resized to it.
    template <class Sum, class Output>
    void forward(const Eigen::MatrixBase<Sum>& sum, Eigen::MatrixBase<Output>& output) const {
        using scalar = typename Sum::Scalar;
        output.derived().resize(sum.rows(), sum.cols());
        // Each column shifted by its largest sum, so that no exponential overflows; then one
        // exponential over all the values at once, which runs in full vector registers
        // whatever the number of rows (column by column, ten rows fill less than one
        // AVX-512 register and leave a scalar remainder).
        for (Eigen::Index j = 0; j < sum.cols(); ++j) {
            const scalar largest = sum.col(j).maxCoeff();
            output.col(j).array() = sum.col(j).array() - largest;
        }
        output.array() = output.array().exp();
        for (Eigen::Index j = 0; j < sum.cols(); ++j) {
            const scalar total = output.col(j).sum();
            output.col(j) /= total;
        }
    }

    /// On entry `signal` holds \f$\partial E / \partial out\f$, on return
    /// \f$\partial E / \partial sum\f$: per column,
    /// \f$signal_k \leftarrow out_k (signal_k - \sum_j out_j \, signal_j)\f$, which is the
    /// product with the transposed Jacobian without forming it. Allocates nothing.
    /// @pre `output` is the softmax of `sum` (from `forward`); `signal` has its shape.
    template <class Sum, class Output, class Signal>
    void backward(const Eigen::MatrixBase<Sum>& /*sum*/, const Eigen::MatrixBase<Output>& output,
                  Eigen::MatrixBase<Signal>& signal) const {
        using scalar = typename Signal::Scalar;
        for (Eigen::Index j = 0; j < signal.cols(); ++j) {
            const scalar weighted = output.col(j).dot(signal.col(j));
            signal.col(j).array() = output.col(j).array() * (signal.col(j).array() - weighted);
        }
    }
};

} // namespace ffn
