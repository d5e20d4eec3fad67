// SPDX-License-Identifier: MIT
// The learning-rate schedules: PyTorch's closed forms, epochs counted from 0.

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <type_traits>

#include <catch2/catch.hpp>

#include <ffn/concepts/optimizer.hpp>
#include <ffn/optimizers/adam.hpp>
#include <ffn/optimizers/schedules.hpp>

#include "tiny_net.hpp"

static_assert(ffn::learning_rate_schedule<ffn::step_decay<>>);
static_assert(ffn::learning_rate_schedule<ffn::exponential_decay<float>>);
static_assert(ffn::learning_rate_schedule<ffn::cosine_annealing<double>>);
static_assert(!ffn::learning_rate_schedule<int>);

TEMPLATE_TEST_CASE("step_decay multiplies by gamma every step_size epochs", "[schedule]", float,
                   double) {
    const ffn::step_decay schedule(TestType(0.1), 3, 0.5);
    static_assert(std::is_same_v<decltype(schedule.learning_rate(0)), TestType>);
    // 0.1 * 0.5^floor(e / 3); halving is exact.
    CHECK(schedule.learning_rate(0) == TestType(0.1));
    CHECK(schedule.learning_rate(2) == TestType(0.1));
    CHECK(schedule.learning_rate(3) == TestType(0.1) / 2);
    CHECK(schedule.learning_rate(5) == TestType(0.1) / 2);
    CHECK(schedule.learning_rate(6) == TestType(0.1) / 4);
    CHECK(schedule.learning_rate(30) == TestType(0.1) / 1024);
    // PyTorch's default gamma is 0.1: 0.1 * 0.1^2 = 0.001 at epoch 20 of step_size 10.
    const ffn::step_decay by_default(TestType(0.1), 10);
    CHECK(by_default.gamma() == 0.1);
    CHECK(static_cast<double>(by_default.learning_rate(19)) == Approx(0.01).epsilon(1e-6));
    CHECK(static_cast<double>(by_default.learning_rate(20)) == Approx(0.001).epsilon(1e-6));
}

TEMPLATE_TEST_CASE("exponential_decay multiplies by gamma every epoch", "[schedule]", float,
                   double) {
    const ffn::exponential_decay schedule(TestType(0.1), 0.9);
    CHECK(schedule.learning_rate(0) == TestType(0.1));
    // 0.1 * 0.9 = 0.09; 0.1 * 0.81 = 0.081; 0.1 * 0.9^10 = 0.1 * 0.3486784401 = 0.03486784401
    CHECK(static_cast<double>(schedule.learning_rate(1)) == Approx(0.09).epsilon(1e-6));
    CHECK(static_cast<double>(schedule.learning_rate(2)) == Approx(0.081).epsilon(1e-6));
    CHECK(static_cast<double>(schedule.learning_rate(10)) == Approx(0.03486784401).epsilon(1e-6));
    // gamma^100 by repeated squaring agrees with pow.
    CHECK(static_cast<double>(schedule.learning_rate(100)) ==
          Approx(0.1 * std::pow(0.9, 100)).epsilon(1e-6));
    // It reaches 0 once gamma^e underflows, which set_learning_rate accepts.
    const ffn::exponential_decay halving(TestType(1), 0.5);
    CHECK(halving.learning_rate(2000) == TestType(0));
    CHECK(halving.learning_rate(20) == TestType(1.0 / 1048576));
}

