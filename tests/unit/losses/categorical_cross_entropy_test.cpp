// SPDX-License-Identifier: MIT
// categorical_cross_entropy: value and gradient worked out by hand, one-hot and probability
// targets, the batch mean, and the fused (log-sum-exp) form against the unfused one.

#include <cmath>

#include <catch2/catch.hpp>

#include <ffn/activations/softmax.hpp>
#include <ffn/concepts/loss.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>

#include "loss_support.hpp"

using namespace loss_test;

static_assert(ffn::loss<ffn::categorical_cross_entropy>);
static_assert(ffn::fused_with<ffn::categorical_cross_entropy, ffn::softmax>);

TEMPLATE_TEST_CASE("categorical_cross_entropy: -sum_k y_k ln p_k, mean over the batch", "[loss]",
                   float, double) {
    const ffn::categorical_cross_entropy loss;
    matrix<TestType> p(3, 2);
    p << TestType(0.2), TestType(0.5), //
        TestType(0.7), TestType(0.25), //
        TestType(0.1), TestType(0.25);
    matrix<TestType> y(3, 2);
    y << 0, TestType(0.5), //
        1, TestType(0.5),  //
        0, 0;
    // Column 0 (one-hot): -ln 0.7 = 0.35667. Column 1 (probabilities):
    // -(0.5 ln 0.5 + 0.5 ln 0.25) = 1.03972. Mean 0.69820.
    CHECK(static_cast<double>(loss.value(p, y)) ==
          Approx(0.69819785738932516).epsilon(tolerance<TestType>));
    // -y / p / 2.
    matrix<TestType> expected(3, 2);
    expected << 0, TestType(-0.5), //
        TestType(-1 / 1.4), -1,    //
        0, 0;
    CHECK(gradient_of(loss, p, y).isApprox(expected, static_cast<TestType>(1e-6)));
}

TEMPLATE_TEST_CASE("categorical_cross_entropy ignores classes with target 0, even at p = 0",
                   "[loss]", float, double) {
    const ffn::categorical_cross_entropy loss;
    matrix<TestType> p(3, 1);
    p << 0, 1, 0;
    matrix<TestType> y(3, 1);
    y << 0, 1, 0;
    CHECK(loss.value(p, y) == TestType(0));
    const matrix<TestType> g = gradient_of(loss, p, y);
    CHECK(g.allFinite());
    CHECK(static_cast<double>(g(1)) == Approx(-1.0));
    // A wrong certain answer is clamped to a cost of 100, not infinity.
    y << 1, 0, 0;
    CHECK(static_cast<double>(loss.value(p, y)) == Approx(100.0));
    CHECK(gradient_of(loss, p, y).allFinite());
}

TEMPLATE_TEST_CASE("categorical_cross_entropy from logits: log-sum-exp minus the target's "
                   "logit",
                   "[loss]", float, double) {
    const ffn::categorical_cross_entropy loss;
    const ffn::softmax s;
    matrix<TestType> z(3, 2);
    z << 1, 1, 2, 2, 3, 3;
    matrix<TestType> y(3, 2);
    y << 0, TestType(0.2), //
        0, TestType(0.3),  //
        1, TestType(0.5);
    // lse(1, 2, 3) = ln(e + e^2 + e^3) = 3.40761: column 0 costs 3.40761 - 3 = 0.40761,
    // column 1 3.40761 - (0.2 + 0.6 + 1.5) = 1.10761.
    CHECK(static_cast<double>(loss.value_from_sum(s, z, y)) ==
          Approx((0.40760596444438013 + 1.1076059644443803) / 2).epsilon(tolerance<TestType>));
}

TEMPLATE_TEST_CASE("categorical_cross_entropy fused with softmax equals the unfused form", "[loss]",
                   float, double) {
    const ffn::categorical_cross_entropy loss;
    const ffn::softmax s;
    matrix<TestType> z(4, 3);
    z << TestType(0.5), -1, 2, //
        -1, TestType(0.3), 0,  //
        TestType(0.25), 1, -2, //
        2, TestType(-0.7), 1;
    matrix<TestType> y(4, 3);
    y << 0, TestType(0.1), 0, //
        0, TestType(0.2), 0,  //
        1, TestType(0.3), 0,  //
        0, TestType(0.4), 1;
    matrix<TestType> p;
    s.forward(z, p);

    CHECK(static_cast<double>(loss.value_from_sum(s, z, y)) ==
          Approx(static_cast<double>(loss.value(p, y))).epsilon(tolerance<TestType> * 10));

    // Unfused: dE/dp through the softmax's transposed Jacobian.
    matrix<TestType> unfused = gradient_of(loss, p, y);
    s.backward(z, p, unfused);
    const matrix<TestType> fused = loss.error_signal(s, z, p, y);
    CHECK(fused.isApprox(unfused, static_cast<TestType>(tolerance<TestType> * 10)));
    // Which is (p - y) / batch.
    CHECK(fused.isApprox((p - y) / 3, static_cast<TestType>(tolerance<TestType>)));
}

