// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// LeCun initialization: the variance \f$1 / fan_{in}\f$.
///
/// LeCun et al. (1998, "Efficient BackProp") draw weights with variance \f$1 / fan_{in}\f$, so
/// that a unit's sum has about the variance of one input; it suits tanh and SELU layers.
/// ffn's `lecun_normal` is not truncated (Keras's is).

#include <cmath>

#include "ffn/init/distribution.hpp"

namespace ffn {

/// LeCun uniform: \f$U(-l, l)\f$ with \f$l = \sqrt{3 / fan_{in}}\f$ (variance
/// \f$1 / fan_{in}\f$).
struct lecun_uniform {
    /// @throws std::invalid_argument if `f.in` is not positive.
    [[nodiscard]] distribution distribution_for(const fans& f) const {
        const double fan_in = detail::positive_fan("ffn::lecun_uniform", "fan_in", f.in);
        const double limit = std::sqrt(3.0 / fan_in);
        return distribution::uniform(-limit, limit);
    }
};

/// LeCun normal: \f$N(0, \sigma^2)\f$ with \f$\sigma = \sqrt{1 / fan_{in}}\f$.
struct lecun_normal {
    /// @throws std::invalid_argument if `f.in` is not positive.
    [[nodiscard]] distribution distribution_for(const fans& f) const {
        const double fan_in = detail::positive_fan("ffn::lecun_normal", "fan_in", f.in);
        return distribution::normal(0.0, std::sqrt(1.0 / fan_in));
    }
};

} // namespace ffn
