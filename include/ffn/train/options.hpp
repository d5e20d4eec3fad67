// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The settings of `ffn::fit`.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include <Eigen/Core>

#include "ffn/concepts/optimizer.hpp"
#include "ffn/concepts/scalar.hpp"
#include "ffn/train/history.hpp"

namespace ffn {

/// What the per-epoch callback tells `ffn::fit` to do next.
enum class fit_action {
    continue_training, ///< go on with the next epoch
    stop_training,     ///< end training after this epoch
};

/// Stop when the monitored loss (the validation loss when there is validation data, else the
/// training loss) has not improved for more than `patience` epochs in a row.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct early_stopping_options {
    /// How many epochs without improvement are tolerated; 0 stops at the first one.
    std::size_t patience = 10;
    /// An epoch improves only if its loss is below the best so far minus `min_delta`
    /// (finite and non-negative).
    Scalar min_delta = 0;
    /// When training ends (for whatever reason other than an exception), give the network
    /// the parameters of its best epoch.
    bool restore_best = true;
};

/// Samples to measure the network on after every epoch, kept apart from training. Inputs and
/// targets hold one column per sample.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct validation_data {
    /// One column per validation sample, as many rows as the network has inputs.
    Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> inputs{};
    /// One column per validation sample, as many rows as the network has outputs.
    Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> targets{};
};

/// The settings of `ffn::fit`. An aggregate, so designated initializers work:
/// `ffn::fit_options<double>{.batch_size = 16, .epochs = 200, .seed = 7}`.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct fit_options {
    /// Samples per mini-batch (positive). The last batch of an epoch holds what is left.
    Eigen::Index batch_size = 32;
    /// Passes over the training samples (positive).
    std::size_t epochs = 1;
    /// Fixes the order of the samples in every epoch and the validation split.
    std::uint64_t seed = 0;
    /// Reorder the training samples at random at the start of every epoch (the order depends
    /// on `seed` and the epoch only). Off: the samples are taken in their order.
    bool shuffle = true;
    /// Set aside this fraction of the samples (in [0, 1), chosen at random by `seed`, rounded
    /// down) as validation data. 0: none. Not together with `validation`.
    double validation_fraction = 0;
    /// Validation samples given separately. Not together with `validation_fraction`.
    std::optional<validation_data<Scalar>> validation{};
    /// Also measure the classification accuracy (see `ffn::accuracy`) against the targets:
    /// with softmax outputs the index of the largest output against that of the largest
    /// target; with sigmoid outputs each output is its own yes/no (`output >= 0.5` against
    /// `target >= 0.5`), counted one by one. A network whose outputs are neither is refused
    /// with `std::invalid_argument` before training starts.
    bool accuracy = false;
    /// Stop early when the monitored loss stops improving; off when empty.
    std::optional<early_stopping_options<Scalar>> early_stopping{};
    /// If set, the learning rate of epoch `e` (counted from 0) is `schedule(e)`, given to the
    /// optimizer before the epoch starts. See `use_schedule`.
    std::function<Scalar(std::size_t)> schedule{};
    /// If set, called after every epoch with its record; returning
    /// `fit_action::stop_training` ends training after that epoch.
    std::function<fit_action(const epoch_record<Scalar>&)> on_epoch{};
    /// If set, called after every training step with the batch's figures (see
    /// `batch_record`). Empty: nothing is done per batch. `ffn::progress_display` sets it in
    /// terminal mode.
    std::function<void(const batch_record<Scalar>&)> on_batch{};
    /// If set, each batch's gradients are rescaled, before the step, so that their global L2
    /// norm is at most about this (positive and finite); see `ffn::clip_gradient_norm`. A
    /// non-finite gradient norm ends training with `ffn::divergence_error`. Not together with
    /// `clip_gradient_value`.
    std::optional<Scalar> clip_gradient_norm{};
    /// If set, every element of each batch's gradients is clamped to [-value, value] before
    /// the step (positive and finite); see `ffn::clip_gradient_value`. Not together with
    /// `clip_gradient_norm`.
    std::optional<Scalar> clip_gradient_value{};
    /// Threads that share each batch: 1 (the default) trains on the calling thread; `n > 1`
    /// splits each batch into up to `n` blocks of columns, one per thread, each with its own
    /// workspace and gradients, which are then added in the order of the blocks, so that the
    /// result does not depend on how the threads are scheduled; 0 asks for
    /// `std::thread::hardware_concurrency()` threads. A batch is split only as far as each
    /// block keeps at least 32 samples and \f$2^{21}\f$ parameters x samples of work, so a
    /// small network or a small batch stays on one thread, where splitting would cost more than
    /// it saves;
    /// and a network with a layer that trains differently from how it infers (dropout, batch
    /// normalisation) always trains on one thread. The parameters then depend on the number
    /// of blocks (sums taken in another grouping), not on anything else; with one block they
    /// are those of `threads = 1`, bit for bit. See `ffn::fit_threads`.
    std::size_t threads = 1;

    /// Sets `schedule` from a schedule object (`ffn::step_decay`, `ffn::cosine_annealing`, or
    /// any type with `learning_rate(epoch)`); a copy is kept.
    template <learning_rate_schedule Schedule>
    void use_schedule(const Schedule& s) {
        schedule = [s](std::size_t epoch) { return static_cast<Scalar>(s.learning_rate(epoch)); };
    }
};

} // namespace ffn
