// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// A vectorised exponential (and sigmoid) for double and float, shorter in latency and
/// cheaper than Eigen's own.
///
/// Eigen's `exp` for double packets evaluates a rational function (one division) and scales by
/// \f$2^k\f$ through four multiplications; on two lanes (the lecture's 2-unit layers) that
/// makes it slower than two calls to the C library's `exp`. This one reduces
/// \f$x = k \ln 2 + r\f$ with \f$|r| \le \ln 2 / 2\f$, evaluates the Taylor polynomial of
/// \f$e^r\f$ (degree 13 for double, 7 for float) by Estrin's scheme (depth 4 or 3 instead of
/// 13 or 7) and builds \f$2^k\f$ with one integer shift. Within \f$|x| \le 708\f$ (double) or
/// \f$87\f$ (float) it stays within two units in the last place of `std::exp`; a packet with
/// any lane outside that range is computed by `std::exp` lane by lane, so overflow gives
/// infinity and underflow zero, exactly as `std::exp` does. NaN gives NaN.

#include <cmath>
#include <type_traits>

#include <Eigen/Core>

namespace ffn::detail {

/// The constants of `exp_parts` for each scalar type: the largest \f$|x|\f$ it takes, the
/// number whose addition rounds to an integer (\f$1.5 \cdot 2^{p}\f$ for a \f$p\f$-bit
/// mantissa) plus the exponent bias, and \f$\ln 2\f$ split in two so that \f$k \ln2_{hi}\f$
/// is exact (for double fdlibm's `ln2HI` and `ln2LO`, for float Cephes' `C1` and `C2`).
template <class Scalar>
struct exp_constants;
template <>
struct exp_constants<double> {
    static constexpr double limit = 708.0;
    static constexpr double shifter = 0x1.8p52 + 1023.0;
    static constexpr double ln2_hi = 6.93147180369123816490e-01;
    static constexpr double ln2_lo = 1.90821492927058770002e-10;
};
template <>
struct exp_constants<float> {
    static constexpr float limit = 87.0F;
    static constexpr float shifter = 0x1.8p23F + 127.0F;
    static constexpr float ln2_hi = 0.693359375F;
    static constexpr float ln2_lo = -2.12194440e-4F;
};

/// True if `exp_parts` computes \f$e^x\f$ for packets of `Scalar` (double and float).
template <class Scalar>
inline constexpr bool has_fast_exp =
    std::is_same_v<Scalar, double> || std::is_same_v<Scalar, float>;

/// \f$2^k\f$ in each lane, where `t` holds \f$k + bias + 1.5 \cdot 2^p\f$ (an integer-valued
/// number, so its low mantissa bits are \f$k + bias\f$) and `k` holds \f$k\f$. A shift moves
/// those bits into the exponent field; where no integer shift is available, Eigen's `pldexp`.
/// @pre \f$2^k\f$ is a normal number
template <class Packet>
[[nodiscard]] Packet exp2_integer(const Packet& /*t*/, const Packet& k) {
    using scalar = typename Eigen::internal::unpacket_traits<Packet>::type;
    return Eigen::internal::pldexp(Eigen::internal::pset1<Packet>(scalar(1)), k);
}
#ifdef EIGEN_VECTORIZE_SSE2
[[nodiscard]] inline Eigen::internal::Packet2d exp2_integer(const Eigen::internal::Packet2d& t,
                                                            const Eigen::internal::Packet2d&) {
    return _mm_castsi128_pd(_mm_slli_epi64(_mm_castpd_si128(t), 52));
}
[[nodiscard]] inline Eigen::internal::Packet4f exp2_integer(const Eigen::internal::Packet4f& t,
                                                            const Eigen::internal::Packet4f&) {
    return _mm_castsi128_ps(_mm_slli_epi32(_mm_castps_si128(t), 23));
}
#endif
#ifdef EIGEN_VECTORIZE_AVX2
[[nodiscard]] inline Eigen::internal::Packet4d exp2_integer(const Eigen::internal::Packet4d& t,
                                                            const Eigen::internal::Packet4d&) {
    return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(t), 52));
}
[[nodiscard]] inline Eigen::internal::Packet8f exp2_integer(const Eigen::internal::Packet8f& t,
                                                            const Eigen::internal::Packet8f&) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(t), 23));
}
#endif
#ifdef EIGEN_VECTORIZE_AVX512
[[nodiscard]] inline Eigen::internal::Packet8d exp2_integer(const Eigen::internal::Packet8d& t,
                                                            const Eigen::internal::Packet8d&) {
    return _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_castpd_si512(t), 52));
}
[[nodiscard]] inline Eigen::internal::Packet16f exp2_integer(const Eigen::internal::Packet16f& t,
                                                             const Eigen::internal::Packet16f&) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(t), 23));
}
#endif

