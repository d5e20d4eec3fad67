// SPDX-License-Identifier: MIT
// mean_squared_error, huber and half_squared_error: values and gradients worked out by hand,
// and how each reduces over the outputs and over the batch.

#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/concepts/loss.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/losses/huber.hpp>
#include <ffn/losses/mean_squared_error.hpp>

#include "loss_support.hpp"

using namespace loss_test;

static_assert(ffn::loss<ffn::mean_squared_error>);
static_assert(ffn::loss<ffn::huber>);

namespace {

// Three outputs, two samples: the errors out - target are [[-2, 0], [-3, -2], [-1, 2]], whose
// squares add up to 4 + 0 + 9 + 4 + 1 + 4 = 22.
template <class Scalar>
matrix<Scalar> output() {
    matrix<Scalar> m(3, 2);
    m << 1, Scalar(0.5), 2, -1, 0, 4;
    return m;
}
template <class Scalar>
matrix<Scalar> target() {
    matrix<Scalar> m(3, 2);
    m << 3, Scalar(0.5), 5, 1, 1, 2;
    return m;
}

} // namespace

TEMPLATE_TEST_CASE("mean_squared_error: the mean over outputs and batch, like MSELoss()", "[loss]",
                   float, double) {
    const ffn::mean_squared_error loss;
    // 22 / (3 outputs * 2 samples).
    CHECK(static_cast<double>(loss.value(output<TestType>(), target<TestType>())) ==
          Approx(22.0 / 6).epsilon(tolerance<TestType>));
    // 2 (out - target) / 6.
    matrix<TestType> expected(3, 2);
    expected << -2, 0, -3, -2, -1, 2;
    expected /= 3;
    CHECK(gradient_of(loss, output<TestType>(), target<TestType>())
              .isApprox(expected, static_cast<TestType>(tolerance<TestType>)));
}

TEMPLATE_TEST_CASE("half_squared_error sums over outputs: n/2 times the mean squared error",
                   "[loss]", float, double) {
    // The lecture's loss: 22 / 2 halved, divided by 2 samples = 5.5 = (3 / 2) * 22 / 6.
    CHECK(static_cast<double>(ffn::half_squared_error{}.value(
              output<TestType>(), target<TestType>())) == Approx(5.5).epsilon(tolerance<TestType>));
}

TEMPLATE_TEST_CASE("huber: squared up to delta, linear beyond, mean over every element", "[loss]",
                   float, double) {
    matrix<TestType> out(2, 2);
    out << -2, TestType(0.5), TestType(0.25), 3;
    const matrix<TestType> zero = matrix<TestType>::Zero(2, 2);

    const ffn::huber loss; // delta = 1, PyTorch's default
    CHECK(loss.delta() == 1.0);
    // |d| = 2: 1 (2 - 0.5) = 1.5; 0.5: 0.125; 0.25: 0.03125; 3: 2.5. Sum 4.15625, over 4.
    CHECK(static_cast<double>(loss.value(out, zero)) ==
          Approx(1.0390625).epsilon(tolerance<TestType>));
    matrix<TestType> expected(2, 2);
    expected << -1, TestType(0.5), TestType(0.25), 1;
    expected /= 4;
    CHECK(gradient_of(loss, out, zero).isApprox(expected, static_cast<TestType>(1e-6)));

    const ffn::huber wide(2.0);
    // |d| = 2 is on the boundary (0.5 * 4 = 2 either way); 3: 2 (3 - 1) = 4. Sum 6.15625.
    CHECK(static_cast<double>(wide.value(out, zero)) ==
          Approx(1.5390625).epsilon(tolerance<TestType>));
    expected << -2, TestType(0.5), TestType(0.25), 2;
    expected /= 4;
    CHECK(gradient_of(wide, out, zero).isApprox(expected, static_cast<TestType>(1e-6)));
}

TEST_CASE("huber refuses a delta that is not positive and finite", "[loss]") {
    CHECK_THROWS_WITH(ffn::huber(0.0), Catch::Contains("ffn::huber: delta must be positive"));
    CHECK_THROWS_AS(ffn::huber(-1.0), std::invalid_argument);
    CHECK_THROWS_AS(ffn::huber(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
    CHECK(ffn::huber(0.5) == ffn::huber(0.5));
    CHECK(ffn::huber(0.5) != ffn::huber());
}

namespace {

/// The value of a batch is the mean of the per-sample values, and the gradient of a batch is
/// each sample's gradient divided by the batch size.
template <class Loss>
void check_batch_reduction(const Loss& loss, const matrix<double>& out, const matrix<double>& tgt) {
    INFO(Loss::name);
    const auto batch = static_cast<double>(out.cols());
    double mean = 0;
    for (Eigen::Index c = 0; c < out.cols(); ++c) {
        mean += loss.value(out.col(c), tgt.col(c)) / batch;
    }
    CHECK(loss.value(out, tgt) == Approx(mean).epsilon(1e-14));
    const matrix<double> g = gradient_of(loss, out, tgt);
    for (Eigen::Index c = 0; c < out.cols(); ++c) {
        const matrix<double> single = gradient_of(loss, out.col(c), tgt.col(c));
        CHECK(g.col(c).isApprox(single / batch, 1e-14));
    }
}

} // namespace

TEST_CASE("regression losses take the mean over the batch", "[loss]") {
    matrix<double> out(3, 4);
    out << 0.1, -0.7, 2.5, 0.3, //
        1.2, 0.4, -0.2, -3.0,   //
        0.0, 0.9, 1.1, 0.6;
    matrix<double> tgt(3, 4);
    tgt << 0.5, 0.5, -0.5, 0.2, //
        -0.3, 0.4, 0.8, 0.1,    //
        1.0, -1.0, 1.2, 0.6;
    check_batch_reduction(ffn::half_squared_error{}, out, tgt);
    check_batch_reduction(ffn::mean_squared_error{}, out, tgt);
    check_batch_reduction(ffn::huber{}, out, tgt);
    check_batch_reduction(ffn::huber(0.3), out, tgt);
}
