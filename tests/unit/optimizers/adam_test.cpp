// SPDX-License-Identifier: MIT
// ffn::adam and ffn::adamw against values worked out by hand, and the three classic mistakes:
// advancing the bias correction once per tensor, putting epsilon inside the square root,
// and adding AdamW's decay to the gradient. Every parameter starts at w = 1; learning rate
// 0.1, beta1 0.9, beta2 0.999, epsilon 1e-8 unless said otherwise.

#include <cmath>
#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/concepts/optimizer.hpp>
#include <ffn/optimizers/adam.hpp>
#include <ffn/optimizers/adamw.hpp>

#include "tiny_net.hpp"

static_assert(ffn::optimizer<ffn::adam<tiny::fixed_double>, tiny::fixed_double>);
static_assert(ffn::optimizer<ffn::adamw<tiny::dynamic_float>, tiny::dynamic_float>);

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

TEMPLATE_TEST_CASE("adam: three steps by hand", "[optimizer]", tiny::fixed_float,
                   tiny::fixed_double, tiny::dynamic_float, tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::adam opt(net, {.learning_rate = 0.1});
    // t = 1, g = 0.5:   m = 0.1 * 0.5 = 0.05            v = 0.001 * 0.25 = 0.00025
    //   m^ = 0.05 / (1 - 0.9) = 0.5   v^ = 0.00025 / (1 - 0.999) = 0.25   sqrt(v^) = 0.5
    //   w = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.900000002
    // t = 2, g = -0.25: m = 0.9 * 0.05 + 0.1 * -0.25 = 0.02
    //   v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225
    //   m^ = 0.02 / (1 - 0.81) = 0.1052631579   v^ = 0.00031225 / (1 - 0.998001) = 0.1562031016
    //   sqrt(v^) = 0.3952253809   w = 0.900000002 - 0.1 * 0.1052631579 / 0.3952253909
    //   = 0.900000002 - 0.0266337033 = 0.8733662987
    // t = 3, g = 0.5:   m = 0.9 * 0.02 + 0.05 = 0.068
    //   v = 0.999 * 0.00031225 + 0.00025 = 0.00056193775
    //   m^ = 0.068 / 0.271 = 0.2509225092   v^ = 0.00056193775 / 0.002997001 = 0.1875000209
    //   w = 0.8733662987 - 0.1 * 0.2509225092 / (0.4330127259 + 1e-8) = 0.8154182320
    run(net, opt, {0.5, -0.25, 0.5}, {0.900000002, 0.87336629870784616, 0.81541823196992053});
    CHECK(opt.step_count() == 3);
}

TEMPLATE_TEST_CASE("adam: the bias correction advances once per step, not once per tensor",
                   "[optimizer]", tiny::fixed_float, tiny::fixed_double, tiny::dynamic_float,
                   tiny::dynamic_double) {
    // Different gradients in each of the four tensors. After the first step m^ = g and
    // sqrt(v^) = |g| for every tensor, so each parameter moves by lr * g / (|g| + eps), that is
    // lr * sign(g) up to eps. Were t advanced per tensor, the second tensor would see t = 2 and
    // move by 0.1 * (0.1 / 0.19) / sqrt(0.001 / 0.001999) = 0.0744 instead.
    auto net = tiny::make<TestType>();
    ffn::gradients<TestType> grads(net);
    using scalar = typename TestType::scalar_type;
    grads.template layer<0>().weights << scalar(3), scalar(-0.02), scalar(0.5), scalar(-40);
    grads.template layer<0>().bias << scalar(0.01), scalar(-7);
    grads.template layer<1>().weights << scalar(-0.3), scalar(2);
    grads.template layer<1>().bias << scalar(0.25);
    ffn::adam opt(net, {.learning_rate = 0.1});
    opt.step(net, grads);
    net.visit_tensors(
        [](std::size_t layer, std::string_view name, const auto& w, bool, const auto& g) {
            for (Eigen::Index i = 0; i < w.size(); ++i) {
                const double gi = static_cast<double>(g.coeff(i));
                const double moved = 1.0 - static_cast<double>(w.coeff(i));
                INFO("layer " << layer << " " << name << "(" << i << "), g = " << gi);
                CHECK(moved ==
                      Approx(0.1 * gi / (std::abs(gi) + 1e-8)).epsilon(tiny::tolerance<TestType>));
                CHECK(std::abs(moved) == Approx(0.1).epsilon(1e-5));
            }
        },
        grads);
    CHECK(opt.step_count() == 1);
}

