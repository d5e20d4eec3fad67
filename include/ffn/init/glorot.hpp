// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Glorot (Xavier) initialization: the variance scaled by the mean of the fans.
///
/// Glorot and Bengio (2010) keep the variance of the signals about the same going forward
/// and backward by drawing weights with variance \f$2 / (fan_{in} + fan_{out})\f$. With gain
/// 1, these match PyTorch's `xavier_uniform_` and `xavier_normal_` (Keras's `glorot_normal`
/// truncates the normal at two standard deviations and rescales; ffn's does not).

#include <cmath>

#include "ffn/init/distribution.hpp"

namespace ffn {

/// Glorot uniform: \f$U(-l, l)\f$ with \f$l = \sqrt{6 / (fan_{in} + fan_{out})}\f$, so the
/// variance is \f$l^2 / 3 = 2 / (fan_{in} + fan_{out})\f$.
struct glorot_uniform {
    /// @throws std::invalid_argument if `f.in + f.out` is not positive.
    [[nodiscard]] distribution distribution_for(const fans& f) const {
        const double fan_sum =
            detail::positive_fan("ffn::glorot_uniform", "fan_in + fan_out", f.in + f.out);
        const double limit = std::sqrt(6.0 / fan_sum);
        return distribution::uniform(-limit, limit);
    }
};

/// Glorot normal: \f$N(0, \sigma^2)\f$ with \f$\sigma = \sqrt{2 / (fan_{in} + fan_{out})}\f$.
struct glorot_normal {
    /// @throws std::invalid_argument if `f.in + f.out` is not positive.
    [[nodiscard]] distribution distribution_for(const fans& f) const {
        const double fan_sum =
            detail::positive_fan("ffn::glorot_normal", "fan_in + fan_out", f.in + f.out);
        return distribution::normal(0.0, std::sqrt(2.0 / fan_sum));
    }
};

} // namespace ffn
