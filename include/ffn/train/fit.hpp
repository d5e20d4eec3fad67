// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::fit`: mini-batch training over a data set, with validation, early stopping, a
/// learning-rate schedule, gradient clipping and per-epoch and per-batch callbacks.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <concepts>
#include <utility>
#include <variant>
#include <vector>

#include <Eigen/Core>

#include "ffn/concepts/optimizer.hpp"
#include "ffn/detail/data_checks.hpp"
#include "ffn/detail/random.hpp"
#include "ffn/detail/thread_team.hpp"
#include "ffn/errors.hpp"
#include "ffn/network.hpp"
#include "ffn/optimizers/clipping.hpp"
#include "ffn/train/evaluate.hpp"
#include "ffn/train/history.hpp"
#include "ffn/train/options.hpp"
#include "ffn/train/split.hpp"

namespace ffn {

namespace detail {

/// True if every parameter of `net` is finite. Checked after every step, so it is one
/// vectorised sum per tensor: `x - x` is 0 for a finite `x` and NaN otherwise, and a sum of
/// zeros is 0 unless a NaN is among them. (Eigen's `allFinite` is not vectorised.)
template <class Net>
[[nodiscard]] bool parameters_finite(const Net& net) {
    bool finite = true;
    net.visit_tensors([&finite](std::size_t, std::string_view, const auto& tensor, bool) {
        finite = finite && !std::isnan((tensor.array() - tensor.array()).sum());
    });
    return finite;
}

/// Whether layer type `L` has a training-mode pass of its own (dropout, batch normalisation).
template <class L>
constexpr bool layer_has_training_pass =
    requires(L& l, const probe_input<L>& input, typename L::template trace_type<Eigen::Dynamic>& t,
             training_pass& pass) {
    l.forward(input, t, pass);
};

/// Whether a layer of `Net` has a training-mode pass of its own: then a batch's result
/// depends on the whole batch, and `fit` does not split it between threads.
template <class Net, std::size_t... I>
constexpr bool has_training_pass(std::index_sequence<I...> /*unused*/) {
    return (layer_has_training_pass<typename Net::template layer_type<I>> || ...);
}

/// What a block of a batch needs to be given a thread of its own: at least
/// `min_samples_per_thread` samples and `min_work_per_thread` parameters x samples. Below
/// that, the work a block adds (its own gradients, which the threads then add up, and handing
/// the block to its thread) costs more than sharing the batch saves (docs/performance.md,
/// "Threads in fit").
inline constexpr Eigen::Index min_samples_per_thread = 32;
/// See `min_samples_per_thread`.
inline constexpr Eigen::Index min_work_per_thread = Eigen::Index{1} << 21U;

/// The number of blocks `fit` splits a batch of `samples` samples into, for a network of
/// `parameters` parameters, asked for `threads` threads (0: the hardware's).
[[nodiscard]] inline std::size_t blocks_for(Eigen::Index parameters, Eigen::Index samples,
                                            std::size_t threads, bool splittable) noexcept {
#if FFN_HAS_THREADS
    if (threads == 0) {
        threads = hardware_threads();
    }
#endif
    if (threads <= 1 || !splittable || parameters <= 0 || samples <= 1) {
        return 1;
    }
    // The fewest samples a block may hold.
    const Eigen::Index least =
        std::max(min_samples_per_thread, (min_work_per_thread + parameters - 1) / parameters);
    const auto by_work = static_cast<std::size_t>(samples / least);
    return std::clamp<std::size_t>(by_work, 1, threads);
}

/// Elements `[first, end)` of a tensor of `size` elements: slice `slice` of `slices` nearly
/// equal ones, with inner boundaries at multiples of 16 elements (a cache line of floats), so
/// that threads writing neighbouring slices never share a line of an aligned tensor.
struct tensor_slice {
    Eigen::Index first;
    Eigen::Index end;
};
[[nodiscard]] inline tensor_slice slice_of(Eigen::Index size, std::size_t slice,
                                           std::size_t slices) noexcept {
    const auto n = static_cast<Eigen::Index>(slices);
    const auto boundary = [=](Eigen::Index k) {
        if (k >= n) {
            return size;
        }
        const Eigen::Index at = k * (size / n) + std::min(k, size % n);
        return at - at % 16;
    };
    const auto k = static_cast<Eigen::Index>(slice);
    return {boundary(k), boundary(k + 1)};
}

/// The state of one call to `fit`. Everything that a batch needs is sized before the first
/// epoch or on the first batch of its size, so later epochs allocate nothing.
template <class Net, class Optimizer, class Inputs, class Targets>
class trainer {
public:
    using scalar_type = typename Net::scalar_type;
    using options_type = fit_options<scalar_type>;
    using data_matrix = Eigen::Matrix<scalar_type, Eigen::Dynamic, Eigen::Dynamic>;