/// The parts of \f$e^x\f$ for a packet of doubles or floats with \f$|x|\f$ at most
/// `exp_constants::limit`: returns \f$e^r\f$ and sets `scale` to \f$2^k\f$, so that
/// \f$e^x\f$ is their product. Kept apart so that a caller can fuse the product into its next
/// step (the sigmoid's \f$1 + e^{-x}\f$).
template <class Packet>
[[nodiscard]] Packet exp_parts(const Packet& x, Packet& scale) {
    using namespace Eigen::internal;
    using scalar = typename unpacket_traits<Packet>::type;
    using c = exp_constants<scalar>;
    const Packet shifter = pset1<Packet>(c::shifter);
    const Packet t = pmadd(x, pset1<Packet>(scalar(1.4426950408889634074)), shifter); // log2(e)
    const Packet k = psub(t, shifter);
    Packet r = pmadd(k, pset1<Packet>(-c::ln2_hi), x);
    r = pmadd(k, pset1<Packet>(-c::ln2_lo), r);
    scale = exp2_integer(t, k);
    // e^r = sum r^n / n! for |r| <= ln2/2, grouped by Estrin's scheme; the first term left
    // out is below 5e-18 (double, n = 14) or 6e-9 (float, n = 8), relative.
    const auto pair = [&r](double a, double b) {
        return pmadd(pset1<Packet>(scalar(b)), r, pset1<Packet>(scalar(a)));
    };
    const Packet r2 = pmul(r, r);
    const Packet r4 = pmul(r2, r2);
    const Packet q0 = pmadd(pair(1.0 / 2, 1.0 / 6), r2, padd(r, pset1<Packet>(scalar(1))));
    if constexpr (std::is_same_v<scalar, float>) {
        const Packet q1 = pmadd(pair(1.0 / 720, 1.0 / 5040), r2, pair(1.0 / 24, 1.0 / 120));
        return pmadd(q1, r4, q0);
    } else {
        const Packet r8 = pmul(r4, r4);
        const Packet q1 = pmadd(pair(1.0 / 720, 1.0 / 5040), r2, pair(1.0 / 24, 1.0 / 120));
        const Packet q2 =
            pmadd(pair(1.0 / 3628800, 1.0 / 39916800), r2, pair(1.0 / 40320, 1.0 / 362880));
        const Packet q3 = pair(1.0 / 479001600, 1.0 / 6227020800);
        return pmadd(pmadd(q3, r4, q2), r8, pmadd(q1, r4, q0));
    }
}

/// True if any lane of `x` lies beyond `exp_constants::limit`, where `exp_parts` does not
/// apply. NaN needs no test: it runs through `exp_parts` and comes out NaN.
template <class Packet>
[[nodiscard]] bool any_beyond_fast_range(const Packet& x) {
    using namespace Eigen::internal;
    using scalar = typename unpacket_traits<Packet>::type;
    return predux_any(pcmp_lt(pset1<Packet>(exp_constants<scalar>::limit), pabs(x)));
}

/// Applies `f` to each lane of `x`.
template <class Packet, class F>
[[nodiscard]] Packet lane_by_lane(const Packet& x, F f) {
    constexpr int size = Eigen::internal::unpacket_traits<Packet>::size;
    alignas(64) typename Eigen::internal::unpacket_traits<Packet>::type lanes[size];
    Eigen::internal::pstoreu(lanes, x);
    for (auto& lane : lanes) {
        lane = f(lane);
    }
    return Eigen::internal::ploadu<Packet>(lanes);
}

/// The functor behind `fast_exp`: `std::exp` for one value, the scheme in the file comment for
/// a packet of doubles or floats. Other scalar types use Eigen's own packet exponential.
template <class Scalar>
struct exp_op {
    Scalar operator()(const Scalar& x) const { return std::exp(x); }

    template <class Packet>
    Packet packetOp(const Packet& x) const {
        if constexpr (!has_fast_exp<Scalar>) {
            return Eigen::internal::pexp(x);
        } else {
            if (any_beyond_fast_range(x)) [[unlikely]] {
                return lane_by_lane(x, [](Scalar v) { return std::exp(v); });
            }
            Packet scale;
            const Packet p = exp_parts(x, scale);
            return Eigen::internal::pmul(p, scale);
        }
    }
};

/// The functor behind `fast_sigmoid`: \f$1 / (1 + e^{-x})\f$, with the exponential of
/// `exp_op` and its last product fused into the sum \f$1 + e^{-x}\f$.
template <class Scalar>
struct sigmoid_op {
    Scalar operator()(const Scalar& x) const { return Scalar(1) / (Scalar(1) + std::exp(-x)); }

    template <class Packet>
    Packet packetOp(const Packet& x) const {
        using namespace Eigen::internal;
        const Packet one = pset1<Packet>(Scalar(1));
        if constexpr (!has_fast_exp<Scalar>) {
            return pdiv(one, padd(one, pexp(pnegate(x))));
        } else {
            if (any_beyond_fast_range(x)) [[unlikely]] {
                return lane_by_lane(
                    x, [](Scalar v) { return Scalar(1) / (Scalar(1) + std::exp(-v)); });
            }
            Packet scale;
            const Packet p = exp_parts(pnegate(x), scale);
            return pdiv(one, pmadd(p, scale, one));
        }
    }
};

/// \f$e^x\f$ element by element, as an Eigen array expression; see the file comment.
template <class Derived>
[[nodiscard]] auto fast_exp(const Eigen::ArrayBase<Derived>& x) {
    return x.unaryExpr(exp_op<typename Derived::Scalar>{});
}

/// \f$1 / (1 + e^{-x})\f$ element by element, as an Eigen array expression.
template <class Derived>
[[nodiscard]] auto fast_sigmoid(const Eigen::ArrayBase<Derived>& x) {
    return x.unaryExpr(sigmoid_op<typename Derived::Scalar>{});
}

} // namespace ffn::detail

namespace Eigen::internal {
template <class Scalar>
struct functor_traits<ffn::detail::exp_op<Scalar>> {
    enum {
        Cost = functor_traits<scalar_exp_op<Scalar>>::Cost,
        PacketAccess = packet_traits<Scalar>::HasExp
    };
};
template <class Scalar>
struct functor_traits<ffn::detail::sigmoid_op<Scalar>> {
    enum {
        Cost = static_cast<int>(functor_traits<scalar_exp_op<Scalar>>::Cost) +
               static_cast<int>(scalar_div_cost<Scalar, true>::value),
        PacketAccess = packet_traits<Scalar>::HasExp && packet_traits<Scalar>::HasDiv
    };
};
} // namespace Eigen::internal
