// SPDX-License-Identifier: MIT
// ffn::sgd: plain, with momentum, Nesterov, dampening and weight decay, against values worked
// out by hand. Every parameter starts at w = 1 and every gradient is set by hand, so all
// parameters follow the same path; learning rate 0.1 throughout.

#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/concepts/optimizer.hpp>
#include <ffn/optimizers/sgd.hpp>

#include "tiny_net.hpp"

static_assert(ffn::optimizer<ffn::sgd<tiny::fixed_double>, tiny::fixed_double>);
static_assert(ffn::optimizer<ffn::sgd<tiny::dynamic_float>, tiny::dynamic_float>);

namespace {
/// Steps, but its learning rate cannot be set: not an optimizer.
struct fixed_rate_descent {
    void step(tiny::fixed_double& /*net*/, const ffn::gradients<tiny::fixed_double>& /*grads*/) {}
    [[nodiscard]] double learning_rate() const { return 0.1; }
};
} // namespace
static_assert(!ffn::optimizer<fixed_rate_descent, tiny::fixed_double>);
static_assert(!ffn::optimizer<ffn::sgd<tiny::fixed_double>, tiny::fixed_float>);
static_assert(!ffn::trainable_network<int>);

namespace {

/// Takes steps with the gradients `gs` (all parameters alike) and checks the parameters
/// against `expected` after each.
template <class Net, class Optimizer>
void run(Net& net, Optimizer& opt, std::initializer_list<double> gs,
         std::initializer_list<double> expected) {
    ffn::gradients<Net> grads(net);
    auto want = expected.begin();
    int step = 1;
    for (const double g : gs) {
        tiny::set_gradients(net, grads, g);
        opt.step(net, grads);
        INFO("step " << step);
        tiny::check_all(net, *want);
        ++want;
        ++step;
    }
}

} // namespace

TEMPLATE_TEST_CASE("sgd: plain steps", "[optimizer]", tiny::fixed_float, tiny::fixed_double,
                   tiny::dynamic_float, tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::sgd opt(net, typename TestType::scalar_type(0.1)); // the lecture's form still works
    // w1 = 1    - 0.1 * 0.5  = 0.95
    // w2 = 0.95 - 0.1 * 0.5  = 0.90
    // w3 = 0.90 - 0.1 * (-1) = 1.00
    run(net, opt, {0.5, 0.5, -1.0}, {0.95, 0.90, 1.00});
    CHECK(opt.step_count() == 3);
}

TEMPLATE_TEST_CASE("sgd: momentum", "[optimizer]", tiny::fixed_float, tiny::fixed_double,
                   tiny::dynamic_float, tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::sgd opt(net, {.learning_rate = 0.1, .momentum = 0.9});
    // b1 = g1 = 1 (the first step takes the gradient as it is)    w1 = 1    - 0.1 * 1    = 0.9
    // b2 = 0.9 * 1    + 1    = 1.9                                 w2 = 0.9  - 0.1 * 1.9  = 0.71
    // b3 = 0.9 * 1.9  - 0.5  = 1.21                                w3 = 0.71 - 0.1 * 1.21 = 0.589
    run(net, opt, {1.0, 1.0, -0.5}, {0.9, 0.71, 0.589});
}

