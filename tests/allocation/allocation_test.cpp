// SPDX-License-Identifier: MIT
// Counts heap allocations in steady-state training and inference (see counting.hpp). This
// file also replaces the global operator new (replace_new.hpp), once for the whole executable.

#include <optional>

#include "counting.hpp"

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>
#include <ffn/optimizers/adam.hpp>
#include <ffn/optimizers/adamw.hpp>
#include <ffn/optimizers/rmsprop.hpp>
#include <ffn/optimizers/sgd.hpp>

#include "replace_new.hpp"

namespace {

using allocation::allocations_during;

using lecture_net = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid>,
                                 ffn::dense<2, 2, ffn::sigmoid>>;

} // namespace

TEST_CASE("allocation counting sees Eigen's and operator new's allocations", "[allocation]") {
    // The control: if these read 0 the counters are broken and the tests below prove nothing.
    CHECK(allocations_during([] {
              Eigen::MatrixXd m(8, 8);
              m.setOnes();
              REQUIRE(m.sum() == 64.0);
          }) == 1);
    CHECK(allocations_during([] {
              auto* p = new int(3);
              REQUIRE(*p == 3);
              delete p;
          }) == 1);
}

TEMPLATE_TEST_CASE("a fixed-size network allocates nothing in forward, backward and update",
                   "[allocation]", float, double) {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, TestType>,
                                  ffn::dense<2, 2, ffn::sigmoid, TestType>>;
    net_type net;
    net.template layer<0>().weights().setConstant(TestType(0.3));
    net.template layer<1>().weights().setConstant(TestType(0.4));
    ffn::workspace<net_type> ws;
    ffn::gradients<net_type> grads;
    ffn::sgd opt(net, TestType(0.5));
    const Eigen::Matrix<TestType, 2, 1> x(TestType(0.1), TestType(0.5));
    const Eigen::Matrix<TestType, 2, 1> y(TestType(0.05), TestType(0.95));
    TestType loss{};
    const long count = allocations_during([&] {
        for (int step = 0; step < 1000; ++step) {
            net.forward(x, ws);
            loss = net.loss(ws, y);
            net.backward(ws, y, grads);
            opt.step(net, grads);
        }
        const Eigen::Matrix<TestType, 2, 1> out = net.predict(x);
        REQUIRE(out.allFinite());
    });
    CHECK(count == 0);
    CHECK(loss < TestType(0.01)); // the steps did train
}

TEST_CASE("a fixed-size network with a fixed batch allocates nothing", "[allocation]") {
    ffn::network<ffn::half_squared_error, ffn::dense<4, 8, ffn::sigmoid>,
                 ffn::dense<8, 3, ffn::sigmoid>>
        net;
    using net_type = decltype(net);
    net.layer<0>().weights().setConstant(0.1);
    ffn::workspace<net_type, 16> ws;
    ffn::gradients<net_type> grads;
    ffn::sgd opt(net, 0.1);
    const Eigen::Matrix<double, 4, 16> x = Eigen::Matrix<double, 4, 16>::Constant(0.5);
    const Eigen::Matrix<double, 3, 16> y = Eigen::Matrix<double, 3, 16>::Constant(0.25);
    const long count = allocations_during([&] {
        for (int step = 0; step < 100; ++step) {
            net.forward(x, ws);
            net.backward(ws, y, grads);
            opt.step(net, grads);
        }
    });
    CHECK(count == 0);
}

TEST_CASE("a dynamic-size network allocates only on its first step", "[allocation]") {
    using net_type = ffn::network<ffn::half_squared_error,
                                  ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>,
                                  ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;
    net_type net({5, 7, 3});
    net.layer<0>().weights().setConstant(0.1);
    net.layer<1>().weights().setConstant(-0.2);
    ffn::workspace<net_type, Eigen::Dynamic> ws;
    ffn::gradients<net_type> grads;
    ffn::sgd opt(net, 0.1);
    const Eigen::MatrixXd x = Eigen::MatrixXd::Constant(5, 10, 0.5);
    const Eigen::MatrixXd y = Eigen::MatrixXd::Constant(3, 10, 0.25);
    const auto step = [&] {
        net.forward(x, ws);
        net.backward(ws, y, grads);
        opt.step(net, grads);
    };
    CHECK(allocations_during(step) > 0); // the first step sizes the workspace and gradients
    CHECK(allocations_during([&] {
              for (int i = 0; i < 100; ++i) {
                  step();
              }
          }) == 0);
}

