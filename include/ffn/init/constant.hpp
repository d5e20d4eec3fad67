// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::constant`: every value the same.

#include <cmath>
#include <stdexcept>
#include <string>

#include "ffn/detail/format.hpp"
#include "ffn/errors.hpp"
#include "ffn/init/distribution.hpp"

namespace ffn {

/// Sets every value of a tensor to `value` (0 by default): what `ffn::initialize` does to
/// biases unless told otherwise. It draws nothing. Constant weights leave every unit of a layer
/// the same, so they suit biases and tests rather than weights.
class constant {
public:
    /// @throws std::invalid_argument if `value` is not finite.
    explicit constant(double value = 0.0) : value_(value) {
        if (!std::isfinite(value)) {
            detail::raise(std::invalid_argument("ffn::constant: the value must be finite, got " +
                                                detail::format_number(value)));
        }
    }

    /// The value every weight gets.
    [[nodiscard]] double value() const noexcept { return value_; }

    /// The distribution to draw from: the constant, whatever the fans.
    [[nodiscard]] distribution distribution_for(const fans& /*f*/) const {
        return distribution::constant(value_);
    }

private:
    double value_;
};

} // namespace ffn
