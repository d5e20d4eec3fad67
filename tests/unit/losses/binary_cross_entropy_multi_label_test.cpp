// SPDX-License-Identifier: MIT
// binary_cross_entropy with several sigmoid outputs (multi-label): the mean over outputs and
// samples of BCEWithLogitsLoss's elements, worked out by hand, inside networks of fixed and
// dynamic sizes, and exact at sums as large as the scalar type holds.

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>
#include <ffn/network.hpp>

#include "loss_support.hpp"

using namespace loss_test;

namespace {

/// Two outputs, two samples: logits chosen so that each element is a logarithm of a fraction.
/// Column 0 (both targets 1): z = ln 3 and z = -ln 3. Column 1 (both targets 0): z = 0, ln 3.
template <class Scalar>
matrix<Scalar> two_by_two_logits() {
    const auto ln3 = static_cast<Scalar>(std::log(3.0));
    matrix<Scalar> z(2, 2);
    z << ln3, 0, //
        -ln3, ln3;
    return z;
}

template <class Scalar>
matrix<Scalar> two_by_two_targets() {
    matrix<Scalar> y(2, 2);
    y << 1, 0, //
        1, 0;
    return y;
}

// Each element is max(z, 0) - z y + ln(1 + e^-|z|):
//   z = ln 3,  y = 1: ln 3 - ln 3 + ln(1 + 1/3)  = ln(4/3)
//   z = -ln 3, y = 1: 0 + ln 3 + ln(1 + 1/3)     = ln 4
//   z = 0,     y = 0: 0 - 0 + ln 2               = ln 2
//   z = ln 3,  y = 0: ln 3 - 0 + ln(4/3)         = ln 4
// Sum ln(4/3 * 4 * 2 * 4) = ln(128/3); the mean over the 4 elements is ln(128/3) / 4
// = 0.93835449381287680 (summing over the outputs instead would give twice that).
constexpr double two_by_two_loss = 0.9383544938128768;

// The error signal (sigma(z) - y) / (n B) with n B = 4, sigma(ln 3) = 3/4, sigma(-ln 3) = 1/4,
// sigma(0) = 1/2: column 0 (-1/4, -3/4) / 4, column 1 (1/2, 3/4) / 4.
template <class Scalar>
matrix<Scalar> two_by_two_error_signal() {
    matrix<Scalar> e(2, 2);
    e << Scalar(-0.0625), Scalar(0.125), //
        Scalar(-0.1875), Scalar(0.1875);
    return e;
}

/// The largest sum each test uses: near the largest finite value of the scalar type.
template <class Scalar>
constexpr Scalar huge = Scalar(1.7e308);
template <>
constexpr float huge<float> = 3e38F;

} // namespace

TEMPLATE_TEST_CASE("binary_cross_entropy with two outputs: the mean over outputs and samples, "
                   "worked by hand",
                   "[loss]", float, double) {
    const ffn::binary_cross_entropy loss;
    const ffn::sigmoid s;
    const matrix<TestType> z = two_by_two_logits<TestType>();
    const matrix<TestType> y = two_by_two_targets<TestType>();
    CHECK(static_cast<double>(loss.value_from_sum(s, z, y)) ==
          Approx(two_by_two_loss).epsilon(tolerance<TestType> * 10));
    const matrix<TestType> p = s.value(z.array()).matrix();
    const matrix<TestType> signal = loss.error_signal(s, z, p, y);
    CHECK(signal.isApprox(two_by_two_error_signal<TestType>(),
                          static_cast<TestType>(tolerance<TestType> * 10)));
    // The unfused form on the sigmoid's outputs gives the same mean (no clamp is active).
    CHECK(static_cast<double>(loss.value(p, y)) ==
          Approx(two_by_two_loss).epsilon(tolerance<TestType> * 10));
}

