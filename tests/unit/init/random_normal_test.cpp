// SPDX-License-Identifier: MIT
// ffn's portable logarithm and normal draws: accurate, reproducible, and normal.

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include <ffn/detail/portable_math.hpp>
#include <ffn/detail/random.hpp>

namespace {

/// |a - b| in units of the last place of b.
double ulps(double a, double b) {
    const double spacing =
        std::nextafter(std::abs(b), std::numeric_limits<double>::infinity()) - std::abs(b);
    return std::abs(a - b) / spacing;
}

} // namespace

TEST_CASE("portable_log agrees with std::log to within 2 ulps", "[init]") {
    CHECK(ffn::detail::portable_log(1.0) == 0.0);
    CHECK(ffn::detail::portable_log(0.5) == -0x1.62e42fefa39efp-1); // -ln 2, rounded
    std::vector<double> xs{1e-300,   1e-30,           1e-8,       0.001, 0.1,  0.25,
                           0.5,      0.7071,          0.70710678, 0.75,  0.9,  0.99,
                           0.999999, 1.0 - 0x1.0p-52, 1.5,        2.0,   10.0, 1e10};
    ffn::detail::random_engine engine(3);
    for (int i = 0; i < 10000; ++i) {
        xs.push_back(engine.uniform() + 0x1.0p-60);
    }
    double worst = 0;
    for (const double x : xs) {
        const double expected = std::log(x);
        const double got = ffn::detail::portable_log(x);
        INFO("x = " << x << ", std::log " << expected << ", portable_log " << got);
        const double error = expected == 0 ? std::abs(got) : ulps(got, expected);
        CHECK(error <= 2.0);
        worst = error > worst ? error : worst;
    }
    CHECK(worst > 0); // the comparison did look at the last bits
}

TEST_CASE("random_engine::normal gives pinned values for seed 42", "[init]") {
    // Computed by reference_draws.py beside this file, an independent model of the engine
    // (splitmix64, xoshiro256**, the polar method, the atanh-series log) that computes every
    // fma exactly with rationals.
    ffn::detail::random_engine engine(42);
    CHECK(engine.normal() == -0.7262191382447855);
    CHECK(engine.normal() == -0.2111969182319598);
    CHECK(engine.normal() == 0.2216227015035933);
    CHECK(engine.normal() == 0.5227716877560146);
}

TEST_CASE("random_engine streams are reproducible and distinct", "[init]") {
    const auto first_draws = [](ffn::detail::random_engine engine) {
        std::vector<std::uint64_t> out;
        for (int i = 0; i < 4; ++i) {
            out.push_back(engine.next());
        }
        return out;
    };
    CHECK(first_draws(ffn::detail::random_engine(42, 1)) ==
          first_draws(ffn::detail::random_engine(42, 1)));
    CHECK(first_draws(ffn::detail::random_engine(42, 1)) !=
          first_draws(ffn::detail::random_engine(42, 0)));
    CHECK(first_draws(ffn::detail::random_engine(42, 0)) !=
          first_draws(ffn::detail::random_engine(42)));
    CHECK(first_draws(ffn::detail::random_engine(43, 1)) !=
          first_draws(ffn::detail::random_engine(42, 1)));
    CHECK(first_draws(ffn::detail::random_engine(42, std::uint64_t{1} << 32U)) !=
          first_draws(ffn::detail::random_engine(42, 1)));
}

TEST_CASE("random_engine::normal has the moments of a standard normal", "[init]") {
    // n = 400,000 draws. Each tolerance is 5 standard errors of the estimate:
    // mean: 1/sqrt(n) = 0.00158; variance: sqrt(2/n) = 0.00224; third moment: sqrt(15/n) =
    // 0.0061; fourth moment (3): sqrt(96/n) = 0.0155; P(|z| < 1) = 0.682689:
    // sqrt(p(1-p)/n) = 0.000736.
    const int n = 400000;
    ffn::detail::random_engine engine(2024);
    double sum = 0;
    double sum2 = 0;
    double sum3 = 0;
    double sum4 = 0;
    int inside = 0;
    for (int i = 0; i < n; ++i) {
        const double z = engine.normal();
        sum += z;
        sum2 += z * z;
        sum3 += z * z * z;
        sum4 += z * z * z * z;
        inside += std::abs(z) < 1.0 ? 1 : 0;
    }
    const double count = n;
    CHECK(std::abs(sum / count) < 5 * 0.00158);
    CHECK(std::abs(sum2 / count - 1.0) < 5 * 0.00224);
    CHECK(std::abs(sum3 / count) < 5 * 0.0061);
    CHECK(std::abs(sum4 / count - 3.0) < 5 * 0.0155);
    CHECK(std::abs(inside / count - 0.682689) < 5 * 0.000736);
}
