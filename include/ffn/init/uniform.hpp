// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::uniform`: values uniform on a given interval.

#include <cmath>
#include <stdexcept>
#include <string>

#include "ffn/detail/format.hpp"
#include "ffn/errors.hpp"
#include "ffn/init/distribution.hpp"

namespace ffn {

/// Draws every value uniformly from \f$[low, high)\f$, whatever the tensor's size (PyTorch's
/// `nn.init.uniform_(a, b)`).
class uniform {
public:
    /// @throws std::invalid_argument unless `low` and `high` are finite and `low < high`.
    uniform(double low, double high) : low_(low), high_(high) {
        if (!std::isfinite(low) || !std::isfinite(high) || !(low < high) ||
            !std::isfinite(high - low)) {
            detail::raise(std::invalid_argument(
                "ffn::uniform: the bounds must be finite with low < "
                "high, got low = " +
                detail::format_number(low) + ", high = " + detail::format_number(high)));
        }
    }

    /// The lower bound.
    [[nodiscard]] double low() const noexcept { return low_; }
    /// The upper bound.
    [[nodiscard]] double high() const noexcept { return high_; }

    /// The distribution to draw from: this uniform, whatever the fans.
    [[nodiscard]] distribution distribution_for(const fans& /*f*/) const {
        return distribution::uniform(low_, high_);
    }

private:
    double low_;
    double high_;
};

} // namespace ffn
