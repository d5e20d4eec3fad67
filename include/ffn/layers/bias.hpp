// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Bias policies for `ffn::dense`: how many biases a layer has and how they enter its sums.
///
/// A bias policy provides
/// - `static constexpr std::string_view name`;
/// - `size(outputs)`: how many bias values a layer with `outputs` units holds (constexpr;
///   given `Eigen::Dynamic` it answers the compile-time size);
/// - `add(bias, sum)`: adds the biases to every column of the weighted sums;
/// - `gradient(signal, grad)`: \f$\partial E / \partial b\f$ from the layer's error signal
///   \f$\partial E / \partial sum\f$ (summed over the batch columns, whose gradients already
///   carry the loss's batch factor).

#include <concepts>
#include <string_view>

#include <Eigen/Core>

namespace ffn {

/// One bias per unit: \f$sum_j = \sum_i w_{ji} x_i + b_j\f$. The usual choice, and the default.
struct per_unit_bias {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "per_unit";
    /// One bias per unit: `outputs`.
    static constexpr Eigen::Index size(Eigen::Index outputs) noexcept { return outputs; }

    /// Adds bias `j` to row `j` of every column of `sum`.
    template <class Bias, class Sum>
    static void add(const Eigen::MatrixBase<Bias>& bias, Eigen::MatrixBase<Sum>& sum) {
        if constexpr (Sum::ColsAtCompileTime == 1) {
            sum += bias; // one vectorised pass; Eigen's colwise() form adds one value at a time
        } else {
            sum.colwise() += bias;
        }
    }

    /// \f$\partial E / \partial b_j\f$: row `j` of the error signal, summed over the batch.
    template <class Signal, class Grad>
    static void gradient(const Eigen::MatrixBase<Signal>& signal, Eigen::MatrixBase<Grad>& grad) {
        grad.noalias() = signal.rowwise().sum();
    }
};

/// One bias shared by every unit of the layer, as the lecture draws it (one \f$b_1\f$ for
/// \f$h_1\f$ and \f$h_2\f$). Its gradient is the sum of the units' error signals.
struct shared_bias {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "shared";
    /// One bias for the whole layer.
    static constexpr Eigen::Index size(Eigen::Index /*outputs*/) noexcept { return 1; }

    /// Adds the one bias to every sum.
    template <class Bias, class Sum>
    static void add(const Eigen::MatrixBase<Bias>& bias, Eigen::MatrixBase<Sum>& sum) {
        sum.array() += bias(0);
    }

    /// \f$\partial E / \partial b\f$: the error signal summed over the units and the batch.
    template <class Signal, class Grad>
    static void gradient(const Eigen::MatrixBase<Signal>& signal, Eigen::MatrixBase<Grad>& grad) {
        grad(0) = signal.sum();
    }
};

/// No bias at all: \f$sum_j = \sum_i w_{ji} x_i\f$.
struct no_bias {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "none";
    /// No biases.
    static constexpr Eigen::Index size(Eigen::Index /*outputs*/) noexcept { return 0; }

    /// Leaves the sums as they are.
    template <class Bias, class Sum>
    static void add(const Eigen::MatrixBase<Bias>& /*bias*/, Eigen::MatrixBase<Sum>& /*sum*/) {}

    /// There is nothing to compute.
    template <class Signal, class Grad>
    static void gradient(const Eigen::MatrixBase<Signal>& /*signal*/,
                         Eigen::MatrixBase<Grad>& /*grad*/) {}
};

/// A bias policy; see the file comment.
// clang-format off
template <class B>
concept bias_policy =
    requires(const Eigen::VectorXd& bias, Eigen::MatrixXd& sum, const Eigen::MatrixXd& signal,
             Eigen::VectorXd& grad) {
        { B::name } -> std::convertible_to<std::string_view>;
        { B::size(Eigen::Index{1}) } -> std::same_as<Eigen::Index>;
        B::add(bias, sum);
        B::gradient(signal, grad);
    };
// clang-format on

} // namespace ffn