TEMPLATE_TEST_CASE("sgd: Nesterov momentum", "[optimizer]", tiny::fixed_float, tiny::fixed_double,
                   tiny::dynamic_float, tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::sgd opt(net, {.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
    // b1 = 1;    d + 0.9 b = 1    + 0.9        = 1.9;   w1 = 1     - 0.19   = 0.81
    // b2 = 1.9;  d + 0.9 b = 1    + 0.9 * 1.9  = 2.71;  w2 = 0.81  - 0.271  = 0.539
    // b3 = 1.21; d + 0.9 b = -0.5 + 0.9 * 1.21 = 0.589; w3 = 0.539 - 0.0589 = 0.4801
    run(net, opt, {1.0, 1.0, -0.5}, {0.81, 0.539, 0.4801});
}

TEMPLATE_TEST_CASE("sgd: dampening spares the first step", "[optimizer]", tiny::fixed_float,
                   tiny::fixed_double, tiny::dynamic_float, tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::sgd opt(net, {.learning_rate = 0.1, .momentum = 0.9, .dampening = 0.5});
    // b1 = 1 (no dampening on the first step)   w1 = 1    - 0.1  = 0.9
    // b2 = 0.9 * 1   + 0.5 * 1 = 1.4            w2 = 0.9  - 0.14 = 0.76
    // b3 = 0.9 * 1.4 + 0.5 * 1 = 1.76           w3 = 0.76 - 0.176 = 0.584
    run(net, opt, {1.0, 1.0, 1.0}, {0.9, 0.76, 0.584});
}

TEMPLATE_TEST_CASE("sgd: weight decay adds lambda w to the gradient", "[optimizer]",
                   tiny::fixed_float, tiny::fixed_double, tiny::dynamic_float,
                   tiny::dynamic_double) {
    SECTION("without momentum") {
        auto net = tiny::make<TestType>();
        ffn::sgd opt(net, {.learning_rate = 0.1, .weight_decay = 0.1});
        // d1 = 1 + 0.1 * 1    = 1.1;    w1 = 1    - 0.11   = 0.89
        // d2 = 1 + 0.1 * 0.89 = 1.089;  w2 = 0.89 - 0.1089 = 0.7811
        run(net, opt, {1.0, 1.0}, {0.89, 0.7811});
    }
    SECTION("with momentum") {
        auto net = tiny::make<TestType>();
        ffn::sgd opt(net, {.learning_rate = 0.1, .momentum = 0.9, .weight_decay = 0.1});
        // d1 = 1.1,   b1 = 1.1                     w1 = 1    - 0.11   = 0.89
        // d2 = 1.089, b2 = 0.9 * 1.1 + 1.089 = 2.079  w2 = 0.89 - 0.2079 = 0.6821
        run(net, opt, {1.0, 1.0}, {0.89, 0.6821});
    }
}

TEMPLATE_TEST_CASE("sgd leaves frozen tensors and their velocities alone", "[optimizer]",
                   tiny::fixed_float, tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    net.template layer<0>().freeze_bias();
    net.template layer<1>().freeze_weights();
    ffn::sgd opt(net, {.learning_rate = 0.1, .momentum = 0.9});
    run(net, opt, {1.0, 1.0, -0.5}, {0.9, 0.71, 0.589}); // check_all: frozen ones stay 1
    // Unfrozen, the weights start with a zero velocity: b = 0.9 * 0 + 1 = 1, w = 1 - 0.1.
    net.template layer<1>().freeze_weights(false);
    ffn::gradients<TestType> grads(net);
    tiny::set_gradients(net, grads, 1.0);
    opt.step(net, grads);
    CHECK(static_cast<double>(net.template layer<1>().weights()(0, 0)) ==
          Approx(0.9).epsilon(tiny::tolerance<TestType>));
}

TEST_CASE("sgd checks its settings and names them", "[optimizer]") {
    const auto net = tiny::make<tiny::fixed_double>();
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(ffn::sgd(net, 0.0),
                      Catch::Contains("ffn::sgd") && Catch::Contains("learning_rate"));
    CHECK_THROWS_AS(ffn::sgd(net, -0.1), std::invalid_argument);
    CHECK_THROWS_AS(ffn::sgd(net, inf), std::invalid_argument);
    CHECK_THROWS_AS(ffn::sgd(net, nan), std::invalid_argument);
    CHECK_THROWS_WITH(ffn::sgd(net, {.learning_rate = 0.1, .momentum = 1.0}),
                      Catch::Contains("momentum") && Catch::Contains("[0, 1)"));
    CHECK_THROWS_WITH(ffn::sgd(net, {.learning_rate = 0.1, .momentum = -0.1}),
                      Catch::Contains("momentum"));
    CHECK_THROWS_WITH(ffn::sgd(net, {.learning_rate = 0.1, .momentum = 0.5, .dampening = 1.5}),
                      Catch::Contains("dampening"));
    CHECK_THROWS_WITH(ffn::sgd(net, {.learning_rate = 0.1, .weight_decay = -1}),
                      Catch::Contains("weight_decay"));
    CHECK_THROWS_WITH(ffn::sgd(net, {.learning_rate = 0.1, .nesterov = true}),
                      Catch::Contains("nesterov"));
    CHECK_THROWS_WITH(
        ffn::sgd(net, {.learning_rate = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true}),
        Catch::Contains("nesterov") && Catch::Contains("dampening"));
    const ffn::sgd_options defaults{};
    CHECK(defaults.learning_rate == 1e-3); // PyTorch's defaults
    CHECK(defaults.momentum == 0.0);
    CHECK(defaults.dampening == 0.0);
    CHECK(defaults.weight_decay == 0.0);
    CHECK_FALSE(defaults.nesterov);
}

TEST_CASE("sgd: set_learning_rate takes zero but not a negative or NaN rate", "[optimizer]") {
    auto net = tiny::make<tiny::fixed_double>();
    ffn::sgd opt(net, {.learning_rate = 0.1, .momentum = 0.9});
    opt.set_learning_rate(0.05);
    CHECK(opt.learning_rate() == 0.05);
    CHECK(opt.options().learning_rate == 0.05);
    CHECK(opt.options().momentum == 0.9);
    opt.set_learning_rate(0.0);
    CHECK(opt.learning_rate() == 0.0);
    CHECK_THROWS_WITH(opt.set_learning_rate(-1.0), Catch::Contains("learning_rate"));
    CHECK_THROWS_AS(opt.set_learning_rate(std::numeric_limits<double>::quiet_NaN()),
                    std::invalid_argument);
    CHECK(opt.learning_rate() == 0.0); // unchanged by the failed calls
    // A zero rate changes no parameter.
    ffn::gradients<tiny::fixed_double> grads(net);
    tiny::set_gradients(net, grads, 1.0);
    opt.step(net, grads);
    tiny::check_all(net, 1.0);
}

TEST_CASE("sgd rejects gradients and state of another shape before changing anything",
          "[optimizer]") {
    using net_type = tiny::dynamic_double;
    auto net = tiny::make<net_type>();
    const net_type before = net;
    ffn::sgd opt(net, {.learning_rate = 0.1, .momentum = 0.9});
    ffn::gradients<net_type> empty; // never filled by a backward pass
    CHECK_THROWS_WITH(opt.step(net, empty),
                      Catch::Contains("ffn::sgd") && Catch::Contains("layer 0 weights") &&
                          Catch::Contains("gradient is 0x0") && Catch::Contains("tensor is 2x2"));
    ffn::gradients<net_type> grads(net);
    grads.layer<1>().bias.resize(3);
    CHECK_THROWS_WITH(opt.step(net, grads),
                      Catch::Contains("layer 1 bias") && Catch::Contains("gradient is 3x1"));
    CHECK(net == before);
    // A network of another shape than the optimizer was made for.
    net_type other({2, 3, 1});
    ffn::gradients<net_type> other_grads(other);
    CHECK_THROWS_WITH(opt.step(other, other_grads),
                      Catch::Contains("optimizer's state") && Catch::Contains("another shape"));
    CHECK(opt.step_count() == 0);
}
