// SPDX-License-Identifier: MIT
// binary_cross_entropy: value and gradient worked out by hand, PyTorch's clamps, the batch
// mean, and the fused (logit) form against the unfused one.

#include <cmath>

#include <catch2/catch.hpp>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/concepts/loss.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>

#include "loss_support.hpp"

using namespace loss_test;

static_assert(ffn::loss<ffn::binary_cross_entropy>);
static_assert(ffn::fused_with<ffn::binary_cross_entropy, ffn::sigmoid>);

TEMPLATE_TEST_CASE("binary_cross_entropy: -(y ln p + (1 - y) ln(1 - p)), mean over the batch",
                   "[loss]", float, double) {
    const ffn::binary_cross_entropy loss;
    matrix<TestType> p(1, 3);
    p << TestType(0.8), TestType(0.3), TestType(0.9);
    matrix<TestType> y(1, 3);
    y << 1, 0, TestType(0.25);
    // -ln 0.8 = 0.22314, -ln 0.7 = 0.35667, -(0.25 ln 0.9 + 0.75 ln 0.1) = 1.75328; mean 0.77770.
    CHECK(static_cast<double>(loss.value(p, y)) ==
          Approx(0.7776991479709775).epsilon(tolerance<TestType>));
    // (p - y) / (p (1 - p)) / 3: -0.2 / 0.16 / 3, 0.3 / 0.21 / 3, 0.65 / 0.09 / 3.
    const matrix<TestType> g = gradient_of(loss, p, y);
    CHECK(static_cast<double>(g(0)) == Approx(-0.4166666666666667).epsilon(tolerance<TestType>));
    CHECK(static_cast<double>(g(1)) == Approx(0.4761904761904762).epsilon(tolerance<TestType>));
    CHECK(static_cast<double>(g(2)) == Approx(2.407407407407408).epsilon(tolerance<TestType>));
}

TEMPLATE_TEST_CASE("binary_cross_entropy takes the mean over several outputs too, like BCELoss",
                   "[loss]", float, double) {
    const ffn::binary_cross_entropy loss;
    matrix<TestType> p(2, 2);
    p << TestType(0.8), TestType(0.3), TestType(0.3), TestType(0.8);
    matrix<TestType> y(2, 2);
    y << 1, 0, 0, 1;
    // Every element costs -ln 0.8 or -ln 0.7; the mean over the 4 elements.
    CHECK(static_cast<double>(loss.value(p, y)) ==
          Approx((0.2231435513142097 + 0.35667494393873245) / 2).epsilon(tolerance<TestType>));
}

TEMPLATE_TEST_CASE("binary_cross_entropy clamps like PyTorch: outputs of exactly 0 or 1 stay "
                   "finite",
                   "[loss]", float, double) {
    const ffn::binary_cross_entropy loss;
    matrix<TestType> p(1, 4);
    p << 0, 1, 0, 1;
    matrix<TestType> y(1, 4);
    y << 1, 0, 0, 1;
    // Each logarithm is at least -100: the wrong answers cost 100 each, the right ones 0.
    CHECK(static_cast<double>(loss.value(p, y)) == Approx(50.0));
    const matrix<TestType> g = gradient_of(loss, p, y);
    CHECK(g.allFinite());
    // The denominator p(1 - p) = 0 is clamped to 1e-12: -1 / 1e-12 / 4.
    CHECK(static_cast<double>(g(0)) == Approx(-0.25e12).epsilon(1e-5));
}

TEMPLATE_TEST_CASE("binary_cross_entropy fused with sigmoid equals the unfused form", "[loss]",
                   float, double) {
    const ffn::binary_cross_entropy loss;
    const ffn::sigmoid s;
    matrix<TestType> z(1, 5);
    z << 2, -1, TestType(0.5), -4, TestType(0.1);
    matrix<TestType> y(1, 5);
    y << 1, 0, TestType(0.25), 1, 0;
    const matrix<TestType> p = s.value(z.array()).matrix();

    CHECK(static_cast<double>(loss.value_from_sum(s, z, y)) ==
          Approx(static_cast<double>(loss.value(p, y))).epsilon(tolerance<TestType> * 10));

    // Unfused: dE/dp times the sigmoid's out(1 - out).
    const matrix<TestType> unfused =
        (gradient_of(loss, p, y).array() * s.derivative(z.array(), p.array())).matrix();
    const matrix<TestType> fused = loss.error_signal(s, z, p, y);
    CHECK(fused.isApprox(unfused, static_cast<TestType>(tolerance<TestType> * 10)));
    // Which is (p - y) / n.
    CHECK(fused.isApprox((p - y) / 5, static_cast<TestType>(tolerance<TestType>)));
}

TEMPLATE_TEST_CASE("binary_cross_entropy from logits is exact at +-1000", "[loss]", float, double) {
    const ffn::binary_cross_entropy loss;
    const ffn::sigmoid s;
    matrix<TestType> z(1, 4);
    z << 1000, 1000, -1000, -1000;
    matrix<TestType> y(1, 4);
    y << 0, 1, 1, 0;
    // max(z, 0) - z y + ln(1 + e^-|z|): 1000, 0, 1000, 0; mean 500 (no clamp at 100).
    CHECK(static_cast<double>(loss.value_from_sum(s, z, y)) == Approx(500.0));
    const matrix<TestType> p = s.value(z.array()).matrix();
    const matrix<TestType> signal = loss.error_signal(s, z, p, y);
    REQUIRE(signal.allFinite());
    CHECK(static_cast<double>(signal(0)) == Approx(0.25));
    CHECK(static_cast<double>(signal(1)) == Approx(0.0).margin(1e-30));
    CHECK(static_cast<double>(signal(2)) == Approx(-0.25));
    CHECK(static_cast<double>(signal(3)) == Approx(0.0).margin(1e-30));
}
