// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// ffn's own random number generator. The standard library's engines are portable but its
/// distributions are not (`std::uniform_real_distribution`, `std::normal_distribution` and
/// `std::shuffle` give different results on different standard libraries), so ffn draws
/// integers, uniforms and normals itself: the same seed gives the same numbers everywhere.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "ffn/detail/portable_math.hpp"

namespace ffn::detail {

/// xoshiro256** (Blackman and Vigna, 2018), seeded through splitmix64.
class random_engine {
public:
    explicit random_engine(std::uint64_t seed) noexcept { seed_state(seed); }

    /// The engine of stream `stream` of `seed`: engines of different streams (or seeds) give
    /// unrelated sequences, so that parts of a computation (the layers of a network) can each
    /// draw from their own stream, and adding a part does not change what the others draw.
    random_engine(std::uint64_t seed, std::uint64_t stream) noexcept {
        seed_state(mix(mix(seed) ^ stream));
    }

    /// The next 64 random bits.
    std::uint64_t next() noexcept {
        const std::uint64_t result = rotate_left(state_[1] * 5U, 7) * 9U;
        const std::uint64_t t = state_[1] << 17U;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotate_left(state_[3], 45);
        return result;
    }

    /// A double uniform in [0, 1), from the top 53 bits (exact, no rounding).
    double uniform() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }

    /// An integer uniform in [0, bound), without modulo bias: draws below
    /// `2^64 mod bound` are rejected, so every remainder is equally likely.
    /// @pre `bound > 0`
    std::uint64_t below(std::uint64_t bound) noexcept {
        const std::uint64_t threshold = (0 - bound) % bound;
        for (;;) {
            const std::uint64_t r = next();
            if (r >= threshold) {
                return r % bound;
            }
        }
    }

    /// A double from the standard normal distribution (mean 0, standard deviation 1), by
    /// Marsaglia's polar method: draw \f$x, y\f$ uniform in \f$[-1, 1)\f$ until
    /// \f$0 < s = x^2 + y^2 < 1\f$; then \f$x \sqrt{-2 \ln s / s}\f$ and
    /// \f$y \sqrt{-2 \ln s / s}\f$ are two independent standard normals (the second is kept
    /// for the next call). Built from exactly rounded operations and `portable_log` only,
    /// so the same seed gives the same bits on every platform (see portable_math.hpp for
    /// what that assumes).
    double normal() noexcept {
        if (has_spare_normal_) {
            has_spare_normal_ = false;
            return spare_normal_;
        }
        for (;;) {
            const double x = 2.0 * uniform() - 1.0; // exact: uniform() has 53 bits
            const double y = 2.0 * uniform() - 1.0;
            const double s = std::fma(x, x, y * y);
            if (s < 1.0 && s > 0.0) {
                const double factor = std::sqrt(-2.0 * portable_log(s) / s);
                spare_normal_ = y * factor;
                has_spare_normal_ = true;
                return x * factor;
            }
        }
    }

private:
    /// The splitmix64 output function (Steele, Lea and Flood, 2014): a bijection of 64-bit
    /// words whose every output bit depends on every input bit.
    static std::uint64_t mix(std::uint64_t z) noexcept {
        z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31U);
    }

    /// Fills the state from splitmix64 started at `seed`, as xoshiro's authors recommend.
    void seed_state(std::uint64_t seed) noexcept {
        for (auto& word : state_) {
            seed += 0x9e3779b97f4a7c15ULL;
            word = mix(seed);
        }
    }

    static std::uint64_t rotate_left(std::uint64_t x, int k) noexcept {
        return (x << static_cast<unsigned>(k)) | (x >> static_cast<unsigned>(64 - k));
    }

    std::uint64_t state_[4]{};
    double spare_normal_ = 0.0;
    bool has_spare_normal_ = false;
};

/// Shuffles `[first, first + count)` in place (Fisher-Yates, drawing from `engine`).
template <class RandomIt>
void shuffle(RandomIt first, std::uint64_t count, random_engine& engine) {
    for (std::uint64_t i = count; i > 1; --i) {
        const std::uint64_t j = engine.below(i);
        using std::swap;
        swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
    }
}

} // namespace ffn::detail
