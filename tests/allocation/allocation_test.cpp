// SPDX-License-Identifier: MIT
// Counts heap allocations in steady-state training and inference (see counting.hpp). This
// file also replaces the global operator new, once for the whole executable.

#include <optional>

#include "counting.hpp"

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>
#include <ffn/optimizers/adam.hpp>
#include <ffn/optimizers/adamw.hpp>
#include <ffn/optimizers/rmsprop.hpp>
#include <ffn/optimizers/sgd.hpp>
#include <ffn/train/fit.hpp>

// GCC 12 inlines the deletes below into their callers and then reports free() on memory from
// operator new as a mismatch (-Wmismatched-new-delete), although this operator new allocates
// with malloc: the pairing is right by construction.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t size) {
    if (allocation::counting.load()) {
        allocation::new_calls.fetch_add(1);
    }
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t /*size*/) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t /*size*/) noexcept { std::free(p); }

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

namespace {

void start_counting() {
    allocation::eigen_allocations = 0;
    allocation::new_calls = 0;
    Eigen::internal::set_is_malloc_allowed(false);
    allocation::counting = true;
}

long stop_counting() {
    allocation::counting = false;
    Eigen::internal::set_is_malloc_allowed(true);
    return allocation::eigen_allocations.load() + allocation::new_calls.load();
}

using fit_fixed_net = ffn::network<ffn::half_squared_error, ffn::dense<3, 8, ffn::sigmoid>,
                                   ffn::dense<8, 2, ffn::sigmoid>>;
using fit_dynamic_net =
    ffn::network<ffn::half_squared_error, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;

} // namespace

TEMPLATE_TEST_CASE("fit allocates nothing in an epoch once its buffers are sized",
                   "[allocation][train]", fit_fixed_net, fit_dynamic_net) {
    TestType net({3, 8, 2});
    net.template layer<0>().weights().setConstant(0.1);
    net.template layer<1>().weights().setConstant(-0.2);
    // 50 samples, 10 of them for validation; the 40 others in batches of 6, 6, 6, 6, 6, 6, 4.
    Eigen::MatrixXd x(3, 50);
    Eigen::MatrixXd y(2, 50);
    for (Eigen::Index j = 0; j < 50; ++j) {
        const double t = static_cast<double>(j) / 50.0;
        x.col(j) << t, 1.0 - t, t * t;
        y.col(j) << (t < 0.5 ? 1.0 : 0.0), (t < 0.5 ? 0.0 : 1.0);
    }
    ffn::sgd opt(net, 0.5);
    ffn::fit_options<double> options{.batch_size = 6, .epochs = 5, .seed = 1,
                                     .validation_fraction = 0.2, .accuracy = true};
    options.early_stopping = ffn::early_stopping_options<double>{.patience = 100};
    options.schedule = [](std::size_t epoch) { return 0.5 / static_cast<double>(epoch + 1); };
    long during_epochs_2_to_4 = -1;
    options.on_epoch = [&](const ffn::epoch_record<double>& record) {
        if (record.epoch == 1) {
            start_counting(); // epochs 0 and 1 have sized every buffer
        } else if (record.epoch == 4) {
            during_epochs_2_to_4 = stop_counting();
        }
        return ffn::fit_action::continue_training;
    };
    const auto history = ffn::fit(net, opt, x, y, options);
    REQUIRE(history.epochs.size() == 5);
    CHECK(history.epochs.back().validation_accuracy.has_value()); // the epochs measured all
    CHECK(during_epochs_2_to_4 == 0);
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