    trainer(Net& net, Optimizer& optimizer, const Eigen::MatrixBase<Inputs>& inputs,
            const Eigen::MatrixBase<Targets>& targets, const options_type& options)
        : net_(net), optimizer_(optimizer), inputs_(inputs), targets_(targets), options_(options),
          grads_(net), mode_(options.seed) {
        check_options();
        check_data("ffn::fit", "inputs", "targets", inputs, targets, net.inputs(), net.outputs());
        if (options.validation) {
            check_data("ffn::fit", "validation inputs", "validation targets",
                       options.validation->inputs, options.validation->targets, net.inputs(),
                       net.outputs());
        }
        split();
        check_batch_statistics();
        start_threads();
        if constexpr (!replays_) {
            before_step_ = net;
        }
        order_.resize(training_.size());
        if (options.early_stopping && options.early_stopping->restore_best) {
            best_.emplace(net);
        }
    }

    history<scalar_type> run() {
        history<scalar_type> result;
        // A record per epoch, reserved up front (capped, in case `epochs` is huge and early
        // stopping is expected to end training) so that recording does not allocate.
        result.epochs.reserve(std::min<std::size_t>(options_.epochs, std::size_t{1} << 16U));
        std::size_t epochs_without_improvement = 0;
        std::optional<scalar_type> best_loss;
        for (std::size_t epoch = 0; epoch < options_.epochs; ++epoch) {
            if (options_.schedule) {
                optimizer_.set_learning_rate(options_.schedule(epoch));
            }
            epoch_record<scalar_type> record;
            record.epoch = epoch;
            record.learning_rate = static_cast<scalar_type>(optimizer_.learning_rate());
            order_epoch(epoch);
            train_epoch(epoch, record);
            measure_validation(epoch, record);
            result.epochs.push_back(record);

            bool stop = false;
            if (options_.early_stopping) {
                const auto& settings = *options_.early_stopping;
                const scalar_type monitored =
                    record.validation_loss ? *record.validation_loss : record.training_loss;
                if (!best_loss || monitored < *best_loss - settings.min_delta) {
                    best_loss = monitored;
                    result.best_epoch = epoch;
                    epochs_without_improvement = 0;
                    if (best_) {
                        *best_ = net_;
                    }
                } else if (++epochs_without_improvement > settings.patience) {
                    stop = true;
                    result.reason = stop_reason::early_stopping;
                }
            }
            if (options_.on_epoch && options_.on_epoch(record) == fit_action::stop_training &&
                !stop) {
                stop = true;
                result.reason = stop_reason::callback;
            }
            if (stop) {
                break;
            }
        }
        if (best_) {
            net_ = *best_;
        }
        return result;
    }

private:
    /// Whether a divergence is undone by replaying the epoch from its start (an optimizer that
    /// can be copied), rather than from a copy of the network made before every step.
    static constexpr bool replays_ = std::copyable<Optimizer>;

    /// What an epoch starts from.
    struct epoch_state {
        Net net;
        Optimizer optimizer;
        training mode;
        std::vector<Eigen::Index> order;
    };

    /// A mini-batch and the workspace its forward pass fills.
    struct batch {
        typename Net::template input_matrix<Eigen::Dynamic> inputs;
        typename Net::template output_matrix<Eigen::Dynamic> targets;
        workspace<Net, Eigen::Dynamic> ws;
    };

