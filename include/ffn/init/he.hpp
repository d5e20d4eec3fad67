// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// He (Kaiming) initialization: the variance \f$2 / fan_{in}\f$, for ReLU layers.
///
/// He et al. (2015) double the variance of LeCun's rule because a ReLU passes on only half
/// of its inputs' variance. These match PyTorch's `kaiming_uniform_` and `kaiming_normal_`
/// with `a = 0`, `mode = 'fan_in'`, `nonlinearity = 'relu'` (gain \f$\sqrt 2\f$); Keras's
/// `he_normal` truncates the normal and ffn's does not. (PyTorch's `nn.Linear` starts from
/// `kaiming_uniform_` with `a = sqrt(5)`, which is a different, smaller bound.)

#include <cmath>

#include "ffn/init/distribution.hpp"

namespace ffn {

/// He uniform: \f$U(-l, l)\f$ with \f$l = \sqrt{6 / fan_{in}}\f$ (variance \f$2 / fan_{in}\f$).
struct he_uniform {
    /// @throws std::invalid_argument if `f.in` is not positive.
    [[nodiscard]] distribution distribution_for(const fans& f) const {
        const double fan_in = detail::positive_fan("ffn::he_uniform", "fan_in", f.in);
        const double limit = std::sqrt(6.0 / fan_in);
        return distribution::uniform(-limit, limit);
    }
};

/// He normal: \f$N(0, \sigma^2)\f$ with \f$\sigma = \sqrt{2 / fan_{in}}\f$.
struct he_normal {
    /// @throws std::invalid_argument if `f.in` is not positive.
    [[nodiscard]] distribution distribution_for(const fans& f) const {
        const double fan_in = detail::positive_fan("ffn::he_normal", "fan_in", f.in);
        return distribution::normal(0.0, std::sqrt(2.0 / fan_in));
    }
};

} // namespace ffn
