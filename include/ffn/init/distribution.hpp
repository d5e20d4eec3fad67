// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::fans` and `ffn::distribution`: what an initializer is given and what it asks for.

#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include "ffn/detail/format.hpp"
#include "ffn/detail/random.hpp"
#include "ffn/errors.hpp"

namespace ffn {

/// The sizes an initializer scales its draws by, taken from a weight tensor of
/// `rows x cols` (a dense layer's `outputs x inputs`): `in` is the number of inputs that feed
/// each unit (the columns), `out` the number of units that each input feeds (the rows).
struct fans {
    Eigen::Index in = 0;  ///< fan-in: the inputs that feed each unit
    Eigen::Index out = 0; ///< fan-out: the units each input feeds
};

/// A description of the distribution each value of a tensor is drawn from: a constant, a
/// uniform distribution on \f$[low, high)\f$, or a normal distribution. Initializers return
/// one; `ffn::initialize` draws from it with ffn's own random engine, in double precision,
/// and rounds each value to the network's scalar type.
class distribution {
public:
    /// Which kind of distribution.
    enum class family { constant, uniform, normal };

    /// Every value equals `value`.
    /// @throws std::invalid_argument if `value` is not finite.
    [[nodiscard]] static distribution constant(double value) {
        if (!std::isfinite(value)) {
            detail::raise(
                std::invalid_argument("ffn::distribution::constant: the value must be finite, "
                                      "got " +
                                      detail::format_number(value)));
        }
        return {family::constant, value, value};
    }

    /// Values uniform on \f$[low, high)\f$, drawn as \f$low + (high - low) u\f$ with \f$u\f$
    /// uniform on \f$[0, 1)\f$ (rounding may give `high` itself, rarely).
    /// @throws std::invalid_argument unless both are finite and `low < high`.
    [[nodiscard]] static distribution uniform(double low, double high) {
        if (!std::isfinite(low) || !std::isfinite(high) || !(low < high) ||
            !std::isfinite(high - low)) {
            detail::raise(std::invalid_argument(
                "ffn::distribution::uniform: the bounds must be finite with low < high, got "
                "low = " +
                detail::format_number(low) + ", high = " + detail::format_number(high)));
        }
        return {family::uniform, low, high};
    }

    /// Values from the normal distribution of mean `mean` and standard deviation `stddev`,
    /// drawn as \f$mean + stddev \cdot z\f$ with \f$z\f$ standard normal (not truncated).
    /// @throws std::invalid_argument unless `mean` is finite and `stddev` positive and finite.
    [[nodiscard]] static distribution normal(double mean, double stddev) {
        if (!std::isfinite(mean) || !(stddev > 0) || !std::isfinite(stddev)) {
            detail::raise(std::invalid_argument(
                "ffn::distribution::normal: the mean must be finite and the standard deviation "
                "positive and finite, got mean = " +
                detail::format_number(mean) + ", stddev = " + detail::format_number(stddev)));
        }
        return {family::normal, mean, stddev};
    }

    /// Which kind of distribution this is.
    [[nodiscard]] family kind() const noexcept { return kind_; }
    /// The constant's value (`family::constant`).
    [[nodiscard]] double value() const noexcept { return first_; }
    /// The lower bound (`family::uniform`).
    [[nodiscard]] double low() const noexcept { return first_; }
    /// The upper bound (`family::uniform`).
    [[nodiscard]] double high() const noexcept { return second_; }
    /// The mean (`family::normal`).
    [[nodiscard]] double mean() const noexcept { return first_; }
    /// The standard deviation (`family::normal`).
    [[nodiscard]] double stddev() const noexcept { return second_; }

    /// Same kind, same parameters.
    friend bool operator==(const distribution&, const distribution&) = default;

    /// One value drawn from `engine`: nothing for a constant, one uniform for a uniform, one
    /// standard normal for a normal. Products that feed sums are explicit `std::fma`s, so the
    /// value is the same on every platform (see detail/portable_math.hpp).
    [[nodiscard]] double draw(detail::random_engine& engine) const noexcept {
        switch (kind_) {
        case family::uniform:
            return std::fma(second_ - first_, engine.uniform(), first_);
        case family::normal:
            return std::fma(second_, engine.normal(), first_);
        case family::constant:
            break;
        }
        return first_;
    }

private:
    distribution(family kind, double first, double second) noexcept
        : kind_(kind), first_(first), second_(second) {}

    family kind_;
    double first_;
    double second_;
};

namespace detail {

/// `count` as a double, for the scaling initializers.
/// @throws std::invalid_argument naming `initializer` and `what` if `count` is not positive.
[[nodiscard]] inline double positive_fan(const char* initializer, const char* what,
                                         Eigen::Index count) {
    if (count <= 0) {
        detail::raise(std::invalid_argument(std::string(initializer) + ": " + what +
                                            " must be positive, got " + std::to_string(count)));
    }
    return static_cast<double>(count);
}

} // namespace detail

} // namespace ffn