    /// What one thread keeps for its block of a batch split between threads. The first block's
    /// gradients are the batch's (`grads_`), so its `grads` stays empty.
    struct block {
        batch full;
        batch last;
        gradients<Net> grads;
        double loss = 0;
        Eigen::Index hits = 0;
    };

    static constexpr bool splittable_ =
        !has_training_pass<Net>(std::make_index_sequence<Net::layer_count>{});

    void check_options() const {
        const std::string where = "ffn::fit: ";
        if (options_.batch_size <= 0) {
            detail::raise(std::invalid_argument(where +
                                                "options.batch_size must be positive, got " +
                                                std::to_string(options_.batch_size)));
        }
        if (options_.epochs == 0) {
            detail::raise(std::invalid_argument(where + "options.epochs must be positive, got 0"));
        }
        if (!(options_.validation_fraction >= 0.0 && options_.validation_fraction < 1.0)) {
            detail::raise(std::invalid_argument(
                where + "options.validation_fraction must be in [0, 1), got " +
                std::to_string(options_.validation_fraction)));
        }
        if (options_.validation && options_.validation_fraction > 0.0) {
            detail::raise(
                std::invalid_argument(where + "options.validation and options.validation_fraction "
                                              "are both set; give validation samples one way"));
        }
        check_clipping(where);
        if (options_.early_stopping) {
            const scalar_type delta = options_.early_stopping->min_delta;
            if (!(delta >= 0) || !std::isfinite(delta)) {
                detail::raise(
                    std::invalid_argument(where +
                                          "options.early_stopping->min_delta must be finite "
                                          "and non-negative, got " +
                                          std::to_string(delta)));
            }
        }
        if (options_.accuracy) {
            check_accuracy_applies<Net>("ffn::fit");
        }
    }

    /// The number of blocks a batch of `count` samples is split into.
    [[nodiscard]] std::size_t blocks_for_batch(Eigen::Index count) const noexcept {
        return blocks_for(net_.parameter_count(), count, options_.threads, splittable_);
    }

    /// Starts the threads the largest batch is split between, with their buffers.
    void start_threads() {
#if FFN_HAS_THREADS
        const std::size_t most = blocks_for_batch(
            std::min(options_.batch_size, static_cast<Eigen::Index>(training_.size())));
        if (most > 1) {
            blocks_.resize(most);
            for (std::size_t part = 1; part < most; ++part) { // the first block uses grads_
                blocks_[part].grads = gradients<Net>(net_);
            }
            team_.emplace(most - 1);
        }
#else
        if (options_.threads > 1) {
            detail::raise(std::invalid_argument(
                "ffn::fit: options.threads is " + std::to_string(options_.threads) +
                ", but this build has no threads (the standard library does not define "
                "__STDCPP_THREADS__); use 1"));
        }
#endif
    }

