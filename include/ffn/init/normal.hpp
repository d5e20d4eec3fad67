// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::normal`: values from a given normal distribution.

#include <cmath>
#include <stdexcept>
#include <string>

#include "ffn/detail/format.hpp"
#include "ffn/errors.hpp"
#include "ffn/init/distribution.hpp"

namespace ffn {

/// Draws every value from the normal distribution of mean `mean` and standard deviation
/// `stddev`, whatever the tensor's size (PyTorch's `nn.init.normal_(mean, std)`; not
/// truncated).
class normal {
public:
    /// @throws std::invalid_argument unless `mean` is finite and `stddev` positive and finite.
    normal(double mean, double stddev) : mean_(mean), stddev_(stddev) {
        if (!std::isfinite(mean)) {
            detail::raise(std::invalid_argument("ffn::normal: the mean must be finite, got " +
                                                detail::format_number(mean)));
        }
        if (!(stddev > 0) || !std::isfinite(stddev)) {
            detail::raise(
                std::invalid_argument("ffn::normal: the standard deviation (stddev) must be "
                                      "positive and finite, got " +
                                      detail::format_number(stddev)));
        }
    }

    /// The mean.
    [[nodiscard]] double mean() const noexcept { return mean_; }
    /// The standard deviation.
    [[nodiscard]] double stddev() const noexcept { return stddev_; }

    /// The distribution to draw from: this normal, whatever the fans.
    [[nodiscard]] distribution distribution_for(const fans& /*f*/) const {
        return distribution::normal(mean_, stddev_);
    }

private:
    double mean_;
    double stddev_;
};

} // namespace ffn
