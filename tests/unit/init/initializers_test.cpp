// SPDX-License-Identifier: MIT
// The initializers: their formulas, their checks, and the statistics of what they draw.

#include <cmath>
#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/concepts/initializer.hpp>
#include <ffn/init/constant.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/he.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/init/lecun.hpp>
#include <ffn/init/normal.hpp>
#include <ffn/init/uniform.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

static_assert(ffn::initializer<ffn::constant>);
static_assert(ffn::initializer<ffn::uniform>);
static_assert(ffn::initializer<ffn::normal>);
static_assert(ffn::initializer<ffn::glorot_uniform>);
static_assert(ffn::initializer<ffn::glorot_normal>);
static_assert(ffn::initializer<ffn::he_uniform>);
static_assert(ffn::initializer<ffn::he_normal>);
static_assert(ffn::initializer<ffn::lecun_uniform>);
static_assert(ffn::initializer<ffn::lecun_normal>);
static_assert(!ffn::initializer<int>);
static_assert(!ffn::initializer<ffn::fans>);

using family = ffn::distribution::family;

TEST_CASE("the scaling initializers follow their formulas", "[init]") {
    // A dense layer of 3 inputs and 4 units: fan_in = 3, fan_out = 4.
    const ffn::fans f{3, 4};

    const ffn::distribution gu = ffn::glorot_uniform{}.distribution_for(f);
    CHECK(gu.kind() == family::uniform);
    CHECK(gu.high() == std::sqrt(6.0 / 7.0)); // sqrt(6 / (fan_in + fan_out))
    CHECK(gu.low() == -gu.high());

    const ffn::distribution gn = ffn::glorot_normal{}.distribution_for(f);
    CHECK(gn.kind() == family::normal);
    CHECK(gn.mean() == 0.0);
    CHECK(gn.stddev() == std::sqrt(2.0 / 7.0)); // sqrt(2 / (fan_in + fan_out))

    const ffn::distribution hu = ffn::he_uniform{}.distribution_for(f);
    CHECK(hu.kind() == family::uniform);
    CHECK(hu.high() == std::sqrt(6.0 / 3.0)); // sqrt(6 / fan_in)
    CHECK(hu.low() == -hu.high());

    const ffn::distribution hn = ffn::he_normal{}.distribution_for(f);
    CHECK(hn.kind() == family::normal);
    CHECK(hn.stddev() == std::sqrt(2.0 / 3.0)); // sqrt(2 / fan_in)

    const ffn::distribution lu = ffn::lecun_uniform{}.distribution_for(f);
    CHECK(lu.kind() == family::uniform);
    CHECK(lu.high() == 1.0); // sqrt(3 / fan_in)

    const ffn::distribution ln = ffn::lecun_normal{}.distribution_for(f);
    CHECK(ln.kind() == family::normal);
    CHECK(ln.stddev() == std::sqrt(1.0 / 3.0)); // sqrt(1 / fan_in)
}

TEST_CASE("the fixed initializers ignore the fans", "[init]") {
    CHECK(ffn::constant{}.distribution_for({3, 4}) == ffn::distribution::constant(0.0));
    CHECK(ffn::constant(0.25).distribution_for({3, 4}).value() == 0.25);
    CHECK(ffn::uniform(-0.5, 2.0).distribution_for({100, 1}) ==
          ffn::distribution::uniform(-0.5, 2.0));
    CHECK(ffn::normal(1.0, 0.01).distribution_for({1, 100}) ==
          ffn::distribution::normal(1.0, 0.01));
}

