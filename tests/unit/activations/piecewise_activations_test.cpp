// SPDX-License-Identifier: MIT
// Values and derivatives of identity, sigmoid, tanh, relu, leaky_relu and elu against numbers
// worked out by hand from their formulas (at the sums -2, -0.5, 0, 0.5, 2).

#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/activations/elu.hpp>
#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/activations/sigmoid.hpp>
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

static_assert(ffn::elementwise_activation<ffn::identity>);
static_assert(ffn::elementwise_activation<ffn::tanh>);
static_assert(ffn::elementwise_activation<ffn::relu>);
static_assert(ffn::elementwise_activation<ffn::leaky_relu>);
static_assert(ffn::elementwise_activation<ffn::elu>);

TEMPLATE_TEST_CASE("identity passes sums through with derivative 1", "[activation]", float,
                   double) {
    const ffn::identity a;
    check_column(value_of(a, sums<TestType>()), {-2, -0.5, 0, 0.5, 2});
    check_column(derivative_of(a, sums<TestType>()), {1, 1, 1, 1, 1});
}

TEMPLATE_TEST_CASE("sigmoid: 1 / (1 + e^-x) and out(1 - out)", "[activation]", float, double) {
    const ffn::sigmoid a;
    // 1 / (1 + e^2) = 0.11920..., 1 / (1 + e^0.5) = 0.37754..., and 1 minus these for +x.
    check_column(value_of(a, sums<TestType>()), {0.11920292202211755, 0.37754066879814541, 0.5,
                                                 0.62245933120185459, 0.88079707797788231});
    // out(1 - out): 0.11920 * 0.88080 = 0.10499..., 0.37754 * 0.62246 = 0.23500..., 0.25.
    check_column(
        derivative_of(a, sums<TestType>()),
        {0.10499358540350651, 0.23500371220159449, 0.25, 0.23500371220159449, 0.10499358540350651});
}

TEMPLATE_TEST_CASE("tanh: values and 1 - out^2", "[activation]", float, double) {
    const ffn::tanh a;
    // tanh(2) = (e^4 - 1) / (e^4 + 1) = 0.96403..., tanh(0.5) = (e - 1) / (e + 1) = 0.46212...
    check_column(value_of(a, sums<TestType>()), {-0.9640275800758169, -0.46211715726000974, 0,
                                                 0.46211715726000974, 0.9640275800758169});
    // 1 - 0.96403^2 = 0.070651..., 1 - 0.46212^2 = 0.78645...
    check_column(derivative_of(a, sums<TestType>()), {0.070650824853164429, 0.7864477329659274, 1,
                                                      0.7864477329659274, 0.070650824853164429});
}

TEMPLATE_TEST_CASE("relu: max(x, 0), derivative 1 above 0 and 0 at and below", "[activation]",
                   float, double) {
    const ffn::relu a;
    check_column(value_of(a, sums<TestType>()), {0, 0, 0, 0.5, 2});
    check_column(derivative_of(a, sums<TestType>()), {0, 0, 0, 1, 1});
}

TEMPLATE_TEST_CASE("relu's derivative is 1 exactly where the sum is above 0, in vector registers "
                   "too",
                   "[activation]", float, double) {
    // 67 values: enough for full packets and a remainder, with -0, the smallest positive
    // (subnormal) value, infinities and NaN among them.
    using limits = std::numeric_limits<TestType>;
    Eigen::Array<TestType, Eigen::Dynamic, 1> sum(67);
    for (Eigen::Index i = 0; i < sum.size(); ++i) {
        sum(i) = static_cast<TestType>((i % 7) - 3) / 4;
    }
    sum(5) = -TestType(0);
    sum(17) = limits::denorm_min();
    sum(18) = -limits::denorm_min();
    sum(33) = limits::infinity();
    sum(34) = -limits::infinity();
    sum(50) = limits::quiet_NaN();
    const ffn::relu a;
    const Eigen::Array<TestType, Eigen::Dynamic, 1> derivative = a.derivative(sum, sum);
    for (Eigen::Index i = 0; i < sum.size(); ++i) {
        CAPTURE(i, sum(i));
        CHECK(derivative(i) == (sum(i) > 0 ? TestType(1) : TestType(0)));
    }
}

TEMPLATE_TEST_CASE("leaky_relu: slope 0.01 by default, or as given", "[activation]", float,
                   double) {
    const ffn::leaky_relu a;
    CHECK(a.slope() == 0.01);
    check_column(value_of(a, sums<TestType>()), {-0.02, -0.005, 0, 0.5, 2});
    check_column(derivative_of(a, sums<TestType>()), {0.01, 0.01, 0.01, 1, 1});

    const ffn::leaky_relu b(0.25);
    CHECK(b.slope() == 0.25);
    check_column(value_of(b, sums<TestType>()), {-0.5, -0.125, 0, 0.5, 2});
    check_column(derivative_of(b, sums<TestType>()), {0.25, 0.25, 0.25, 1, 1});
    CHECK(a != b);
    CHECK(b == ffn::leaky_relu(0.25));
}

TEST_CASE("leaky_relu refuses a slope that is not finite", "[activation]") {
    CHECK_THROWS_AS(ffn::leaky_relu(std::numeric_limits<double>::quiet_NaN()),
                    std::invalid_argument);
    CHECK_THROWS_WITH(ffn::leaky_relu(std::numeric_limits<double>::infinity()),
                      Catch::Contains("ffn::leaky_relu: the slope must be finite"));
}

TEMPLATE_TEST_CASE("elu: alpha(e^x - 1) below 0, derivative alpha e^x", "[activation]", float,
                   double) {
    const ffn::elu a;
    CHECK(a.alpha() == 1.0);
    // e^-2 - 1 = -0.86466..., e^-0.5 - 1 = -0.39347...
    check_column(value_of(a, sums<TestType>()),
                 {-0.8646647167633873, -0.39346934028736658, 0, 0.5, 2});
    // e^-2 = 0.13534..., e^-0.5 = 0.60653..., e^0 = 1 at the kink (both sides agree).
    check_column(derivative_of(a, sums<TestType>()),
                 {0.1353352832366127, 0.60653065971263342, 1, 1, 1});

    const ffn::elu half(0.5);
    // 0.5 (e^-2 - 1) and 0.5 e^-2.
    check_column(value_of(half, make_column<TestType>({-2, 2})), {-0.43233235838169365, 2});
    check_column(derivative_of(half, make_column<TestType>({-2, 0, 2})),
                 {0.06766764161830635, 0.5, 1});
}

TEST_CASE("elu refuses a negative or non-finite alpha", "[activation]") {
    CHECK_THROWS_WITH(ffn::elu(-1.0), Catch::Contains("ffn::elu: alpha must be finite"));
    CHECK_THROWS_AS(ffn::elu(std::numeric_limits<double>::infinity()), std::invalid_argument);
    CHECK_NOTHROW(ffn::elu(0.0));
}