    /// Forward and backward passes over the samples `order[start .. start + count)`: leaves
    /// the gradients of the batch's mean loss in `grads_`, adds the batch's correct decisions
    /// to `hits` (with `options.accuracy`) and returns its loss.
    scalar_type batch_gradients(const std::vector<Eigen::Index>& order, Eigen::Index start,
                                Eigen::Index count, Eigen::Index& hits) {
        // The last batch of an epoch may be smaller; it gets buffers of its own so that
        // switching sizes never reallocates.
        const bool full = count == options_.batch_size;
#if FFN_HAS_THREADS
        if (const std::size_t parts = blocks_for_batch(count); parts > 1) {
            return split_batch_gradients(order, start, count, parts, full, hits);
        }
#endif
        batch& b = full ? full_batch_ : last_batch_;
        gather(order, start, count, b);
        net_.forward(b.inputs, b.ws, mode_);
        const scalar_type loss = net_.loss(b.ws, b.targets);
        if (options_.accuracy) {
            hits += correct_decisions<Net>(b.ws.output(), b.targets);
        }
        net_.backward(b.ws, b.targets, grads_);
        return loss;
    }

#if FFN_HAS_THREADS
    /// `batch_gradients` with the batch split into `parts` blocks of consecutive samples, one
    /// per thread. Each block's gradients are those of its own mean loss; weighted by its share
    /// of the samples and added in block order, they are the batch's. Only for networks whose
    /// training pass is their inference pass (`splittable_`), which the threads run, as it is
    /// `const`; the training mode counts the pass as one.
    scalar_type split_batch_gradients(const std::vector<Eigen::Index>& order, Eigen::Index start,
                                      Eigen::Index count, std::size_t parts, bool full,
                                      Eigen::Index& hits) {
        const auto n = static_cast<Eigen::Index>(parts);
        const Eigen::Index base = count / n;
        const Eigen::Index extra = count % n;
        const auto first_of = [=](Eigen::Index k) { return k * base + std::min(k, extra); };
        const Net& net = net_;
        const bool accuracy = options_.accuracy;
        auto job = [&](std::size_t part) {
            const auto k = static_cast<Eigen::Index>(part);
            const Eigen::Index samples = first_of(k + 1) - first_of(k);
            block& own = blocks_[part];
            batch& b = full ? own.full : own.last;
            gather(order, start + first_of(k), samples, b);
            net.forward(b.inputs, b.ws);
            own.loss =
                static_cast<double>(net.loss(b.ws, b.targets)) * static_cast<double>(samples);
            own.hits = accuracy ? correct_decisions<Net>(b.ws.output(), b.targets) : 0;
            // The first block's gradients go straight to the batch's, which it then weights.
            net.backward(b.ws, b.targets, part == 0 ? grads_ : own.grads);
        };
        team_->run(job, parts);
        mode_.end_pass();
        const auto share = [=](std::size_t part) {
            const auto k = static_cast<Eigen::Index>(part);
            return static_cast<scalar_type>(static_cast<double>(first_of(k + 1) - first_of(k)) /
                                            static_cast<double>(count));
        };
        // The blocks' gradients, weighted by their shares of the samples and added in block
        // order; each thread takes a slice of every tensor, so the sums are the same whichever
        // thread computes them.
        auto add = [&](std::size_t slice) {
            for (std::size_t part = 1; part < parts; ++part) {
                net.visit_tensors(
                    [&](std::size_t, std::string_view, const auto&, bool, auto& total,
                        const auto& own) {
                        using tensor_scalar = typename std::remove_cvref_t<decltype(own)>::Scalar;
                        using array = Eigen::Array<tensor_scalar, Eigen::Dynamic, 1>;
                        const tensor_slice range = slice_of(total.size(), slice, parts);
                        Eigen::Map<array> sum(total.data() + range.first, range.end - range.first);
                        const Eigen::Map<const array> add_on(own.data() + range.first,
                                                             range.end - range.first);
                        if (part == 1) {
                            sum = share(0) * sum + share(1) * add_on;
                        } else {
                            sum += share(part) * add_on;
                        }
                    },
                    grads_, blocks_[part].grads);
            }
        };
        team_->run(add, parts);
        double loss = 0;
        for (std::size_t part = 0; part < parts; ++part) {
            loss += blocks_[part].loss;
            hits += blocks_[part].hits;
        }
        return static_cast<scalar_type>(loss / static_cast<double>(count));
    }
#endif

    void check_clipping(const std::string& where) const {
        if (options_.clip_gradient_norm && options_.clip_gradient_value) {
            detail::raise(std::invalid_argument(
                where + "options.clip_gradient_norm and "
                        "options.clip_gradient_value are both set; choose one"));
        }
        if (options_.clip_gradient_norm) {
            (void)detail::checked_setting<scalar_type>("ffn::fit", "options.clip_gradient_norm",
                                                       *options_.clip_gradient_norm,
                                                       setting_range::positive);
        }
        if (options_.clip_gradient_value) {
            (void)detail::checked_setting<scalar_type>("ffn::fit", "options.clip_gradient_value",
                                                       *options_.clip_gradient_value,
                                                       setting_range::positive);
        }
    }