TEST_CASE("initializers reject bad settings and fans by name", "[init]") {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(ffn::uniform(0.5, 0.1), Catch::Contains("ffn::uniform") &&
                                                  Catch::Contains("low < high") &&
                                                  Catch::Contains("0.5"));
    CHECK_THROWS_AS(ffn::uniform(0.1, 0.1), std::invalid_argument);
    CHECK_THROWS_AS(ffn::uniform(-inf, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(ffn::uniform(nan, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(ffn::uniform(-1e308, 1e308), std::invalid_argument); // width overflows
    CHECK_THROWS_WITH(ffn::normal(0.0, 0.0),
                      Catch::Contains("ffn::normal") && Catch::Contains("stddev"));
    CHECK_THROWS_AS(ffn::normal(0.0, -1.0), std::invalid_argument);
    CHECK_THROWS_WITH(ffn::normal(nan, 1.0),
                      Catch::Contains("ffn::normal") && Catch::Contains("mean"));
    CHECK_THROWS_WITH(ffn::constant(inf), Catch::Contains("ffn::constant"));
    CHECK_THROWS_WITH(ffn::he_normal{}.distribution_for({0, 3}),
                      Catch::Contains("ffn::he_normal") && Catch::Contains("fan_in"));
    CHECK_THROWS_WITH(ffn::glorot_uniform{}.distribution_for({0, 0}),
                      Catch::Contains("ffn::glorot_uniform") &&
                          Catch::Contains("fan_in + fan_out"));
    CHECK_THROWS_AS(ffn::lecun_uniform{}.distribution_for({-1, 3}), std::invalid_argument);
    CHECK_THROWS_WITH(ffn::distribution::normal(0.0, nan),
                      Catch::Contains("ffn::distribution::normal"));
    CHECK_THROWS_AS(ffn::distribution::uniform(1.0, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(ffn::distribution::constant(nan), std::invalid_argument);
}

namespace {

using big_net =
    ffn::network<ffn::half_squared_error, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;

/// Mean and (population) variance of a big layer's weights after `initialize`.
template <class Init>
void check_moments(const Init& init, double expected_mean, double expected_variance,
                   double fourth_central_moment) {
    // 500 inputs, 400 units: n = 200,000 weights, fan_in = 500, fan_out = 400.
    big_net net({500, 400});
    ffn::initialize(net, init, 12345);
    const auto& w = net.layer<0>().weights();
    const auto n = static_cast<double>(w.size());
    const double mean = w.mean();
    const double variance = (w.array() - mean).square().sum() / n;
    // Tolerances of 5 standard errors: the mean's is sqrt(variance / n), the sample
    // variance's sqrt((mu4 - variance^2) / n).
    INFO("mean " << mean << ", variance " << variance << ", expected variance "
                 << expected_variance);
    CHECK(std::abs(mean - expected_mean) < 5 * std::sqrt(expected_variance / n));
    CHECK(std::abs(variance - expected_variance) <
          5 * std::sqrt((fourth_central_moment - expected_variance * expected_variance) / n));
}

/// For U(-l, l): variance l^2/3, fourth central moment l^4/5.
void check_uniform_moments(const ffn::distribution& d, double limit) {
    REQUIRE(d.kind() == family::uniform);
    REQUIRE(d.high() == Approx(limit).epsilon(1e-15));
}

} // namespace

TEST_CASE("a large layer's weights have the initializer's mean and variance", "[init]") {
    const double fan_in = 500;
    const double fan_out = 400;
    // Normal: fourth central moment 3 sigma^4. Uniform on (-l, l): variance l^2 / 3, fourth
    // central moment l^4 / 5.
    const auto normal_case = [](const auto& init, double mean, double variance) {
        check_moments(init, mean, variance, 3 * variance * variance);
    };
    const auto uniform_case = [](const auto& init, double limit) {
        check_uniform_moments(init.distribution_for({500, 400}), limit);
        check_moments(init, 0.0, limit * limit / 3, std::pow(limit, 4) / 5);
    };
    SECTION("he_normal") { normal_case(ffn::he_normal{}, 0.0, 2 / fan_in); }
    SECTION("glorot_normal") { normal_case(ffn::glorot_normal{}, 0.0, 2 / (fan_in + fan_out)); }
    SECTION("lecun_normal") { normal_case(ffn::lecun_normal{}, 0.0, 1 / fan_in); }
    SECTION("normal(0.5, 0.1)") { normal_case(ffn::normal(0.5, 0.1), 0.5, 0.01); }
    SECTION("he_uniform") { uniform_case(ffn::he_uniform{}, std::sqrt(6 / fan_in)); }
    SECTION("glorot_uniform") {
        uniform_case(ffn::glorot_uniform{}, std::sqrt(6 / (fan_in + fan_out)));
    }
    SECTION("lecun_uniform") { uniform_case(ffn::lecun_uniform{}, std::sqrt(3 / fan_in)); }
}

TEST_CASE("uniform draws stay within their bounds and fill them", "[init]") {
    big_net net({500, 400});
    ffn::initialize(net, ffn::uniform(-0.25, 0.75), 99);
    const auto& w = net.layer<0>().weights();
    CHECK(w.minCoeff() >= -0.25);
    CHECK(w.maxCoeff() <= 0.75);
    // With 200,000 draws the extremes lie within 1e-4 of the bounds (the chance that they do
    // not is below 2 exp(-200000 * 1e-4) = 4e-9).
    CHECK(w.minCoeff() < -0.25 + 1e-4);
    CHECK(w.maxCoeff() > 0.75 - 1e-4);
    // Every draw differs from its neighbour: the engine is not stuck.
    CHECK((w.array().col(0) != w.array().col(1)).all());
}
