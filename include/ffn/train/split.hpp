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

/// splitmix64's output function (Steele, Lea and Flood, 2014): a bijection of 64-bit words
/// that scatters nearby inputs.
[[nodiscard]] constexpr std::uint64_t mix_bits(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31U);
}

/// The seed of random stream `stream`, item `index`, derived from the user's `seed`: each
/// (stream, index) pair gets its own unrelated engine, so that, for example, epoch 5's order
/// does not depend on how many epochs ran before it.
[[nodiscard]] constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream,
                                                  std::uint64_t index) noexcept {
    constexpr std::uint64_t golden = 0x9e3779b97f4a7c15ULL;
    return mix_bits(mix_bits(seed + golden * (stream + 1)) + golden * (index + 1));
}

/// The random streams ffn draws from a user's seed.
inline constexpr std::uint64_t split_stream = 1;
inline constexpr std::uint64_t shuffle_stream = 2;

} // namespace detail

/// Sample indices split in two: `kept` and `held_out`, each in increasing order.
struct index_split {
    std::vector<Eigen::Index> kept;
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
    const auto held = static_cast<Eigen::Index>(std::floor(fraction * static_cast<double>(samples)));
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
    detail::random_engine engine(detail::derive_seed(seed, detail::split_stream, 0));
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
