// SPDX-License-Identifier: MIT
// Every activation stays finite, value and derivative, for sums up to magnitude 1000 in float
// and double (past the points where e^x overflows: about 88.7 in float, 709.8 in double), and
// reaches the right limits there.

#include <string_view>

#include <catch2/catch.hpp>

#include <ffn/activations/elu.hpp>
#include <ffn/activations/gelu.hpp>
#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/silu.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/activations/softplus.hpp>
#include <ffn/activations/tanh.hpp>

#include "activation_support.hpp"

using namespace activation_test;

namespace {

template <class Scalar>
column<Scalar> extreme_sums() {
    return make_column<Scalar>(
        {-1000, -710, -100, -89, -88, -20, -1e-3, 0, 1e-3, 20, 88, 89, 100, 710, 1000});
}

template <class Scalar, class A>
void check_finite(const A& a) {
    INFO(A::name);
    const column<Scalar> sum = extreme_sums<Scalar>();
    const column<Scalar> out = value_of(a, sum);
    const column<Scalar> d = derivative_of(a, sum);
    for (Eigen::Index i = 0; i < sum.size(); ++i) {
        INFO("sum " << sum(i) << ": out " << out(i) << ", derivative " << d(i));
        CHECK(std::isfinite(out(i)));
        CHECK(std::isfinite(d(i)));
    }
}

/// out(-1000), out(1000), derivative(-1000), derivative(1000).
template <class Scalar, class A>
void check_limits(const A& a, double out_low, double out_high, double d_low, double d_high) {
    INFO(A::name);
    const column<Scalar> sum = make_column<Scalar>({-1000, 1000});
    const column<Scalar> out = value_of(a, sum);
    const column<Scalar> d = derivative_of(a, sum);
    CHECK(static_cast<double>(out(0)) == Approx(out_low).margin(1e-30));
    CHECK(static_cast<double>(out(1)) == Approx(out_high).margin(1e-30));
    CHECK(static_cast<double>(d(0)) == Approx(d_low).margin(1e-30));
    CHECK(static_cast<double>(d(1)) == Approx(d_high).margin(1e-30));
}

} // namespace

TEMPLATE_TEST_CASE("element-wise activations are finite for sums of magnitude 1000", "[activation]",
                   float, double) {
    check_finite<TestType>(ffn::identity{});
    check_finite<TestType>(ffn::sigmoid{});
    check_finite<TestType>(ffn::tanh{});
    check_finite<TestType>(ffn::relu{});
    check_finite<TestType>(ffn::leaky_relu{});
    check_finite<TestType>(ffn::elu{});
    check_finite<TestType>(ffn::softplus{});
    check_finite<TestType>(ffn::silu{});
    check_finite<TestType>(ffn::gelu{});
}

TEMPLATE_TEST_CASE("element-wise activations reach their limits at +-1000", "[activation]", float,
                   double) {
    check_limits<TestType>(ffn::identity{}, -1000, 1000, 1, 1);
    check_limits<TestType>(ffn::sigmoid{}, 0, 1, 0, 0);
    check_limits<TestType>(ffn::tanh{}, -1, 1, 0, 0);
    check_limits<TestType>(ffn::relu{}, 0, 1000, 0, 1);
    check_limits<TestType>(ffn::leaky_relu{}, -10, 1000, 0.01, 1);
    check_limits<TestType>(ffn::elu{}, -1, 1000, 0, 1);
    check_limits<TestType>(ffn::softplus{}, 0, 1000, 0, 1);
    check_limits<TestType>(ffn::silu{}, 0, 1000, 0, 1);
    check_limits<TestType>(ffn::gelu{}, 0, 1000, 0, 1);
}

TEMPLATE_TEST_CASE("softplus keeps its digits for very negative sums", "[activation]", float,
                   double) {
    // ln(1 + e^-30) = e^-30 (1 - e^-30 / 2 + ...) = 9.357623e-14, which a naive
    // ln(1 + e^x) in float rounds to 0.
    const column<TestType> out = value_of(ffn::softplus{}, make_column<TestType>({-30}));
    CHECK(static_cast<double>(out(0)) == Approx(9.357622968840175e-14).epsilon(1e-5));
}

TEMPLATE_TEST_CASE("softmax is finite and exact for sums of magnitude 1000", "[activation]", float,
                   double) {
    using matrix = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
    matrix sum(3, 4);
    sum << 1000, -1000, 1000, 0, //
        -1000, -1000, 1000, 0,   //
        0, 1000, -1000, 0;
    matrix out;
    const ffn::softmax a;
    a.forward(sum, out);
    matrix expected(3, 4);
    expected << 1, 0, 0.5, TestType(1) / 3, //
        0, 0, 0.5, TestType(1) / 3,         //
        0, 1, 0, TestType(1) / 3;
    REQUIRE(out.allFinite());
    CHECK(out.isApprox(expected, static_cast<TestType>(1e-6)));

    matrix signal(3, 4);
    signal << 1000, -3, 2, 1, //
        -1000, 5, 1000, 2,    //
        7, 1000, -1000, 3;
    a.backward(sum, out, signal);
    CHECK(signal.allFinite());
    // A saturated column (one output exactly 1) passes no gradient back.
    CHECK(signal.col(0).isZero());
    CHECK(signal.col(1).isZero());
}
