// SPDX-License-Identifier: MIT
// ffn::rmsprop against values worked out by hand. Every parameter starts at w = 1; learning
// rate 0.01, alpha 0.99, epsilon 1e-8.

#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/concepts/optimizer.hpp>
#include <ffn/optimizers/rmsprop.hpp>

#include "tiny_net.hpp"

static_assert(ffn::optimizer<ffn::rmsprop<tiny::fixed_float>, tiny::fixed_float>);

namespace {

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

TEMPLATE_TEST_CASE("rmsprop: three steps by hand", "[optimizer]", tiny::fixed_float,
                   tiny::fixed_double, tiny::dynamic_float, tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::rmsprop opt(net, typename TestType::scalar_type(0.01));
    // s1 = 0.01 * 0.25 = 0.0025, sqrt = 0.05;  u = 0.5 / (0.05 + 1e-8) = 9.999998
    //   w1 = 1 - 0.01 * 9.999998 = 0.90000002
    // s2 = 0.99 * 0.0025 + 0.0025 = 0.004975, sqrt = 0.0705336799;  u = 7.0888110451
    //   w2 = 0.90000002 - 0.070888110 = 0.8291119095
    // s3 = 0.99 * 0.004975 + 0.0025 = 0.00742525, sqrt = 0.0861698903;  u = -5.8024901743
    //   w3 = 0.8291119095 + 0.058024902 = 0.8871368113
    run(net, opt, {0.5, 0.5, -0.5}, {0.900000019999996, 0.82911190954941224, 0.88713681129211042});
}

TEMPLATE_TEST_CASE("rmsprop: momentum accumulates the scaled steps", "[optimizer]",
                   tiny::fixed_float, tiny::fixed_double, tiny::dynamic_float,
                   tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::rmsprop opt(net, {.learning_rate = 0.01, .momentum = 0.9});
    // u as in the test above.
    // b1 = 9.999998                          w1 = 1          - 0.09999998  = 0.90000002
    // b2 = 0.9 * 9.999998 + 7.0888110451 = 16.0888092451   w2 = 0.90000002 - 0.160888092
    //                                                          = 0.7391119275
    // b3 = 0.9 * 16.0888092451 - 5.8024901743 = 8.6774381463  w3 = 0.7391119275 - 0.0867743815
    //                                                          = 0.6523375461
    run(net, opt, {0.5, 0.5, -0.5}, {0.900000019999996, 0.73911192754940864, 0.65233754608657819});
}

TEMPLATE_TEST_CASE("rmsprop: weight decay adds lambda w to the gradient", "[optimizer]",
                   tiny::fixed_float, tiny::fixed_double, tiny::dynamic_float,
                   tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::rmsprop opt(net, {.learning_rate = 0.01, .weight_decay = 0.1});
    // d1 = 0.5 + 0.1 = 0.6; s1 = 0.0036, sqrt = 0.06; u = 0.6 / 0.06000001 = 9.9999983333
    //   w1 = 1 - 0.099999983 = 0.9000000167
    // d2 = 0.5 + 0.09000000017 = 0.5900000017; s2 = 0.003564 + 0.00348100002 = 0.00704500002
    //   sqrt = 0.0839344984; u = 7.0292900143; w2 = 0.9000000167 - 0.0702929001 = 0.8297071165
    run(net, opt, {0.5, 0.5}, {0.90000001666666389, 0.82970711652380464});
}

TEMPLATE_TEST_CASE("rmsprop leaves frozen tensors alone", "[optimizer]", tiny::fixed_double,
                   tiny::dynamic_float) {
    auto net = tiny::make<TestType>();
    net.template layer<0>().freeze_weights();
    ffn::rmsprop opt(net, {.learning_rate = 0.01, .momentum = 0.9});
    run(net, opt, {0.5, 0.5}, {0.900000019999996, 0.73911192754940864});
}

TEST_CASE("rmsprop checks its settings and names them", "[optimizer]") {
    auto net = tiny::make<tiny::dynamic_double>();
    CHECK_THROWS_WITH(ffn::rmsprop(net, 0.0),
                      Catch::Contains("ffn::rmsprop") && Catch::Contains("learning_rate"));
    CHECK_THROWS_WITH(ffn::rmsprop(net, {.alpha = 1.0}), Catch::Contains("alpha"));
    CHECK_THROWS_WITH(ffn::rmsprop(net, {.epsilon = 0.0}), Catch::Contains("epsilon"));
    CHECK_THROWS_WITH(ffn::rmsprop(net, {.weight_decay = -1.0}), Catch::Contains("weight_decay"));
    CHECK_THROWS_WITH(ffn::rmsprop(net, {.momentum = 1.0}), Catch::Contains("momentum"));
    CHECK_THROWS_WITH(ffn::rmsprop(net, {.momentum = std::numeric_limits<double>::quiet_NaN()}),
                      Catch::Contains("momentum"));
    const ffn::rmsprop_options defaults{}; // PyTorch's defaults
    CHECK(defaults.learning_rate == 1e-2);
    CHECK(defaults.alpha == 0.99);
    CHECK(defaults.epsilon == 1e-8);
    CHECK(defaults.weight_decay == 0.0);
    CHECK(defaults.momentum == 0.0);

    ffn::rmsprop opt(net, {.learning_rate = 0.01, .momentum = 0.5});
    opt.set_learning_rate(0.02);
    CHECK(opt.learning_rate() == 0.02);
    CHECK(opt.options().momentum == 0.5);
    CHECK_THROWS_AS(opt.set_learning_rate(std::numeric_limits<double>::infinity()),
                    std::invalid_argument);
    ffn::gradients<tiny::dynamic_double> empty;
    CHECK_THROWS_WITH(opt.step(net, empty), Catch::Contains("ffn::rmsprop"));
}
