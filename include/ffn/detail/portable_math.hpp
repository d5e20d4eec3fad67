// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Elementary functions that give the same bits on every platform.
///
/// IEEE 754 rounds `+`, `-`, `*`, `/`, `sqrt` and `fma` exactly (the result is the exact
/// value, rounded once), so a computation made only of them gives the same bits everywhere.
/// `std::log`, `std::exp` and `std::cos` carry no such promise: their last bit may differ
/// between standard libraries and versions. What must be reproducible bit for bit (the
/// random draws of an initializer) is therefore built from the exact operations alone, with
/// every product that feeds a sum written as an explicit `std::fma`: a compiler may fuse
/// `a * b + c` into one rounding or not (`-ffp-contract`), but it can neither split an
/// explicit `fma` nor fuse anything further into it, so the results do not depend on it.
///
/// What this still assumes: `double` is IEEE 754 binary64 evaluated without excess precision
/// (`FLT_EVAL_METHOD == 0`: any x86-64, ARM or RISC-V target, but not the x87 unit of 32-bit
/// x86), round-to-nearest (the default), `std::fma` and `std::sqrt` correctly rounded as
/// IEEE 754 and C Annex F require, and no value-changing optimisations such as
/// `-ffast-math`.

#include <cmath>
#include <limits>

namespace ffn::detail {

static_assert(std::numeric_limits<double>::is_iec559,
              "ffn needs IEEE 754 double precision arithmetic for reproducible random draws.");

/// \f$\ln x\f$ for positive finite `x`, from exactly rounded operations only (see the file
/// comment): the same bits on every platform, within about 1 ulp of the true value.
///
/// Method: \f$x = m \cdot 2^e\f$ with \f$m \in [\sqrt{1/2}, \sqrt 2)\f$ (exact, by `frexp`),
/// then \f$\ln m = 2\,\mathrm{atanh}\,f = 2(f + f^3/3 + f^5/5 + \dots)\f$ with
/// \f$f = (m - 1)/(m + 1)\f$, \f$|f| \le 0.1716\f$, so \f$f^2 \le 0.0295\f$ and the terms after
/// \f$f^{21}/21\f$ add less than \f$10^{-18}\f$ relative; finally
/// \f$\ln x = e \ln 2 + \ln m\f$ with \f$\ln 2\f$ split into two doubles.
/// @pre `x > 0` and finite (not checked: the callers guarantee it)
[[nodiscard]] inline double portable_log(double x) noexcept {
    constexpr double sqrt_half = 0x1.6a09e667f3bcdp-1;
    constexpr double ln2_high = 0x1.62e42fefa39efp-1; // ln 2 rounded to double
    constexpr double ln2_low = 0x1.abc9e3b39803fp-56; // ln 2 - ln2_high, rounded
    int exponent = 0;
    double m = std::frexp(x, &exponent); // x = m * 2^exponent, m in [0.5, 1)
    if (m < sqrt_half) {
        m *= 2.0; // exact
        --exponent;
    }
    const double f = (m - 1.0) / (m + 1.0); // m - 1 is exact (Sterbenz)
    const double f2 = f * f;
    // p = 1/3 + f2/5 + f2^2/7 + ... + f2^9/21, by Horner's rule.
    double p = 1.0 / 21.0;
    p = std::fma(p, f2, 1.0 / 19.0);
    p = std::fma(p, f2, 1.0 / 17.0);
    p = std::fma(p, f2, 1.0 / 15.0);
    p = std::fma(p, f2, 1.0 / 13.0);
    p = std::fma(p, f2, 1.0 / 11.0);
    p = std::fma(p, f2, 1.0 / 9.0);
    p = std::fma(p, f2, 1.0 / 7.0);
    p = std::fma(p, f2, 1.0 / 5.0);
    p = std::fma(p, f2, 1.0 / 3.0);
    const double two_f = 2.0 * f;                        // exact
    const double log_m = std::fma(two_f * f2, p, two_f); // 2f + 2f^3 p
    const auto e = static_cast<double>(exponent);        // exact
    return std::fma(e, ln2_high, std::fma(e, ln2_low, log_m));
}

} // namespace ffn::detail
