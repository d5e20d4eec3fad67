// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Run-time checks of a data set (one column per sample) shared by training and evaluation.
/// They run once per call, before any work, and build no strings unless they fail.

#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ffn/errors.hpp"

namespace ffn::detail {

/// "nan", "inf" or "-inf": how a value that is not finite is named in messages.
template <class Scalar>
[[nodiscard]] std::string non_finite_name(Scalar value) {
    if (std::isnan(value)) {
        return "nan";
    }
    return value > 0 ? "inf" : "-inf";
}

/// @throws std::invalid_argument naming `where`, `what`, and the sample (column) and row of
///         the first value of `data` that is NaN or infinite, scanning sample by sample.
template <class Derived>
void check_finite(std::string_view where, std::string_view what,
                  const Eigen::MatrixBase<Derived>& data) {
    if (data.allFinite()) {
        return;
    }
    for (Eigen::Index column = 0; column < data.cols(); ++column) {
        for (Eigen::Index row = 0; row < data.rows(); ++row) {
            const auto value = data.coeff(row, column);
            if (!std::isfinite(value)) {
                detail::raise(std::invalid_argument(
                    std::string(where) + ": the " + std::string(what) + " hold " +
                    non_finite_name(value) + " in sample (column) " + std::to_string(column) +
                    ", row " + std::to_string(row) + "; every value must be finite"));
            }
        }
    }
}

/// @throws std::invalid_argument if `inputs` and `targets` do not fit a network with
///         `input_count` inputs and `output_count` outputs, hold no samples, differ in their
///         number of samples, or hold a value that is NaN or infinite. `what` names the data
///         set in messages ("inputs" and "targets", or "validation inputs" and so on).
template <class Inputs, class Targets>
void check_data(std::string_view where, std::string_view inputs_name, std::string_view targets_name,
                const Eigen::MatrixBase<Inputs>& inputs, const Eigen::MatrixBase<Targets>& targets,
                Eigen::Index input_count, Eigen::Index output_count) {
    const std::string prefix = std::string(where) + ": the ";
    if (inputs.rows() != input_count) {
        detail::raise(
            std::invalid_argument(prefix + std::string(inputs_name) + " have " +
                                  std::to_string(inputs.rows()) + " rows, but the network takes " +
                                  std::to_string(input_count) + " inputs (one row each)"));
    }
    if (targets.rows() != output_count) {
        detail::raise(
            std::invalid_argument(prefix + std::string(targets_name) + " have " +
                                  std::to_string(targets.rows()) + " rows, but the network gives " +
                                  std::to_string(output_count) + " outputs (one row each)"));
    }
    if (inputs.cols() == 0) {
        detail::raise(std::invalid_argument(prefix + std::string(inputs_name) +
                                            " have no columns (no samples)"));
    }
    if (targets.cols() != inputs.cols()) {
        detail::raise(std::invalid_argument(
            prefix + std::string(inputs_name) + " have " + std::to_string(inputs.cols()) +
            " columns (samples), but the " + std::string(targets_name) + " have " +
            std::to_string(targets.cols())));
    }
    check_finite(where, inputs_name, inputs);
    check_finite(where, targets_name, targets);
}

} // namespace ffn::detail