    /// Clips the batch's gradients as the options ask; a non-finite norm is a divergence.
    void clip(std::size_t epoch, std::size_t batch_index) {
        if (options_.clip_gradient_norm) {
            const auto norm = total_gradient_norm(std::as_const(net_), grads_);
            if (!std::isfinite(norm)) {
                diverged(epoch, batch_index, batch_index,
                         "the total norm of the gradients became " +
                             describe_non_finite_norm(std::as_const(net_), grads_, norm));
            }
            scale_to_norm(std::as_const(net_), grads_, norm, *options_.clip_gradient_norm);
        } else if (options_.clip_gradient_value) {
            clamp_gradients(std::as_const(net_), grads_, *options_.clip_gradient_value);
        }
    }

    /// A network that normalises with the batch's statistics needs every batch to hold at
    /// least `Net::min_training_batch` samples: refused before training starts.
    void check_batch_statistics() const {
        if constexpr (requires { Net::min_training_batch; }) {
            constexpr Eigen::Index least = Net::min_training_batch;
            if constexpr (least > 1) {
                const auto samples = static_cast<Eigen::Index>(training_.size());
                const Eigen::Index last = samples % options_.batch_size;
                if (options_.batch_size < least || samples < least || (last > 0 && last < least)) {
                    std::string message = "ffn::fit: the network normalises with each batch's "
                                          "statistics, so every batch needs at least ";
                    message += std::to_string(least);
                    message += " samples; options.batch_size is ";
                    message += std::to_string(options_.batch_size);
                    message += " and the ";
                    message += std::to_string(samples);
                    message += " training samples leave a last batch of ";
                    message +=
                        std::to_string(last == 0 ? std::min(samples, options_.batch_size) : last);
                    message += " (choose a batch size that leaves none or at least ";
                    message += std::to_string(least);
                    message += ")";
                    detail::raise(std::invalid_argument(message));
                }
            }
        }
    }

    /// Chooses the training samples and copies the validation samples, if any.
    void split() {
        const Eigen::Index samples = inputs_.cols();
        if (options_.validation_fraction > 0.0) {
            index_split parts = detail::on_invalid_argument(
                [&] { return holdout_split(samples, options_.validation_fraction, options_.seed); },
                [](const char* what) {
                    detail::raise(std::invalid_argument(
                        std::string("ffn::fit: options.validation_fraction: ") + what));
                });
            training_ = std::move(parts.kept);
            const auto held = static_cast<Eigen::Index>(parts.held_out.size());
            validation_inputs_.resize(inputs_.rows(), held);
            validation_targets_.resize(targets_.rows(), held);
            for (Eigen::Index j = 0; j < held; ++j) {
                const Eigen::Index source = parts.held_out[static_cast<std::size_t>(j)];
                validation_inputs_.col(j) = inputs_.col(source);
                validation_targets_.col(j) = targets_.col(source);
            }
            has_validation_ = true;
        } else {
            training_.resize(static_cast<std::size_t>(samples));
            for (std::size_t i = 0; i < training_.size(); ++i) {
                training_[i] = static_cast<Eigen::Index>(i);
            }
            has_validation_ = options_.validation.has_value();
        }
    }

    /// The number of batches of an epoch, without overflow for any batch size.
    [[nodiscard]] std::size_t batch_count() const noexcept {
        const auto samples = static_cast<Eigen::Index>(training_.size());
        const Eigen::Index size = options_.batch_size;
        return static_cast<std::size_t>(samples / size + (samples % size != 0 ? 1 : 0));
    }

    /// Draws the epoch's order of the training samples and, so that a divergence can be undone
    /// without copying the network before every step, keeps what the epoch starts from.
    void order_epoch(std::size_t epoch) {
        std::copy(training_.begin(), training_.end(), order_.begin());
        if (options_.shuffle) {
            random_engine engine(options_.seed, shuffle_stream + epoch);
            shuffle(order_.begin(), order_.size(), engine);
        }
        if constexpr (replays_) {
            std::swap(previous_start_, epoch_start_);
            if (epoch_start_) {
                epoch_start_->net = net_; // same shapes: no allocation after the first epochs
                epoch_start_->optimizer = optimizer_;
                epoch_start_->mode = mode_;
                epoch_start_->order = order_;
            } else {
                epoch_start_.emplace(epoch_state{net_, optimizer_, mode_, order_});
            }
        }
    }