TEMPLATE_TEST_CASE("cosine_annealing follows half a cosine from eta_0 to eta_min", "[schedule]",
                   float, double) {
    const ffn::cosine_annealing schedule(TestType(0.1), 10);
    // 0.1 * (1 + cos(pi e / 10)) / 2
    CHECK(schedule.learning_rate(0) == TestType(0.1));
    // e = 1: cos(pi / 10) = 0.9510565163, 0.05 * 1.9510565163 = 0.0975528258
    CHECK(static_cast<double>(schedule.learning_rate(1)) == Approx(0.0975528258).epsilon(1e-6));
    CHECK(static_cast<double>(schedule.learning_rate(5)) == Approx(0.05).epsilon(1e-6));
    CHECK(schedule.learning_rate(10) == TestType(0)); // eta_min
    // Past T_max the closed form rises again, as PyTorch's does (period 2 T_max).
    CHECK(static_cast<double>(schedule.learning_rate(15)) == Approx(0.05).epsilon(1e-6));
    CHECK(static_cast<double>(schedule.learning_rate(20)) == Approx(0.1).epsilon(1e-6));
    CHECK(static_cast<double>(schedule.learning_rate(1'000'000'000'005)) ==
          Approx(0.05).epsilon(1e-6));

    const ffn::cosine_annealing with_floor(TestType(0.1), 10, 0.01);
    // 0.01 + 0.09 * (1 + cos(pi e / 10)) / 2: e = 5 gives 0.055, e = 10 gives 0.01
    CHECK(static_cast<double>(with_floor.learning_rate(5)) == Approx(0.055).epsilon(1e-6));
    CHECK(static_cast<double>(with_floor.learning_rate(10)) == Approx(0.01).epsilon(1e-6));
    // Never below eta_min nor above eta_0.
    for (std::size_t e = 0; e < 40; ++e) {
        CHECK(with_floor.learning_rate(e) >= TestType(0.01) * TestType(1 - 1e-6));
        CHECK(with_floor.learning_rate(e) <= TestType(0.1));
    }
}

TEST_CASE("schedules check their settings and name them", "[schedule]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(ffn::step_decay(0.0, 3), Catch::Contains("ffn::step_decay") &&
                                                   Catch::Contains("initial learning rate"));
    CHECK_THROWS_WITH(ffn::step_decay(0.1, 0), Catch::Contains("step_size"));
    CHECK_THROWS_WITH(ffn::step_decay(0.1, 3, 0.0), Catch::Contains("gamma"));
    CHECK_THROWS_WITH(ffn::step_decay(0.1, 3, 1.5), Catch::Contains("gamma"));
    CHECK_THROWS_WITH(ffn::exponential_decay(nan, 0.9), Catch::Contains("ffn::exponential_decay"));
    CHECK_THROWS_WITH(ffn::exponential_decay(0.1, -0.9), Catch::Contains("gamma"));
    CHECK_THROWS_WITH(ffn::cosine_annealing(-0.1, 10), Catch::Contains("ffn::cosine_annealing"));
    CHECK_THROWS_WITH(ffn::cosine_annealing(0.1, 0), Catch::Contains("t_max"));
    CHECK_THROWS_WITH(ffn::cosine_annealing(0.1, 10, -0.01), Catch::Contains("eta_min"));
    CHECK_THROWS_WITH(ffn::cosine_annealing(0.1, 10, 0.2),
                      Catch::Contains("eta_min") && Catch::Contains("initial learning rate"));
    CHECK_NOTHROW(ffn::step_decay(0.1, 3, 1.0)); // gamma 1: a constant rate
    CHECK_NOTHROW(ffn::cosine_annealing(0.1, 10, 0.1));
}

TEST_CASE("a schedule drives an optimizer through set_learning_rate, down to zero", "[schedule]") {
    auto net = tiny::make<tiny::fixed_float>();
    ffn::adam opt(net, {.learning_rate = 0.01});
    const ffn::cosine_annealing schedule(opt.learning_rate(), 4); // float, from the optimizer
    static_assert(std::is_same_v<decltype(schedule.learning_rate(0)), float>);
    for (std::size_t epoch = 0; epoch <= 4; ++epoch) {
        opt.set_learning_rate(schedule.learning_rate(epoch));
        CHECK(opt.learning_rate() == schedule.learning_rate(epoch));
    }
    CHECK(opt.learning_rate() == 0.0F);
}
