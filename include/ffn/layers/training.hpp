// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::training`: what asks a forward pass to run in training mode, and `ffn::training_pass`,
/// what a layer's training-mode forward pass is given.
///
/// A forward pass runs in inference mode unless it is given an `ffn::training`: then dropout
/// draws its masks and batch normalisation normalises with the batch's own statistics and
/// updates its running ones. The choice belongs to the call, not to the network, so inference
/// (`forward(input, ws)`, `predict`) stays `const` and safe to share between threads.

#include <cstddef>
#include <cstdint>

#include "ffn/detail/random.hpp"

namespace ffn {

/// The random stream one layer draws from in one training-mode forward pass.
class training_pass {
public:
    /// The stream of layer `layer` in pass `pass` of `seed`.
    training_pass(std::uint64_t seed, std::uint64_t pass, std::size_t layer) noexcept
        : engine_(seed ^ stream_tag, (pass << 16U) + static_cast<std::uint64_t>(layer)) {}

    /// A double uniform in [0, 1), the same on every platform for the same seed.
    [[nodiscard]] double uniform() noexcept { return engine_.uniform(); }

private:
    /// Keeps these streams apart from those of `initialize` and of `fit`'s shuffling, which
    /// derive theirs from the same kind of seed.
    static constexpr std::uint64_t stream_tag = 0x7472'6169'6e69'6e67ULL;
    detail::random_engine engine_;
};

/// Training mode for a forward pass: `net.forward(input, ws, mode)`.
///
/// Holds a seed and counts the passes run with it. Pass `k` gives layer `i` its own stream,
/// derived from the seed, `k` and `i` alone, so the masks of a run are the same on every
/// platform, and adding a layer does not change what the others draw. `ffn::fit` makes one
/// from `fit_options::seed`.
class training {
public:
    /// Training mode whose random draws follow from `seed`.
    explicit training(std::uint64_t seed = 0) noexcept : seed_(seed) {}

    /// The seed.
    [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }
    /// The number of forward passes run with this object so far.
    [[nodiscard]] std::uint64_t passes() const noexcept { return passes_; }

    /// The stream of layer `layer` in the current pass (used by `ffn::network`).
    [[nodiscard]] training_pass layer_pass(std::size_t layer) const noexcept {
        return {seed_, passes_, layer};
    }
    /// Ends the current pass: the next one draws from new streams (used by `ffn::network`).
    void end_pass() noexcept { ++passes_; }

private:
    std::uint64_t seed_;
    std::uint64_t passes_ = 0;
};

} // namespace ffn