    void train_epoch(std::size_t epoch, epoch_record<scalar_type>& record) {
        const auto samples = static_cast<Eigen::Index>(order_.size());
        double loss_sum = 0;
        Eigen::Index hits = 0;
        std::size_t batch_index = 0;
        // Only the callback needs the count; it is not computed without one.
        const std::size_t batches = options_.on_batch ? batch_count() : 0;
        for (Eigen::Index start = 0; start < samples; start += options_.batch_size, ++batch_index) {
            const Eigen::Index count = std::min(options_.batch_size, samples - start);
            const scalar_type loss = batch_gradients(order_, start, count, hits);
            if (!std::isfinite(loss)) {
                diverged(epoch, batch_index, batch_index,
                         "the training loss became " + non_finite_name(loss));
            }
            loss_sum += static_cast<double>(loss) * static_cast<double>(count);
            clip(epoch, batch_index);
            if constexpr (!replays_) {
                before_step_ = net_;
            }
            optimizer_.step(net_, grads_);
            // A step may leave a parameter non-finite while the next batches' losses stay
            // finite (saturated units): checked after every step, a read of the parameters.
            if (!parameters_finite(net_)) {
                diverged(epoch, batch_index, batch_index + 1, "a parameter became nan or infinite");
            }
            if (options_.on_batch) {
                options_.on_batch(
                    batch_record<scalar_type>{.epoch = epoch,
                                              .batch = batch_index,
                                              .batches = batches,
                                              .samples = static_cast<std::size_t>(start + count),
                                              .loss = loss});
            }
        }
        record.training_loss = static_cast<scalar_type>(loss_sum / static_cast<double>(samples));
        if (options_.accuracy) {
            record.training_accuracy =
                static_cast<double>(hits) /
                (static_cast<double>(decisions_per_sample(net_)) * static_cast<double>(samples));
        }
    }

    void measure_validation(std::size_t epoch, epoch_record<scalar_type>& record) {
        if (!has_validation_) {
            return;
        }
        const data_matrix& inputs =
            options_.validation ? options_.validation->inputs : validation_inputs_;
        const data_matrix& targets =
            options_.validation ? options_.validation->targets : validation_targets_;
        const scalar_type loss = evaluator_.mean_loss(net_, inputs, targets);
        if (!std::isfinite(loss)) {
            const std::size_t batches = batch_count();
            diverged(epoch, batches - 1, batches,
                     "the validation loss after it became " + non_finite_name(loss));
        }
        record.validation_loss = loss;
        if (options_.accuracy) {
            const Eigen::Index hits = evaluator_.correct_decisions(net_, inputs, targets);
            record.validation_accuracy =
                static_cast<double>(hits) / (static_cast<double>(decisions_per_sample(net_)) *
                                             static_cast<double>(inputs.cols()));
        }
    }

    /// Copies the samples `order[start .. start + count)` into `b`, column by column.
    void gather(const std::vector<Eigen::Index>& order, Eigen::Index start, Eigen::Index count,
                batch& b) const {
        b.inputs.resize(inputs_.rows(), count);
        b.targets.resize(targets_.rows(), count);
        for (Eigen::Index j = 0; j < count; ++j) {
            const Eigen::Index source = order[static_cast<std::size_t>(start + j)];
            b.inputs.col(j) = inputs_.col(source);
            b.targets.col(j) = targets_.col(source);
        }
    }

