// SPDX-License-Identifier: MIT
// categorical_cross_entropy from sums near the largest finite value (+-1.7e308 in double,
// +-3e38 in float): classes whose target is 0 contribute exactly 0, so the loss is the finite
// value the maths gives (not 0 * inf = NaN), +inf only where that value itself overflows, and
// the error signal stays finite.

#include <cmath>

#include <catch2/catch.hpp>

#include <ffn/activations/softmax.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/network.hpp>

#include "loss_support.hpp"

using namespace loss_test;

namespace {

/// Near the largest finite value, and a second value that differs from it exactly (the
/// difference of two numbers within a factor 2 of each other has no rounding error).
template <class Scalar>
struct extreme {
    static constexpr Scalar big = Scalar(1.7e308);
    static constexpr Scalar less = Scalar(1.6e308);
};
template <>
struct extreme<float> {
    static constexpr float big = 3e38F;
    static constexpr float less = 2.5e38F;
};

} // namespace

TEMPLATE_TEST_CASE("categorical_cross_entropy is exact at sums near the largest finite value",
                   "[loss]", float, double) {
    const ffn::categorical_cross_entropy loss;
    const ffn::softmax s;
    constexpr TestType big = extreme<TestType>::big;
    constexpr TestType less = extreme<TestType>::less;
    matrix<TestType> z(3, 1);
    matrix<TestType> y(3, 1);

    SECTION("the right class: loss 0, although ln p of the others is -inf") {
        // ln p = (z - big) - ln(1 + 0 + 0) = (0, -inf, -inf): only the target's 0 is counted.
        z << big, -big, -big;
        y << 1, 0, 0;
        CHECK(loss.value_from_sum(s, z, y) == TestType(0));
    }
    SECTION("a class below the largest by a representable amount") {
        // ln p_1 = (less - big) - ln(1 + e^(less - big) + 0) = less - big: the loss is big - less
        // (1e307 in double, 5e37 in float), exactly.
        z << big, less, -big;
        y << 0, 1, 0;
        CHECK(loss.value_from_sum(s, z, y) == big - less);
        y << TestType(0.5), TestType(0.5), 0;
        CHECK(loss.value_from_sum(s, z, y) == (big - less) / 2);
    }
    SECTION("a true loss beyond the largest finite value is +inf, not NaN") {
        // ln p_1 = -big - big, which is -inf: the loss 2 big overflows.
        z << big, -big, 0;
        y << 0, 1, 0;
        const TestType value = loss.value_from_sum(s, z, y);
        CHECK(std::isinf(value));
        CHECK(value > 0);
    }
    matrix<TestType> p;
    s.forward(z, p);
    const matrix<TestType> signal = loss.error_signal(s, z, p, y);
    CHECK(signal.allFinite());
}

TEMPLATE_TEST_CASE("categorical_cross_entropy takes the batch mean column by column where the "
                   "total overflows",
                   "[loss]", float, double) {
    const ffn::categorical_cross_entropy loss;
    const ffn::softmax s;
    constexpr TestType big = extreme<TestType>::big;
    // Each column costs 0 - (-big) = big exactly; their sum overflows, their mean is big.
    matrix<TestType> z(2, 2);
    z << big, 0, //
        0, big;
    matrix<TestType> y(2, 2);
    y << 0, 1, //
        1, 0;
    CHECK(loss.value_from_sum(s, z, y) == big);
}

TEST_CASE("a categorical_cross_entropy network gives finite losses and gradients at sums of "
          "+-1.7e308",
          "[loss]") {
    ffn::network<ffn::categorical_cross_entropy, ffn::dense<1, 3, ffn::softmax>> net;
    net.layer<0>().weights() << 1.7e308, 1.6e308, -1.7e308;
    const Eigen::Matrix<double, 1, 1> input(1.0);
    ffn::workspace<decltype(net)> ws;
    ffn::gradients<decltype(net)> grads;
    net.forward(input, ws);
    // Eigen's vectorised exponential stops at about e^-709 (5.6e-309) instead of reaching 0, so
    // the outputs are (1, 0, 0) up to that.
    const auto near = [](const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
        return (a - b).cwiseAbs().maxCoeff() < 1e-300;
    };
    REQUIRE(near(ws.output(), Eigen::Vector3d(1, 0, 0)));

    const Eigen::Vector3d right(1, 0, 0);
    CHECK(net.loss(ws, right) == 0.0);
    net.backward(ws, right, grads);
    CHECK(near(ws.layer<0>().error_signal, Eigen::Vector3d::Zero()));

    const Eigen::Vector3d second(0, 1, 0);
    CHECK(net.loss(ws, second) == 1.7e308 - 1.6e308);
    net.backward(ws, second, grads);
    CHECK(near(ws.layer<0>().error_signal, Eigen::Vector3d(1, -1, 0)));
    CHECK(near(grads.layer<0>().weights, Eigen::Vector3d(1, -1, 0)));
    CHECK(near(grads.layer<0>().bias, Eigen::Vector3d(1, -1, 0)));
}