TEMPLATE_TEST_CASE("adam: epsilon is added outside the square root", "[optimizer]",
                   tiny::fixed_float, tiny::fixed_double, tiny::dynamic_float,
                   tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::adam opt(net, {.learning_rate = 1.0, .epsilon = 1e-4});
    // g = 0.01: m^ = 0.01, v^ = 1e-4. Outside: 0.01 / (sqrt(1e-4) + 1e-4) = 0.01 / 0.0101
    // = 0.9900990099, w = 0.0099009901. (Inside, 0.01 / sqrt(1e-4 + 1e-4) = 0.7071 would give
    // w = 0.2929.)
    run(net, opt, {0.01}, {0.0099009900990099010});
}

TEMPLATE_TEST_CASE("adam: L2 weight decay is added to the gradient", "[optimizer]",
                   tiny::fixed_float, tiny::fixed_double, tiny::dynamic_float,
                   tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::adam opt(net, {.learning_rate = 0.1, .weight_decay = 0.5});
    // t = 1: d = 0.5 + 0.5 * 1 = 1;  m = 0.1, v = 0.001; m^ = 1, v^ = 1
    //   w = 1 - 0.1 * 1 / (1 + 1e-8) = 0.900000001 (an Adam step, not a decay of w)
    // t = 2: d = 0.5 + 0.5 * 0.900000001 = 0.9500000005
    //   m = 0.09 + 0.09500000005 = 0.18500000005
    //   v = 0.000999 + 0.001 * 0.902500001 = 0.001901500001
    //   m^ = 0.18500000005 / 0.19 = 0.9736842108   v^ = 0.001901500001 / 0.001999 = 0.9512256133
    //   w = 0.900000001 - 0.1 * 0.9736842108 / (0.9753079582 + 1e-8) = 0.8001664876
    run(net, opt, {0.5, 0.5}, {0.900000001, 0.80016648763187554});
}

TEMPLATE_TEST_CASE("adamw: decoupled weight decay, by hand", "[optimizer]", tiny::fixed_float,
                   tiny::fixed_double, tiny::dynamic_float, tiny::dynamic_double) {
    auto net = tiny::make<TestType>();
    ffn::adamw opt(net, {.learning_rate = 0.1, .weight_decay = 0.5});
    // Each step first multiplies w by 1 - 0.1 * 0.5 = 0.95, then takes Adam's step with the
    // plain gradient; the moments are those of the "adam: three steps" test.
    // t = 1: w = 1 * 0.95 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.95 - 0.099999998 = 0.850000002
    // t = 2: w = 0.850000002 * 0.95 - 0.0266337033 = 0.8075000019 - 0.0266337033 = 0.7808662986
    // t = 3: w = 0.7808662986 * 0.95 - 0.1 * 0.2509225092 / 0.4330127359
    //          = 0.7418229837 - 0.0579480668 = 0.6838749169
    run(net, opt, {0.5, -0.25, 0.5}, {0.850000002, 0.78086629860784616, 0.68387491693952822});
}

TEMPLATE_TEST_CASE("adamw decays the weights, not the gradient", "[optimizer]", tiny::fixed_float,
                   tiny::fixed_double, tiny::dynamic_float, tiny::dynamic_double) {
    SECTION("with zero gradients the weights shrink by (1 - lr * lambda) a step") {
        auto net = tiny::make<TestType>();
        ffn::adamw opt(net, {.learning_rate = 0.1, .weight_decay = 0.5});
        // m = v = 0, so Adam's part is 0 / (0 + eps) = 0: w = 0.95, then 0.9025.
        run(net, opt, {0.0, 0.0}, {0.95, 0.9025});
        // Adam's coupled decay would have moved w by a full step: d = 0.5 w, w = 1 - 0.1.
        auto coupled_net = tiny::make<TestType>();
        ffn::adam coupled(coupled_net, {.learning_rate = 0.1, .weight_decay = 0.5});
        run(coupled_net, coupled, {0.0}, {0.900000002});
    }
    SECTION("the moments see the plain gradient") {
        auto net = tiny::make<TestType>();
        ffn::adamw opt(net, {.learning_rate = 0.1, .weight_decay = 0.5});
        ffn::gradients<TestType> grads(net);
        tiny::set_gradients(net, grads, 0.5);
        opt.step(net, grads);
        // m = 0.1 * 0.5 and v = 0.001 * 0.25, with no trace of lambda * w.
        const auto& m = opt.first_moment().template layer<0>().weights;
        const auto& v = opt.second_moment().template layer<0>().weights;
        CHECK(static_cast<double>(m(0, 0)) == Approx(0.05).epsilon(tiny::tolerance<TestType>));
        CHECK(static_cast<double>(v(0, 0)) == Approx(0.00025).epsilon(tiny::tolerance<TestType>));
    }
}

