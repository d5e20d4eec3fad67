// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Binary cross-entropy, for a single sigmoid output that is the probability of the positive
/// class.

#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include "ffn/activations/sigmoid.hpp"
#include "ffn/detail/output_layer.hpp"

namespace ffn {

/// For an output \f$p \in [0, 1]\f$ (a probability) and a target \f$y \in [0, 1]\f$ (a label
/// 0 or 1, or a soft label):
/// \f$E = -(y \ln p + (1 - y) \ln(1 - p))\f$, with gradient
/// \f$\partial E / \partial p = (p - y) / (p(1 - p))\f$.
///
/// Reduction: mean over the outputs and mean over the batch, that is the mean over every
/// element. This is PyTorch's `torch.nn.BCELoss()` with its default `reduction='mean'`,
/// including its guards: each logarithm is clamped to at least \f$-100\f$, so an output of
/// exactly 0 or 1 costs at most 100 instead of infinity, and the gradient's denominator
/// \f$p(1 - p)\f$ is clamped to at least \f$10^{-12}\f$ (the first is stated in PyTorch's
/// documentation of `BCELoss`, the second is in its implementation of the backward pass).
/// Where a clamp is active the value and the gradient stay finite but are no longer each
/// other's derivative. \f$\ln(1 - p)\f$ is computed as `log1p(-p)`, which keeps its digits
/// for small \f$p\f$.
///
/// **Fused with ffn::sigmoid** (which `ffn::network` always uses, since it requires a sigmoid
/// output): from the output layer's sums (logits) \f$z\f$,
/// \f$E = \max(z, 0) - z y + \ln(1 + e^{-|z|})\f$, the same number computed without
/// \f$\ln 0\f$, and \f$\partial E / \partial z = (\sigma(z) - y)\f$, both with the same mean.
/// This is PyTorch's `torch.nn.BCEWithLogitsLoss()`; no clamp is needed and logits of
/// \f$\pm 1000\f$ give exact, finite values.
///
/// In a network, the output layer must use `ffn::sigmoid` and have exactly one output (or a
/// number of outputs given at run time); `check_output_layer` refuses anything else at
/// compile time.
struct binary_cross_entropy {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "binary_cross_entropy";
    /// \f$\partial E / \partial output\f$ as explanations write it.
    static constexpr std::string_view gradient_notation = "(out - target) / (n out(1 - out))";
    /// \f$\partial E / \partial sum\f$ of the fused form, as explanations write it.
    static constexpr std::string_view error_signal_notation = "(out - target) / n";

    /// The largest cost of one output, where the logarithm is clamped.
    static constexpr double log_floor = -100.0;
    /// The smallest denominator \f$p(1 - p)\f$ of the gradient.
    static constexpr double denominator_floor = 1e-12;

    /// Instantiated by `ffn::network` with its last layer: refuses an output layer whose
    /// outputs are not one probability.
    template <class OutputLayer>
    struct check_output_layer {
        static_assert(std::is_same_v<detail::layer_activation_t<OutputLayer>, sigmoid>,
                      "ffn::binary_cross_entropy: the output layer's activation must be "
                      "ffn::sigmoid, because the loss reads the output as a probability in "
                      "(0, 1); for several classes use ffn::softmax with "
                      "ffn::categorical_cross_entropy.");
        static_assert(OutputLayer::output_size == 1 || OutputLayer::output_size == Eigen::Dynamic,
                      "ffn::binary_cross_entropy: the output layer must have exactly one output, "
                      "the probability of the positive class; for several classes use "
                      "ffn::softmax with ffn::categorical_cross_entropy.");
    };

    /// The loss of a batch: the mean over its samples (columns).
    template <class Output, class Target>
    [[nodiscard]] typename Output::Scalar value(const Eigen::MatrixBase<Output>& output,
                                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        const auto floor = static_cast<scalar>(log_floor);
        const scalar total =
            (target.array() * output.array().log().cwiseMax(floor) +
             (scalar(1) - target.array()) * (-output.array()).log1p().cwiseMax(floor))
                .sum();
        return -total / static_cast<scalar>(output.size());
    }

    /// \f$\partial E / \partial output\f$ of that loss, as an expression of the output's shape (it
    /// carries the \f$1/batch\f$ factor).
    template <class Output, class Target>
    [[nodiscard]] auto gradient(const Eigen::MatrixBase<Output>& output,
                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        const auto floor = static_cast<scalar>(denominator_floor);
        return ((output - target).array() /
                (output.array() * (scalar(1) - output.array())).cwiseMax(floor) /
                static_cast<scalar>(output.size()))
            .matrix();
    }

    /// The loss from the output layer's sums (logits), as `BCEWithLogitsLoss` computes it.
    template <class Sum, class Target>
    [[nodiscard]] typename Sum::Scalar value_from_sum(
        const sigmoid& /*activation*/, const Eigen::MatrixBase<Sum>& sum,
        const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Sum::Scalar;
        const scalar total = (sum.array().cwiseMax(scalar(0)) - sum.array() * target.array() +
                              (-sum.array().abs()).exp().log1p())
                                 .sum();
        return total / static_cast<scalar>(sum.size());
    }

    /// \f$\partial E / \partial sum = (\sigma(sum) - target) / (n B)\f$, from the outputs
    /// \f$\sigma(sum)\f$ the forward pass computed.
    template <class Sum, class Output, class Target>
    [[nodiscard]] auto error_signal(const sigmoid& /*activation*/,
                                    const Eigen::MatrixBase<Sum>& /*sum*/,
                                    const Eigen::MatrixBase<Output>& output,
                                    const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return (output - target) / static_cast<scalar>(output.size());
    }
};

} // namespace ffn