    /// Puts back the parameters from before the step that led to the divergence and throws:
    /// `what` (found at batch `batch_index` of `epoch`) says what became non-finite ("the
    /// training loss became nan"), and `steps` is how many steps of the epoch had been taken
    /// then; the last of them is undone.
    [[noreturn]] void diverged(std::size_t epoch, std::size_t batch_index, std::size_t steps,
                               const std::string& what) {
        if constexpr (replays_) {
            if (steps > 0) {
                replay(*epoch_start_, steps - 1);
            } else if (previous_start_) {
                replay(*previous_start_, batch_count() - 1); // the previous epoch's last step
            }
            // else no step has been taken: the network is as it was given
        } else {
            net_ = before_step_;
        }
        detail::raise(divergence_error(
            "ffn::fit: training diverged at epoch " + std::to_string(epoch) + ", batch " +
            std::to_string(batch_index) + " (both counted from 0): " + what +
            "; the network keeps the parameters it had before the last "
            "step. Try a smaller learning rate or standardised inputs"));
    }

    /// Sets the network to what it was after the first `steps` steps of the epoch that
    /// `start` began: the same steps again from there, bit for bit (same batches, same
    /// training passes, same optimizer state).
    void replay(epoch_state& start, std::size_t steps) {
        net_ = start.net;
        mode_ = start.mode;
        Optimizer& optimizer = start.optimizer; // used up: the error ends the call
        const auto samples = static_cast<Eigen::Index>(start.order.size());
        Eigen::Index first = 0;
        Eigen::Index unused_hits = 0;
        for (std::size_t step = 0; step < steps; ++step, first += options_.batch_size) {
            const Eigen::Index count = std::min(options_.batch_size, samples - first);
            static_cast<void>(batch_gradients(start.order, first, count, unused_hits));
            // The same gradients as the first time, whose norm was finite then.
            clip(0, step);
            optimizer.step(net_, grads_);
        }
    }

