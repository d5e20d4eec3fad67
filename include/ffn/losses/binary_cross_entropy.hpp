// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Binary cross-entropy, for sigmoid outputs that are each the probability of a yes: one
/// output for two classes, or several for multi-label targets (each output its own yes/no).

#include <cmath>
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
/// Every output is its own yes/no question (multi-label: a sample may answer yes to several,
/// or to none), so the outputs of a column need not add up to anything. With one output this
/// is the usual two-class loss.
///
/// Reduction: mean over the \f$n\f$ outputs and mean over the \f$B\f$ samples, that is the
/// mean over all \f$n B\f$ elements. This is PyTorch's `torch.nn.BCELoss()` with its default
/// `reduction='mean'`, including its guards: each logarithm is clamped to at least
/// \f$-100\f$, so an output of exactly 0 or 1 costs at most 100 instead of infinity, and the
/// gradient's denominator \f$p(1 - p)\f$ is clamped to at least \f$10^{-12}\f$ (the first is
/// stated in PyTorch's documentation of `BCELoss`, the second is in its implementation of the
/// backward pass). Where a clamp is active the value and the gradient stay finite but are no
/// longer each other's derivative. \f$\ln(1 - p)\f$ is computed as `log1p(-p)`, which keeps
/// its digits for small \f$p\f$.
///
/// **Fused with ffn::sigmoid** (which `ffn::network` always uses, since it requires sigmoid
/// outputs): from the output layer's sums (logits) \f$z\f$,
/// \f$E = \max(z, 0) - z y + \ln(1 + e^{-|z|})\f$ per element, the same number computed
/// without \f$\ln 0\f$, and \f$\partial E / \partial z = (\sigma(z) - y) / (n B)\f$, both with
/// the same mean. This is PyTorch's `torch.nn.BCEWithLogitsLoss()` (default `reduction='mean'`,
/// no `weight`, no `pos_weight`) for any number of outputs; no clamp is needed, and logits of
/// \f$\pm 1000\f$, or as large as the scalar type holds (\f$\pm 1.7 \cdot 10^{308}\f$ in
/// double, \f$\pm 3 \cdot 10^{38}\f$ in float), give exact, finite values: every element is
/// at most \f$|z|\f$ for \f$y \in [0, 1]\f$, and where the sum of the elements overflows
/// the mean is taken term by term instead.
///
/// In a network, the output layer must use `ffn::sigmoid`, with any number of outputs;
/// `check_output_layer` refuses another activation at compile time.
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
    /// outputs are not probabilities.
    template <class OutputLayer>
    struct check_output_layer {
        static_assert(std::is_same_v<detail::layer_activation_t<OutputLayer>, sigmoid>,
                      "ffn::binary_cross_entropy: the output layer's activation must be "
                      "ffn::sigmoid, because the loss reads each output as its own probability "
                      "in (0, 1); for one class out of several use ffn::softmax with "
                      "ffn::categorical_cross_entropy.");
    };

    /// The loss of a batch: the mean over its outputs and samples (all elements).
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
    /// carries the \f$1/(n B)\f$ factor of the mean).
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

    /// The loss from the output layer's sums (logits), as `BCEWithLogitsLoss` computes it:
    /// the mean of \f$\max(z, 0) - z y + \ln(1 + e^{-|z|})\f$ over all elements.
    template <class Sum, class Target>
    [[nodiscard]] typename Sum::Scalar value_from_sum(
        const sigmoid& /*activation*/, const Eigen::MatrixBase<Sum>& sum,
        const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Sum::Scalar;
        const auto count = static_cast<scalar>(sum.size());
        const scalar total = logit_terms(sum, target).sum();
        if (std::isinf(total)) [[unlikely]] {
            // Each term is finite (at most |z|), only their sum overflowed: the mean of terms
            // near the largest finite value is still finite when taken term by term.
            return (logit_terms(sum, target) / count).sum();
        }
        return total / count;
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

private:
    /// The per-element losses from the logits, as an array expression of the sums' shape.
    template <class Sum, class Target>
    [[nodiscard]] static auto logit_terms(const Eigen::MatrixBase<Sum>& sum,
                                          const Eigen::MatrixBase<Target>& target) {
        using scalar = typename Sum::Scalar;
        return sum.array().cwiseMax(scalar(0)) - sum.array() * target.array() +
               (-sum.array().abs()).exp().log1p();
    }
};

} // namespace ffn