TEMPLATE_TEST_CASE("a network with two sigmoid outputs trains with binary_cross_entropy", "[loss]",
                   float, double) {
    // Identity weights and zero biases: the sums are the inputs, so the inputs are the logits.
    using fixed_net =
        ffn::network<ffn::binary_cross_entropy, ffn::dense<2, 2, ffn::sigmoid, TestType>>;
    using dynamic_net =
        ffn::network<ffn::binary_cross_entropy,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, TestType>>;
    const matrix<TestType> x = two_by_two_logits<TestType>();
    const matrix<TestType> y = two_by_two_targets<TestType>();
    const auto check = [&](auto net) {
        using net_type = decltype(net);
        net.template layer<0>().weights().setIdentity();
        net.template layer<0>().bias().setZero();
        ffn::workspace<net_type, Eigen::Dynamic> ws;
        ffn::gradients<net_type> grads(net);
        net.forward(x, ws);
        CHECK(static_cast<double>(net.loss(ws, y)) ==
              Approx(two_by_two_loss).epsilon(tolerance<TestType> * 10));
        net.backward(ws, y, grads);
        CHECK(ws.template layer<0>().error_signal.isApprox(
            two_by_two_error_signal<TestType>(), static_cast<TestType>(tolerance<TestType> * 10)));
        // dE/dW = error signal times the inputs, summed over the samples:
        // W(0, 0): -1/16 ln 3 + 1/8 * 0 = -0.06866.
        CHECK(static_cast<double>(grads.template layer<0>().weights(0, 0)) ==
              Approx(-0.0625 * std::log(3.0)).epsilon(1e-5));
    };
    check(fixed_net{});
    check(dynamic_net({2, 2}));
}

TEMPLATE_TEST_CASE("binary_cross_entropy stays exact at sums near the largest finite value",
                   "[loss]", float, double) {
    const ffn::binary_cross_entropy loss;
    const ffn::sigmoid s;
    const TestType big = huge<TestType>;
    matrix<TestType> z(2, 1);
    z << big, -big;
    matrix<TestType> y(2, 1);

    SECTION("right answers cost exactly 0") {
        y << 1, 0;
        CHECK(loss.value_from_sum(s, z, y) == TestType(0));
    }
    SECTION("wrong answers cost |z| each; their sum overflows, their mean does not") {
        y << 0, 1;
        // Each element is exactly big (max(big, 0) - 0 and 0 - (-big)); the mean is big.
        CHECK(loss.value_from_sum(s, z, y) == big);
    }
    SECTION("soft targets") {
        y << TestType(0.5), TestType(0.5);
        // big - big / 2 and 0 + big / 2: the mean is big / 2.
        CHECK(loss.value_from_sum(s, z, y) == big / 2);
    }
    const matrix<TestType> p = s.value(z.array()).matrix();
    REQUIRE(p(0) == TestType(1));
    REQUIRE(p(1) == TestType(0));
    const matrix<TestType> signal = loss.error_signal(s, z, p, y);
    CHECK(signal.allFinite());
    CHECK(signal.isApprox(((p - y) / 2).eval()));
}

TEST_CASE("a binary_cross_entropy network keeps its loss and gradients finite at sums of "
          "+-1.7e308",
          "[loss]") {
    ffn::network<ffn::binary_cross_entropy, ffn::dense<1, 2, ffn::sigmoid>> net;
    net.layer<0>().weights() << 1.7e308, -1.7e308;
    const Eigen::Matrix<double, 1, 1> input(1.0);
    const Eigen::Vector2d target(0, 1);
    ffn::workspace<decltype(net)> ws;
    ffn::gradients<decltype(net)> grads;
    net.forward(input, ws);
    CHECK(net.loss(ws, target) == 1.7e308);
    net.backward(ws, target, grads);
    CHECK(ws.layer<0>().error_signal == Eigen::Vector2d(0.5, -0.5));
    CHECK(grads.layer<0>().weights == Eigen::Vector2d(0.5, -0.5));
    CHECK(std::isfinite(net.loss(ws, target)));
}
