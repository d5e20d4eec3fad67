// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::batch_predictor`: a network's outputs for a large batch of samples, computed by
/// several threads that it starts once and keeps, with buffers that it keeps too, so that a
/// program predicting batch after batch allocates nothing after the first batch of each size.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "ffn/detail/thread_team.hpp"
#include "ffn/errors.hpp"
#include "ffn/network.hpp"

namespace ffn {

/// Computes `net.predict(inputs)` for batches of samples (one column each) with up to
/// `threads` threads.
///
/// The samples are taken in chunks of `chunk_size` consecutive columns, counted from the first
/// column whatever the number of threads, and each thread runs whole chunks through the
/// network's inference pass (`network::predict`) with inference workspaces of its own. So the
/// outputs are the same, bit for bit, with any number of threads: every sample goes through
/// the same products in the same chunk. (They may differ from one `net.predict(inputs)` over
/// the whole batch in the last bits, since Eigen's products sum in an order that depends on
/// the number of columns.)
///
/// A batch is shared between threads only as far as each thread gets at least one chunk and
/// `min_work_per_thread` parameters x samples of work; below that, waking a thread costs more
/// than it saves, and the calling thread does it all (see `blocks`).
///
/// The network is not held: each call names it, so one predictor serves any network of type
/// `Net`, and several predictors may share one `const` network. A predictor is used by one
/// thread at a time. The threads wait, idle, between calls and stop when the predictor is
/// destroyed.
///
/// @tparam Net an `ffn::network` type
template <class Net>
class batch_predictor {
public:
    using scalar_type = typename Net::scalar_type; ///< The network's scalar type.
    /// The outputs of a batch: one column per sample.
    using output_matrix = typename Net::template output_matrix<Eigen::Dynamic>;

    /// The number of consecutive samples run through the network at once.
    static constexpr Eigen::Index chunk_size = 128;
    /// The least work, in parameters x samples, worth a thread of its own.
    static constexpr Eigen::Index min_work_per_thread = Eigen::Index{1} << 23U;

    /// A predictor that uses up to `threads` threads, the calling one included (0: as many as
    /// `std::thread::hardware_concurrency()`); starts `threads - 1` threads.
    /// @throws std::invalid_argument if `threads` is more than 1 and the standard library has
    ///         no threads (it does not define `__STDCPP_THREADS__`, as on a bare-metal target).
    /// @throws std::system_error if a thread cannot be started.
    explicit batch_predictor(std::size_t threads) {
#if FFN_HAS_THREADS
        threads_ = threads == 0 ? detail::hardware_threads() : threads;
        blocks_.resize(threads_);
        if (threads_ > 1) {
            team_.emplace(threads_ - 1);
        }
#else
        if (threads > 1) {
            detail::raise(std::invalid_argument(
                "ffn::batch_predictor: threads is " + std::to_string(threads) +
                ", but this build has no threads (the standard library does not define "
                "__STDCPP_THREADS__); use 1"));
        }
        blocks_.resize(1);
#endif
    }

    batch_predictor(const batch_predictor&) = delete;
    batch_predictor& operator=(const batch_predictor&) = delete;
    ~batch_predictor() = default;

    /// The most threads a batch is shared between, the calling one included.
    [[nodiscard]] std::size_t threads() const noexcept { return threads_; }

    /// The number of threads that share a batch of `samples` samples of `net`: as many as
    /// there are (`threads()`), but no more than the batch has chunks of `chunk_size` samples
    /// and no more than leaves each thread `min_work_per_thread` parameters x samples; at
    /// least 1.
    [[nodiscard]] std::size_t blocks(const Net& net, Eigen::Index samples) const noexcept {
        const Eigen::Index parameters = std::max<Eigen::Index>(net.parameter_count(), 1);
        // Counted without overflow for any number of samples.
        const Eigen::Index chunks = samples / chunk_size + (samples % chunk_size > 0 ? 1 : 0);
        // Compared as samples, so that nothing overflows: parameters x samples >= work.
        const Eigen::Index by_work =
            samples / ((min_work_per_thread + parameters - 1) / parameters);
        const Eigen::Index most = std::min({chunks, by_work, static_cast<Eigen::Index>(threads_)});
        return static_cast<std::size_t>(std::max<Eigen::Index>(most, 1));
    }

