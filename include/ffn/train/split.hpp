// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::holdout_split`: a random split of sample indices, fixed by a seed.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "ffn/detail/random.hpp"

namespace ffn {

namespace detail {

/// The random streams that training draws from the user's seed, through
/// `random_engine(seed, stream)`. Their top bit is set, so they never meet the streams of
/// `ffn::initialize` (layer * 2^32 + tensor) when both are given the same seed.
inline constexpr std::uint64_t holdout_stream =
    (std::uint64_t{1} << 63U) | (std::uint64_t{1} << 62U);
/// Epoch `e`'s order of the training samples is drawn from stream `shuffle_stream + e`, so it
/// does not depend on how many epochs ran before it.
inline constexpr std::uint64_t shuffle_stream = std::uint64_t{1} << 63U;

} // namespace detail

/// Sample indices split in two: `kept` and `held_out`, each in increasing order.
struct index_split {
    /// The indices kept (for training), in increasing order.
    std::vector<Eigen::Index> kept;
    /// The indices held out (for testing or validation), in increasing order.
    std::vector<Eigen::Index> held_out;
};

/// Splits the indices `0 .. samples - 1` at random: `floor(fraction * samples)` of them are
/// held out (for testing or validation), the rest kept. The same `samples`, `fraction` and
/// `seed` give the same split on every platform. `ffn::fit` splits off its validation
/// samples with this function.
/// @throws std::invalid_argument if `samples` is not positive, `fraction` is not in [0, 1),
///         or the split would leave either part empty when `fraction > 0`.
[[nodiscard]] inline index_split holdout_split(Eigen::Index samples, double fraction,
                                               std::uint64_t seed) {
    if (samples <= 0) {
        throw std::invalid_argument("ffn::holdout_split: the number of samples must be "
                                    "positive, got " +
                                    std::to_string(samples));
    }
    if (!(fraction >= 0.0 && fraction < 1.0)) {
        throw std::invalid_argument("ffn::holdout_split: the fraction to hold out must be in "
                                    "[0, 1), got " +
                                    std::to_string(fraction));
    }
    const auto held =
        static_cast<Eigen::Index>(std::floor(fraction * static_cast<double>(samples)));
    if (fraction > 0.0 && held == 0) {
        throw std::invalid_argument("ffn::holdout_split: holding out a fraction of " +
                                    std::to_string(fraction) + " of " + std::to_string(samples) +
                                    " samples leaves no sample held out");
    }
    if (held >= samples) {
        throw std::invalid_argument("ffn::holdout_split: holding out a fraction of " +
                                    std::to_string(fraction) + " of " + std::to_string(samples) +
                                    " samples leaves no sample kept");
    }
    std::vector<Eigen::Index> order(static_cast<std::size_t>(samples));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    detail::random_engine engine(seed, detail::holdout_stream);
    detail::shuffle(order.begin(), order.size(), engine);
    index_split split;
    const auto middle = order.begin() + static_cast<std::ptrdiff_t>(held);
    split.held_out.assign(order.begin(), middle);
    split.kept.assign(middle, order.end());
    std::sort(split.held_out.begin(), split.held_out.end());
    std::sort(split.kept.begin(), split.kept.end());
    return split;
}

} // namespace ffn