TEMPLATE_TEST_CASE("a fixed-size network allocates nothing in training steps with adam",
                   "[allocation]", float, double) {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, TestType>,
                                  ffn::dense<2, 2, ffn::sigmoid, TestType>>;
    net_type net;
    net.template layer<0>().weights().setConstant(TestType(0.3));
    net.template layer<1>().weights().setConstant(TestType(0.4));
    ffn::workspace<net_type> ws;
    ffn::gradients<net_type> grads;
    const Eigen::Matrix<TestType, 2, 1> x(TestType(0.1), TestType(0.5));
    const Eigen::Matrix<TestType, 2, 1> y(TestType(0.05), TestType(0.95));
    TestType loss{};
    // The optimizer is made inside the counted region too: its moments are fixed-size.
    const long count = allocations_during([&] {
        ffn::adam opt(net, {.learning_rate = 0.05});
        for (int step = 0; step < 1000; ++step) {
            net.forward(x, ws);
            loss = net.loss(ws, y);
            net.backward(ws, y, grads);
            opt.step(net, grads);
        }
        REQUIRE(opt.step_count() == 1000);
    });
    CHECK(count == 0);
    CHECK(loss < TestType(0.01)); // the steps did train
}

TEST_CASE("adamw, rmsprop and sgd with momentum allocate nothing on a fixed-size network",
          "[allocation]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<4, 8, ffn::sigmoid>,
                                  ffn::dense<8, 3, ffn::sigmoid>>;
    net_type net;
    net.layer<0>().weights().setConstant(0.1);
    ffn::workspace<net_type, 16> ws;
    ffn::gradients<net_type> grads;
    const Eigen::Matrix<double, 4, 16> x = Eigen::Matrix<double, 4, 16>::Constant(0.5);
    const Eigen::Matrix<double, 3, 16> y = Eigen::Matrix<double, 3, 16>::Constant(0.25);
    const auto train = [&](auto& opt) {
        for (int step = 0; step < 100; ++step) {
            net.forward(x, ws);
            net.backward(ws, y, grads);
            opt.step(net, grads);
        }
    };
    CHECK(allocations_during([&] {
              ffn::adamw opt(net, {.learning_rate = 0.01});
              train(opt);
          }) == 0);
    CHECK(allocations_during([&] {
              ffn::rmsprop opt(net, {.learning_rate = 0.01, .momentum = 0.9});
              train(opt);
          }) == 0);
    CHECK(allocations_during([&] {
              ffn::sgd opt(net, {.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
              train(opt);
          }) == 0);
}

TEST_CASE("adam on a dynamic-size network allocates only when it is made", "[allocation]") {
    using net_type = ffn::network<ffn::half_squared_error,
                                  ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>,
                                  ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;
    net_type net({5, 7, 3});
    net.layer<0>().weights().setConstant(0.1);
    ffn::workspace<net_type, Eigen::Dynamic> ws;
    ffn::gradients<net_type> grads(net);
    const Eigen::MatrixXd x = Eigen::MatrixXd::Constant(5, 10, 0.5);
    const Eigen::MatrixXd y = Eigen::MatrixXd::Constant(3, 10, 0.25);
    net.forward(x, ws); // sizes the workspace
    net.backward(ws, y, grads);
    std::optional<ffn::adam<net_type>> opt;
    CHECK(allocations_during([&] { opt.emplace(net, ffn::adam_options{}); }) > 0);
    CHECK(allocations_during([&] {
              for (int i = 0; i < 100; ++i) {
                  net.forward(x, ws);
                  net.backward(ws, y, grads);
                  opt->step(net, grads);
              }
          }) == 0);
}
