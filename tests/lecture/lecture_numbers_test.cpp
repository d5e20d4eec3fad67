// SPDX-License-Identifier: MIT
// Every number the lecture prints, each its own test case, computed by ffn in double (checked
// to the lecture's truncation) and in float (within 2e-5).

#include <cmath>

#include "lecture_network.hpp"

// Defines `id(pass)` from the expression, and two test cases: double against the truncation
// rule, float within 2e-5 of the printed number.
#define LECTURE_NUMBER(id, printed, ...)                                                           \
    template <class Scalar>                                                                        \
    double id(const lecture::pass<Scalar>& p) {                                                    \
        return static_cast<double>(__VA_ARGS__);                                                   \
    }                                                                                              \
    TEST_CASE("lecture: " #id " = " #printed, "[lecture]") {                                       \
        const lecture::pass<double> p;                                                             \
        CHECK_TRUNCATED(id(p), printed);                                                           \
    }                                                                                              \
    TEST_CASE("lecture in float: " #id " = " #printed, "[lecture][float]") {                       \
        const lecture::pass<float> p;                                                              \
        INFO("computed in float " << id(p) << ", lecture prints " << (printed));                   \
        CHECK(std::abs(id(p) - (printed)) < 2e-5);                                                 \
    }

// The forward pass.
LECTURE_NUMBER(sum_h1, 0.41, p.hidden().sum(0))
LECTURE_NUMBER(output_h1, 0.60108, p.hidden().output(0))
LECTURE_NUMBER(sum_h2, 0.47, p.hidden().sum(1))
LECTURE_NUMBER(output_h2, 0.61538, p.hidden().output(1))
LECTURE_NUMBER(sum_o1, 1.01977, p.out().sum(0))
LECTURE_NUMBER(output_o1, 0.73492, p.out().output(0))
LECTURE_NUMBER(sum_o2, 1.26306, p.out().sum(1))
LECTURE_NUMBER(output_o2, 0.77955, p.out().output(1))

// The errors.
LECTURE_NUMBER(E1, 0.23456,
               p.net.loss_function().errors(p.ws.output(), lecture::target<Scalar>())(0))
LECTURE_NUMBER(E2, 0.01452,
               p.net.loss_function().errors(p.ws.output(), lecture::target<Scalar>())(1))
LECTURE_NUMBER(E_total, 0.24908, p.e_total)

// The output layer: W2 = [[w5, w6], [w7, w8]].
LECTURE_NUMBER(dE_dout_o1, 0.68492, p.output_gradient()(0))
LECTURE_NUMBER(dout_o1_dsum_o1, 0.19480, p.template derivative<1>()(0))
LECTURE_NUMBER(dE_dw5, 0.08020, p.grads.template layer<1>().weights(0, 0))
LECTURE_NUMBER(new_w5, 0.45187, p.net.template layer<1>().weights()(0, 0))
LECTURE_NUMBER(dE_dw6, 0.08211, p.grads.template layer<1>().weights(0, 1))
LECTURE_NUMBER(new_w6, 0.55073, p.net.template layer<1>().weights()(0, 1))
LECTURE_NUMBER(dE_dout_o2, -0.17044, p.output_gradient()(1))
LECTURE_NUMBER(dout_o2_dsum_o2, 0.17184, p.template derivative<1>()(1))
LECTURE_NUMBER(dE_dw7, -0.01760, p.grads.template layer<1>().weights(1, 0))
LECTURE_NUMBER(new_w7, 0.71056, p.net.template layer<1>().weights()(1, 0))
LECTURE_NUMBER(dE_dw8, -0.01802, p.grads.template layer<1>().weights(1, 1))
LECTURE_NUMBER(new_w8, 0.81081, p.net.template layer<1>().weights()(1, 1))

// The hidden layer: W1 = [[w1, w3], [w2, w4]]. dE1/dw1 and dE2/dw1 follow the lecture's two
// paths from w1: through o1 (error signal of o1, times w5) and through o2 (times w7), then
// through h1's derivative and the input i1.
LECTURE_NUMBER(dout_h1_dsum_h1, 0.23978, p.template derivative<0>()(0))
LECTURE_NUMBER(dE1_dw1, 0.00159,
               p.out().error_signal(0) * p.before.template layer<1>().weights()(0, 0) *
                   p.template derivative<0>()(0) * p.ws.input()(0))
LECTURE_NUMBER(dE2_dw1, -0.00049,
               p.out().error_signal(1) * p.before.template layer<1>().weights()(1, 0) *
                   p.template derivative<0>()(0) * p.ws.input()(0))
LECTURE_NUMBER(dE_dw1, 0.00110, p.grads.template layer<0>().weights(0, 0))
LECTURE_NUMBER(new_w1, 0.09933, p.net.template layer<0>().weights()(0, 0))
LECTURE_NUMBER(new_w2, 0.19919, p.net.template layer<0>().weights()(1, 0))
LECTURE_NUMBER(new_w3, 0.29667, p.net.template layer<0>().weights()(0, 1))
LECTURE_NUMBER(new_w4, 0.39597, p.net.template layer<0>().weights()(1, 1))
