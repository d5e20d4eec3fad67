// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::holdout_split` and `ffn::stratified_split`: random splits of sample indices, fixed by
/// a seed.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "ffn/detail/random.hpp"
#include "ffn/errors.hpp"

namespace ffn {

namespace detail {

/// The random streams that training draws from the user's seed, through
/// `random_engine(seed, stream)`. Their top bit is set, so they never meet the streams of
/// `ffn::initialize` (layer * 2^32 + tensor) when both are given the same seed.
inline constexpr std::uint64_t holdout_stream =
    (std::uint64_t{1} << 63U) | (std::uint64_t{1} << 62U);
/// `ffn::stratified_split` draws from this stream.
inline constexpr std::uint64_t stratified_stream = holdout_stream + 1;

/// Checks `ffn::holdout_split`'s and `ffn::stratified_split`'s arguments and returns how many
/// samples to hold out: `floor(fraction * samples)`.
inline Eigen::Index held_out_count(const char* who, Eigen::Index samples, double fraction) {
    if (samples <= 0) {
        detail::raise(std::invalid_argument(std::string(who) +
                                            ": the number of samples must be positive, got " +
                                            std::to_string(samples)));
    }
    if (!(fraction >= 0.0 && fraction < 1.0)) {
        detail::raise(std::invalid_argument(std::string(who) +
                                            ": the fraction to hold out must be in [0, 1), got " +
                                            std::to_string(fraction)));
    }
    const auto held =
        static_cast<Eigen::Index>(std::floor(fraction * static_cast<double>(samples)));
    if (fraction > 0.0 && held == 0) {
        detail::raise(std::invalid_argument(
            std::string(who) + ": holding out a fraction of " + std::to_string(fraction) + " of " +
            std::to_string(samples) + " samples leaves no sample held out"));
    }
    if (held >= samples) {
        detail::raise(std::invalid_argument(
            std::string(who) + ": holding out a fraction of " + std::to_string(fraction) + " of " +
            std::to_string(samples) + " samples leaves no sample kept"));
    }
    return held;
}
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
    const Eigen::Index held = detail::held_out_count("ffn::holdout_split", samples, fraction);
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

/// Splits the indices of `labels` at random so that every class keeps its share in both parts,
/// as scikit-learn's `train_test_split(..., stratify=labels)` does: with small data sets a
/// plain random split can hold out too few samples of a class, and the test accuracy then says
/// more about the split than about the network.
///
/// `floor(fraction * labels.size())` samples are held out in all. Class `c` with `n_c` samples
/// gives `floor(fraction * n_c)` of them, and the samples still missing from the total come one
/// each from the classes with the largest remainders `fraction * n_c - floor(fraction * n_c)`
/// (ties to the smaller label). Which samples of a class are held out is random; the same
/// labels, `fraction` and `seed` give the same split on every platform.
/// @throws std::invalid_argument if `labels` is empty, `fraction` is not in [0, 1), or the
///         split would leave either part empty when `fraction > 0`.
[[nodiscard]] inline index_split stratified_split(std::span<const int> labels, double fraction,
                                                  std::uint64_t seed) {
    const auto samples = static_cast<Eigen::Index>(labels.size());
    const Eigen::Index held = detail::held_out_count("ffn::stratified_split", samples, fraction);

    std::map<int, std::vector<Eigen::Index>> classes; // ordered by label
    for (std::size_t i = 0; i < labels.size(); ++i) {
        classes[labels[i]].push_back(static_cast<Eigen::Index>(i));
    }
    struct share {
        std::vector<Eigen::Index>* members;
        Eigen::Index held;
        double remainder;
    };
    std::vector<share> shares;
    Eigen::Index assigned = 0;
    for (auto& [label, members] : classes) {
        const double exact = fraction * static_cast<double>(members.size());
        const auto whole = static_cast<Eigen::Index>(std::floor(exact));
        shares.push_back({&members, whole, exact - static_cast<double>(whole)});
        assigned += whole;
    }
    std::vector<std::size_t> by_remainder(shares.size());
    std::iota(by_remainder.begin(), by_remainder.end(), std::size_t{0});
    std::stable_sort(by_remainder.begin(), by_remainder.end(),
                     [&shares](std::size_t a, std::size_t b) {
                         return shares[a].remainder > shares[b].remainder;
                     });
    for (std::size_t k = 0; assigned < held && k < by_remainder.size(); ++k, ++assigned) {
        ++shares[by_remainder[k]].held;
    }

    detail::random_engine engine(seed, detail::stratified_stream);
    index_split split;
    for (share& s : shares) {
        std::vector<Eigen::Index>& members = *s.members;
        detail::shuffle(members.begin(), members.size(), engine);
        const auto middle = members.begin() + static_cast<std::ptrdiff_t>(s.held);
        split.held_out.insert(split.held_out.end(), members.begin(), middle);
        split.kept.insert(split.kept.end(), middle, members.end());
    }
    std::sort(split.held_out.begin(), split.held_out.end());
    std::sort(split.kept.begin(), split.kept.end());
    return split;
}

} // namespace ffn
