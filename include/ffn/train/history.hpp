// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// What `ffn::fit` reports: one record per epoch, and why training ended; and what it tells
/// the per-batch callback.

#include <cstddef>
#include <optional>
#include <vector>

#include "ffn/concepts/scalar.hpp"

namespace ffn {

/// The figures of one epoch, as `ffn::fit` passes them to the per-epoch callback and keeps
/// them in its `history`.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct epoch_record {
    /// The epoch's index, counted from 0.
    std::size_t epoch = 0;
    /// The learning rate the optimizer used during the epoch.
    Scalar learning_rate{};
    /// The mean loss over the epoch's training samples, each batch measured just before its
    /// step (so it describes the parameters as they moved during the epoch).
    Scalar training_loss{};
    /// The mean loss over the validation samples after the epoch, if there are any.
    std::optional<Scalar> validation_loss{};
    /// The fraction of training samples classified correctly, measured like the training
    /// loss; only when `fit_options::accuracy` is set.
    std::optional<double> training_accuracy{};
    /// The fraction of validation samples classified correctly after the epoch; only when
    /// `fit_options::accuracy` is set and there are validation samples.
    std::optional<double> validation_accuracy{};
};

/// One training step, as `ffn::fit` passes it to `fit_options::on_batch` right after the
/// step. Not kept in the `history`.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct batch_record {
    /// The epoch's index, counted from 0.
    std::size_t epoch = 0;
    /// The batch's index within its epoch, counted from 0.
    std::size_t batch = 0;
    /// The number of batches in every epoch (the last one may hold fewer samples).
    std::size_t batches = 0;
    /// The training samples of this epoch taken so far, this batch's included.
    std::size_t samples = 0;
    /// The batch's mean loss, measured just before the step (the figure the epoch's
    /// `training_loss` averages, weighted by the batch sizes).
    Scalar loss{};
};

/// Why `ffn::fit` returned.
enum class stop_reason {
    completed,      ///< all `epochs` ran
    early_stopping, ///< the monitored loss stopped improving for `patience` epochs
    callback,       ///< the per-epoch callback asked to stop
};

/// Everything `ffn::fit` measured, epoch by epoch.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct history {
    /// One record per epoch that ran, in order.
    std::vector<epoch_record<Scalar>> epochs;
    /// Why training ended.
    stop_reason reason = stop_reason::completed;
    /// With early stopping: the epoch with the lowest monitored loss (the validation loss when
    /// there is validation data, else the training loss).
    std::optional<std::size_t> best_epoch;
};

} // namespace ffn