TEMPLATE_TEST_CASE("adam leaves frozen tensors and their moments alone", "[optimizer]",
                   tiny::fixed_double, tiny::dynamic_float) {
    auto net = tiny::make<TestType>();
    net.template layer<1>().freeze_bias();
    ffn::adam opt(net, {.learning_rate = 0.1});
    run(net, opt, {0.5, -0.25}, {0.900000002, 0.87336629870784616});
    CHECK(opt.first_moment().template layer<1>().bias.isZero(0));
    CHECK(opt.second_moment().template layer<1>().bias.isZero(0));
}

TEST_CASE("adam and adamw check their settings and name them", "[optimizer]") {
    const auto net = tiny::make<tiny::fixed_double>();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(ffn::adam(net, {.learning_rate = 0}),
                      Catch::Contains("ffn::adam") && Catch::Contains("learning_rate"));
    CHECK_THROWS_WITH(ffn::adam(net, {.beta1 = 1.0}),
                      Catch::Contains("beta1") && Catch::Contains("[0, 1)"));
    CHECK_THROWS_WITH(ffn::adam(net, {.beta1 = -0.1}), Catch::Contains("beta1"));
    CHECK_THROWS_WITH(ffn::adam(net, {.beta2 = 1.5}), Catch::Contains("beta2"));
    CHECK_THROWS_WITH(ffn::adam(net, {.beta2 = nan}), Catch::Contains("beta2"));
    CHECK_THROWS_WITH(ffn::adam(net, {.epsilon = 0}), Catch::Contains("epsilon"));
    CHECK_THROWS_WITH(ffn::adam(net, {.weight_decay = -0.01}), Catch::Contains("weight_decay"));
    CHECK_THROWS_WITH(ffn::adamw(net, {.epsilon = -1}),
                      Catch::Contains("ffn::adamw") && Catch::Contains("epsilon"));
    CHECK_THROWS_WITH(ffn::adamw(net, -0.5), Catch::Contains("learning_rate"));
    // Valid in double, not in float: the check is made in the network's scalar type.
    const auto float_net = tiny::make<tiny::fixed_float>();
    CHECK_THROWS_WITH(ffn::adam(float_net, {.beta2 = 0.99999999}),
                      Catch::Contains("beta2") && Catch::Contains("becomes 1"));
    CHECK_THROWS_WITH(ffn::adam(float_net, {.epsilon = 1e-50}),
                      Catch::Contains("epsilon") && Catch::Contains("becomes 0"));
    CHECK_NOTHROW(ffn::adam(net, {.beta2 = 0.99999999}));
    // PyTorch's defaults.
    const ffn::adam_options adam_defaults{};
    CHECK(adam_defaults.learning_rate == 1e-3);
    CHECK(adam_defaults.beta1 == 0.9);
    CHECK(adam_defaults.beta2 == 0.999);
    CHECK(adam_defaults.epsilon == 1e-8);
    CHECK(adam_defaults.weight_decay == 0.0);
    const ffn::adamw_options adamw_defaults{};
    CHECK(adamw_defaults.weight_decay == 1e-2);
    CHECK(ffn::adamw(net, 0.01).options().weight_decay == 1e-2);
}

TEST_CASE("adam: set_learning_rate and the shape checks", "[optimizer]") {
    using net_type = tiny::dynamic_double;
    auto net = tiny::make<net_type>();
    ffn::adam opt(net, 0.1);
    CHECK(opt.options().beta2 == 0.999);
    opt.set_learning_rate(0.0);
    CHECK(opt.learning_rate() == 0.0);
    CHECK_THROWS_WITH(opt.set_learning_rate(-0.1), Catch::Contains("ffn::adam"));
    const net_type before = net;
    ffn::gradients<net_type> empty;
    CHECK_THROWS_WITH(opt.step(net, empty),
                      Catch::Contains("ffn::adam") && Catch::Contains("layer 0 weights"));
    CHECK(opt.step_count() == 0); // a refused step does not count
    CHECK(net == before);
}