    /// The outputs of `net` for `inputs` (one column per sample), equal to those of
    /// `net.predict` on each chunk. Returns a reference to the predictor's own matrix, which
    /// the next call overwrites. After the first call with a given number of samples, a call
    /// with as many allocates nothing, for inputs that are a column-major matrix or a block of
    /// columns of one (any other expression is first evaluated into a matrix of its own).
    /// @throws std::invalid_argument if `inputs` has the wrong number of rows or no columns,
    ///         or the network's layers do not chain (dynamic sizes), naming
    ///         `ffn::batch_predictor::predict` and the sizes.
    template <class Inputs>
    const output_matrix& predict(const Net& net, const Eigen::MatrixBase<Inputs>& inputs) {
        static_assert(std::is_same_v<typename Inputs::Scalar, scalar_type>,
                      "ffn::batch_predictor::predict: the inputs' scalar type must be the "
                      "network's scalar type (convert them with .template cast<Scalar>()).");
        if constexpr (std::is_same_v<typename Inputs::Scalar, scalar_type>) {
            check(net, inputs.rows(), inputs.cols());
            // Plain matrices and blocks of them are read where they are; an expression is
            // evaluated once, here, rather than once per chunk.
            const input_ref in(inputs.derived());
            const Eigen::Index samples = in.cols();
            outputs_.resize(net.outputs(), samples);
            const Eigen::Index chunks = (samples + chunk_size - 1) / chunk_size;
            const std::size_t parts = blocks(net, samples);
            const auto n = static_cast<Eigen::Index>(parts);
            const auto first_chunk = [=](Eigen::Index k) {
                return k * (chunks / n) + std::min(k, chunks % n);
            };
            auto job = [&](std::size_t part) {
                const auto k = static_cast<Eigen::Index>(part);
                block& own = blocks_[part];
                for (Eigen::Index c = first_chunk(k); c < first_chunk(k + 1); ++c) {
                    const Eigen::Index start = c * chunk_size;
                    const Eigen::Index count = std::min(chunk_size, samples - start);
                    auto& ws = count == chunk_size ? own.full : own.last;
                    outputs_.middleCols(start, count) =
                        net.predict(in.middleCols(start, count), ws);
                }
            };
#if FFN_HAS_THREADS
            if (parts > 1) {
                team_->run(job, parts);
                return outputs_;
            }
#endif
            job(0);
        }
        return outputs_;
    }

private:
    using input_ref = Eigen::Ref<const typename Net::template input_matrix<Eigen::Dynamic>, 0,
                                 Eigen::OuterStride<>>;

    /// One thread's workspaces: for full chunks, and for the batch's last, smaller chunk, so
    /// that neither is resized (reallocated) from batch to batch.
    struct block {
        inference_workspace<Net, Eigen::Dynamic> full;
        inference_workspace<Net, Eigen::Dynamic> last;
    };

    static void check(const Net& net, Eigen::Index rows, Eigen::Index cols) {
        net.check_shapes("ffn::batch_predictor::predict");
        if (rows != net.inputs() || cols == 0) [[unlikely]] {
            throw_input_error(net, rows);
        }
    }

    [[gnu::cold, gnu::noinline]] static void throw_input_error(const Net& net, Eigen::Index rows) {
        const std::string where = "ffn::batch_predictor::predict: the inputs have ";
        if (rows != net.inputs()) {
            detail::raise(std::invalid_argument(
                where + std::to_string(rows) + " rows, but the network expects " +
                std::to_string(net.inputs()) + " (one row per input)"));
        }
        detail::raise(std::invalid_argument(where + "no columns (no samples)"));
    }

    std::size_t threads_ = 1;
    std::vector<block> blocks_;
    output_matrix outputs_;
#if FFN_HAS_THREADS
    std::optional<detail::thread_team> team_;
#endif
};

} // namespace ffn
