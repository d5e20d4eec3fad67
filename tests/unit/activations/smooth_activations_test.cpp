// SPDX-License-Identifier: MIT
// Values and derivatives of softplus, silu and gelu against numbers worked out by hand from
// their formulas, and every element-wise activation's derivative against a central
// difference of its own values.

#include <cmath>
#include <type_traits>

#include <catch2/catch.hpp>

#include <ffn/activations/elu.hpp>
#include <ffn/activations/gelu.hpp>
#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/silu.hpp>
#include <ffn/activations/softplus.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/concepts/activation.hpp>

#include "activation_support.hpp"

using namespace activation_test;

namespace {
template <class Scalar>
column<Scalar> sums() {
    return make_column<Scalar>({-2, -0.5, 0, 0.5, 2});
}
} // namespace

static_assert(ffn::elementwise_activation<ffn::softplus>);
static_assert(ffn::elementwise_activation<ffn::silu>);
static_assert(ffn::elementwise_activation<ffn::gelu>);

TEMPLATE_TEST_CASE("softplus: ln(1 + e^x), derivative the sigmoid", "[activation]", float, double) {
    const ffn::softplus a;
    // ln(1 + e^-2) = 0.12693..., ln(1 + e^-0.5) = 0.47408..., ln 2 = 0.69315...,
    // ln(1 + e^x) = x + ln(1 + e^-x) for the positive sums.
    check_column(value_of(a, sums<TestType>()),
                 {0.12692801104297249, 0.47407698418010669, 0.69314718055994529,
                  0.97407698418010669, 2.1269280110429727});
    check_column(derivative_of(a, sums<TestType>()), {0.11920292202211755, 0.37754066879814541, 0.5,
                                                      0.62245933120185459, 0.88079707797788231});
}

TEMPLATE_TEST_CASE("silu: x s(x), derivative s(1 + x(1 - s))", "[activation]", float, double) {
    const ffn::silu a;
    // -2 * 0.11920 = -0.23841, -0.5 * 0.37754 = -0.18877, 0.5 * 0.62246, 2 * 0.88080.
    check_column(value_of(a, sums<TestType>()), {-0.23840584404423509, -0.1887703343990727, 0,
                                                 0.3112296656009273, 1.7615941559557646});
    // 0.11920 (1 - 2 * 0.88080) = -0.090784, 0.37754 (1 - 0.5 * 0.62246) = 0.26004, 0.5, ...
    check_column(
        derivative_of(a, sums<TestType>()),
        {-0.090784248784895466, 0.26003881269734819, 0.5, 0.73996118730265192, 1.0907842487848955});
    CHECK(std::is_same_v<ffn::swish, ffn::silu>);
}

TEMPLATE_TEST_CASE("gelu (exact form): x Phi(x), derivative Phi(x) + x phi(x)", "[activation]",
                   float, double) {
    const ffn::gelu a;
    // Phi(-2) = erfc(sqrt 2) / 2 = 0.022750, so gelu(-2) = -0.045500; Phi(-0.5) = 0.30854,
    // gelu(-0.5) = -0.15427; gelu(x) - gelu(-x) = x.
    check_column(value_of(a, sums<TestType>()), {-0.045500263896358438, -0.15426876936299344, 0,
                                                 0.34573123063700656, 1.9544997361036416});
    // phi(2) = e^-2 / sqrt(2 pi) = 0.053991: 0.022750 - 2 * 0.053991 = -0.085232;
    // phi(0.5) = 0.35207: 0.30854 - 0.5 * 0.35207 = 0.13250.
    check_column(
        derivative_of(a, sums<TestType>()),
        {-0.085231801078196903, 0.13250487534383712, 0.5, 0.86749512465616285, 1.0852318010781969});
}

namespace {

/// The derivative at each point of `at` against (f(x + h) - f(x - h)) / 2h in double; the
/// points stay clear of kinks.
template <class A>
void check_against_central_difference(const A& a) {
    INFO(A::name);
    const column<double> at = make_column<double>({-3.5, -1.25, -0.3, 0.2, 0.7, 1.9, 4.0});
    const double h = 1e-5;
    const column<double> above = value_of(a, column<double>(at + h));
    const column<double> below = value_of(a, column<double>(at - h));
    const column<double> numeric = (above - below) / (2 * h);
    const column<double> analytic = derivative_of(a, at);
    for (Eigen::Index i = 0; i < at.size(); ++i) {
        INFO("at " << at(i));
        CHECK(analytic(i) == Approx(numeric(i)).epsilon(1e-8).margin(1e-9));
    }
}

} // namespace

TEST_CASE("every element-wise activation's derivative is its central difference", "[activation]") {
    check_against_central_difference(ffn::identity{});
    check_against_central_difference(ffn::sigmoid{});
    check_against_central_difference(ffn::tanh{});
    check_against_central_difference(ffn::relu{});
    check_against_central_difference(ffn::leaky_relu{});
    check_against_central_difference(ffn::leaky_relu(0.3));
    check_against_central_difference(ffn::elu{});
    check_against_central_difference(ffn::elu(2.5));
    check_against_central_difference(ffn::softplus{});
    check_against_central_difference(ffn::silu{});
    check_against_central_difference(ffn::gelu{});
}