TEMPLATE_TEST_CASE("categorical_cross_entropy from logits is exact at +-1000", "[loss]", float,
                   double) {
    const ffn::categorical_cross_entropy loss;
    const ffn::softmax s;
    matrix<TestType> z(3, 2);
    z << 1000, 1000, //
        -1000, 1000, //
        0, -1000;
    matrix<TestType> y(3, 2);
    y << 0, 1, //
        1, 0,  //
        0, 0;
    // Column 0: lse = 1000, class 1 costs 1000 - (-1000) = 2000 (no clamp at 100).
    // Column 1: lse = 1000 + ln 2, class 0 costs ln 2.
    CHECK(static_cast<double>(loss.value_from_sum(s, z, y)) ==
          Approx((2000 + 0.69314718055994529) / 2).epsilon(tolerance<TestType>));
    matrix<TestType> p;
    s.forward(z, p);
    const matrix<TestType> signal = loss.error_signal(s, z, p, y);
    REQUIRE(signal.allFinite());
    matrix<TestType> expected(3, 2);
    expected << TestType(0.5), TestType(-0.25), //
        TestType(-0.5), TestType(0.25),         //
        0, 0;
    CHECK(signal.isApprox(expected, static_cast<TestType>(1e-6)));
}

TEST_CASE("categorical_cross_entropy takes the mean over the batch", "[loss]") {
    const ffn::categorical_cross_entropy loss;
    matrix<double> p(3, 3);
    p << 0.2, 0.6, 0.3, //
        0.5, 0.3, 0.3,  //
        0.3, 0.1, 0.4;
    matrix<double> y(3, 3);
    y << 1, 0, 0.2, //
        0, 0, 0.3,  //
        0, 1, 0.5;
    double mean = 0;
    for (Eigen::Index c = 0; c < 3; ++c) {
        mean += loss.value(p.col(c), y.col(c)) / 3;
        const matrix<double> single = gradient_of(loss, p.col(c), y.col(c));
        CHECK(gradient_of(loss, p, y).col(c).isApprox(single / 3, 1e-14));
    }
    CHECK(loss.value(p, y) == Approx(mean).epsilon(1e-14));
}

TEMPLATE_TEST_CASE("categorical_cross_entropy from logits: every column of a batch, with few "
                   "and with many classes",
                   "[loss]", float, double) {
    // The fused loss works on blocks of columns (12 columns of 10 classes, so 37 columns are
    // 12 + 12 + 12 + 1), and on one column at a time beyond 128 classes; each is checked
    // against the log-softmax written out column by column in double.
    const ffn::categorical_cross_entropy loss;
    const ffn::softmax s;
    for (const Eigen::Index classes : {Eigen::Index{10}, Eigen::Index{200}}) {
        const Eigen::Index columns = 37;
        matrix<TestType> z(classes, columns);
        matrix<TestType> y = matrix<TestType>::Zero(classes, columns);
        for (Eigen::Index j = 0; j < columns; ++j) {
            for (Eigen::Index k = 0; k < classes; ++k) {
                z(k, j) = static_cast<TestType>(((k * 7 + j * 3) % 11) - 5) / 2;
            }
            // One-hot in even columns, two classes of 0.25 and 0.75 in odd ones.
            if (j % 2 == 0) {
                y((j * 5) % classes, j) = 1;
            } else {
                y(j % classes, j) = TestType(0.25);
                y((j + 3) % classes, j) = TestType(0.75);
            }
        }
        double expected = 0;
        for (Eigen::Index j = 0; j < columns; ++j) {
            const Eigen::VectorXd zj = z.col(j).template cast<double>();
            const double m = zj.maxCoeff();
            const double log_total = std::log((zj.array() - m).exp().sum());
            for (Eigen::Index k = 0; k < classes; ++k) {
                expected += static_cast<double>(y(k, j)) * (log_total - (zj(k) - m));
            }
        }
        expected /= static_cast<double>(columns);
        CAPTURE(classes);
        CHECK(static_cast<double>(loss.value_from_sum(s, z, y)) ==
              Approx(expected).epsilon(tolerance<TestType> * 10));
    }
}