    Net& net_;
    Optimizer& optimizer_;
    const Eigen::MatrixBase<Inputs>& inputs_;
    const Eigen::MatrixBase<Targets>& targets_;
    const options_type& options_;
    gradients<Net> grads_;
    std::optional<epoch_state> epoch_start_;
    std::optional<epoch_state> previous_start_;
    /// Without replays: the network before the last step.
    std::conditional_t<replays_, std::monostate, Net> before_step_{};
    training mode_;
    std::optional<Net> best_;
    std::vector<Eigen::Index> training_;
    std::vector<Eigen::Index> order_;
    data_matrix validation_inputs_;
    data_matrix validation_targets_;
    bool has_validation_ = false;
    batch full_batch_;
    batch last_batch_;
    evaluator<Net> evaluator_;
#if FFN_HAS_THREADS
    std::vector<block> blocks_;
    std::optional<thread_team> team_;
#endif
};

} // namespace detail

/// The number of threads (blocks per batch) `ffn::fit` uses for batches of `samples` samples
/// of `net` when `fit_options::threads` is `threads`: 1 unless the network's training pass is
/// its inference pass (no dropout, no batch normalisation) and each block keeps at least 32
/// samples and \f$2^{21}\f$ parameters x samples of work; never more than `threads` (0: the
/// hardware's).
template <class Loss, class... Layers>
[[nodiscard]] std::size_t fit_threads(const network<Loss, Layers...>& net, Eigen::Index samples,
                                      std::size_t threads) noexcept {
    using net_type = network<Loss, Layers...>;
    return detail::blocks_for(
        net.parameter_count(), samples, threads,
        !detail::has_training_pass<net_type>(std::make_index_sequence<net_type::layer_count>{}));
}

/// Trains `net` with mini-batch gradient descent on a data set whose samples are the columns
/// of `inputs` and `targets`.
///
/// Every epoch visits each training sample once, in an order drawn from `options.seed` and the
/// epoch (or in their given order without `options.shuffle`), in batches of
/// `options.batch_size` samples; the last batch holds what is left. For each batch the
/// network runs a training-mode forward pass (dropout masks drawn from `options.seed`, batch
/// normalisation on the batch's statistics; see layers/training.hpp) and a backward pass over
/// the whole batch at once, and the optimizer takes one
/// step against the gradient of the batch's mean loss, so the size of a step does not grow
/// with the batch size (clipped first if `options.clip_gradient_norm` or
/// `options.clip_gradient_value` is set), and then `options.on_batch`, if set, is called.
/// After each epoch the validation samples, if any, are measured in inference mode, early
/// stopping is considered, and `options.on_epoch` is called.
///
/// The same network, data, optimizer settings and options give bit-identical parameters (with
/// `options.threads` other than 1, on machines where `ffn::fit_threads` gives the same count).
/// With `options.threads` the batches' forward and backward passes are shared between threads
/// (see `fit_options::threads`); the rest (the step, validation, callbacks) runs on the calling
/// thread.
///
/// @param net       the network to train, changed in place
/// @param optimizer an optimizer for `net` (`step`, `learning_rate`, `set_learning_rate`)
/// @param inputs    one column per sample, `net.inputs()` rows; must stay alive during the call
/// @param targets   one column per sample, `net.outputs()` rows
/// @param options   see `fit_options`, given as `ffn::fit_options<Scalar>{...}` or as bare
///                  braces, `{.batch_size = 16, .epochs = 100}` (by default one epoch,
///                  batches of 32, seed 0, shuffled); read during the whole call, so the
///                  callback must not change it
/// @returns the losses (and accuracies) of every epoch and why training ended
/// @throws std::invalid_argument before any training if a setting is invalid (naming it), the
///         data do not fit the network or each other, there are no samples, or an input or
///         target is NaN or infinite (naming the sample (column) and row).
/// @throws ffn::divergence_error if the loss (or a parameter, or with
///         `options.clip_gradient_norm` the gradients' norm) becomes NaN or infinite,
///         naming the epoch and batch; `net` then holds the parameters it had before the
///         step that led there.
/// @throws whatever the optimizer throws for a learning rate from `options.schedule`.
/// @throws std::system_error if the threads `options.threads` asks for cannot be started.
template <class Loss, class... Layers, class Optimizer, class Inputs, class Targets>
requires optimizer<Optimizer, network<Loss, Layers...>>
    history<typename network<Loss, Layers...>::scalar_type> fit(
        network<Loss, Layers...>& net, Optimizer& optimizer,
        const Eigen::MatrixBase<Inputs>& inputs, const Eigen::MatrixBase<Targets>& targets,
        const fit_options<typename network<Loss, Layers...>::scalar_type>& options = {}) {
    using net_type = network<Loss, Layers...>;
    using scalar_type = typename net_type::scalar_type;
    static_assert(std::is_same_v<typename Inputs::Scalar, scalar_type> &&
                      std::is_same_v<typename Targets::Scalar, scalar_type>,
                  "ffn::fit: the inputs' and targets' scalar types must be the network's "
                  "scalar type (convert them with .template cast<Scalar>()).");
    if constexpr (std::is_same_v<typename Inputs::Scalar, scalar_type> &&
                  std::is_same_v<typename Targets::Scalar, scalar_type>) {
        detail::trainer<net_type, Optimizer, Inputs, Targets> trainer(net, optimizer, inputs,
                                                                      targets, options);
        return trainer.run();
    } else {
        return {}; // reported above, once
    }
}

/// `fit` given options of another scalar type than the network's: a compile error that says
/// so (options of the network's own type, or braces, take the overload above).
template <class Loss, class... Layers, class Optimizer, class Inputs, class Targets, scalar Scalar>
requires(optimizer<Optimizer, network<Loss, Layers...>> &&
         !std::is_same_v<Scalar, typename network<Loss, Layers...>::scalar_type>)
    history<Scalar> fit(network<Loss, Layers...>& /*net*/, Optimizer& /*optimizer*/,
                        const Eigen::MatrixBase<Inputs>& /*inputs*/,
                        const Eigen::MatrixBase<Targets>& /*targets*/,
                        const fit_options<Scalar>& /*options*/) {
    static_assert(std::is_same_v<Scalar, typename network<Loss, Layers...>::scalar_type>,
                  "ffn::fit: the options' scalar type must be the network's scalar type "
                  "(use ffn::fit_options<float> for a float network).");
    return {};
}

} // namespace ffn
