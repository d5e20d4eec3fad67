// SPDX-License-Identifier: MIT
// The softmax: values worked out by hand, columns independent of each other, and the
// in-place backward pass against the explicit Jacobian out_k(delta_kj - out_j).

#include <catch2/catch.hpp>

#include <ffn/activations/softmax.hpp>
#include <ffn/concepts/activation.hpp>

#include "activation_support.hpp"

using namespace activation_test;

static_assert(ffn::vector_activation<ffn::softmax>);
static_assert(!ffn::elementwise_activation<ffn::softmax>);
static_assert(ffn::activation<ffn::softmax>);

namespace {
template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
} // namespace

TEMPLATE_TEST_CASE("softmax of one column: e^sum_k / sum_j e^sum_j", "[activation]", float,
                   double) {
    Eigen::Matrix<TestType, 3, 1> sum(1, 2, 3);
    Eigen::Matrix<TestType, 3, 1> out;
    ffn::softmax{}.forward(sum, out);
    // e + e^2 + e^3 = 30.19287; e / 30.19287 = 0.090031, e^2 / ... = 0.24473, e^3 / ... = 0.66524.
    check_column(column<TestType>(out.array()),
                 {0.090030573170380462, 0.24472847105479767, 0.6652409557748219});
}

TEMPLATE_TEST_CASE("softmax treats each column of a batch on its own", "[activation]", float,
                   double) {
    matrix<TestType> sum(4, 3);
    sum.col(0) << TestType(0.5), -1, TestType(0.25), 2;
    sum.col(1) = sum.col(0).array() + 100; // a shift does not change a column's softmax
    sum.col(2) << 1, 1, 1, 1;
    matrix<TestType> out;
    ffn::softmax{}.forward(sum, out);
    REQUIRE(out.rows() == 4);
    REQUIRE(out.cols() == 3);
    const std::initializer_list<double> expected = {0.15423482528416221, 0.034414441266120206,
                                                    0.12011820270818682, 0.69123253074153079};
    check_column(column<TestType>(out.col(0).array()), expected);
    check_column(column<TestType>(out.col(1).array()), expected);
    check_column(column<TestType>(out.col(2).array()), {0.25, 0.25, 0.25, 0.25});
}

TEMPLATE_TEST_CASE("softmax backward is the transposed Jacobian times the signal, in place",
                   "[activation]", float, double) {
    Eigen::Matrix<TestType, 3, 1> sum(1, 2, 3);
    Eigen::Matrix<TestType, 3, 1> out;
    const ffn::softmax a;
    a.forward(sum, out);
    Eigen::Matrix<TestType, 3, 1> signal(TestType(0.3), TestType(-0.2), TestType(0.1));

    Eigen::Matrix<TestType, 3, 3> jacobian; // d out_k / d sum_j
    for (int k = 0; k < 3; ++k) {
        for (int j = 0; j < 3; ++j) {
            jacobian(k, j) = out(k) * ((k == j ? TestType(1) : TestType(0)) - out(j));
        }
    }
    const Eigen::Matrix<TestType, 3, 1> expected = jacobian.transpose() * signal;

    a.backward(sum, out, signal);
    // By hand: p = (0.090031, 0.24473, 0.66524), p . g = 0.027003 - 0.048946 + 0.066524
    // = 0.044581, so p_k (g_k - 0.044581) = (0.022995, -0.059858, 0.036863).
    check_column(column<TestType>(signal.array()),
                 {0.022994927169050935, -0.059857542857028483, 0.036862615687977551});
    CHECK(signal.isApprox(expected, static_cast<TestType>(1e-5)));
}

TEST_CASE("softmax backward over a batch matches each column's Jacobian", "[activation]") {
    matrix<double> sum(3, 2);
    sum << 0.2, -1.5, //
        1.1, 0.0,     //
        -0.4, 2.5;
    matrix<double> out;
    const ffn::softmax a;
    a.forward(sum, out);
    matrix<double> signal(3, 2);
    signal << 1, -2, //
        0.5, 0.25,   //
        -1, 3;
    matrix<double> expected(3, 2);
    for (Eigen::Index c = 0; c < 2; ++c) {
        const Eigen::VectorXd p = out.col(c);
        const Eigen::MatrixXd jacobian = Eigen::MatrixXd(p.asDiagonal()) - p * p.transpose();
        expected.col(c) = jacobian.transpose() * signal.col(c);
    }
    a.backward(sum, out, signal);
    CHECK(signal.isApprox(expected, 1e-14));
}
