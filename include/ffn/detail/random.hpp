// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// ffn's own random number generator. The standard library's engines are portable but its
/// distributions are not (`std::uniform_real_distribution` and `std::shuffle` give different
/// results on different standard libraries), so ffn draws integers and uniforms itself: the
/// same seed gives the same numbers everywhere.

#include <cstddef>
#include <cstdint>
#include <utility>

namespace ffn::detail {

/// xoshiro256** (Blackman and Vigna, 2018), seeded through splitmix64.
class random_engine {
public:
    explicit random_engine(std::uint64_t seed) noexcept {
        for (auto& word : state_) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
            word = z ^ (z >> 31U);
        }
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

private:
    static std::uint64_t rotate_left(std::uint64_t x, int k) noexcept {
        return (x << static_cast<unsigned>(k)) | (x >> static_cast<unsigned>(64 - k));
    }

    std::uint64_t state_[4]{};
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
