// SPDX-License-Identifier: MIT
// What the lecture says without printing a number: the chain rule's pieces multiply to the
// gradient, the biases' gradients are right, and repeated steps keep lowering the error.

#include <cmath>

#include "lecture_network.hpp"

TEST_CASE("lecture: the chain-rule factors multiply to each output-layer gradient", "[lecture]") {
    const lecture::pass<double> p;
    const Eigen::Vector2d factor12 =
        p.output_gradient().cwiseProduct(p.derivative<1>()); // dE/dout * dout/dsum
    CHECK(p.out().error_signal(0) == Approx(factor12(0)).epsilon(1e-14));
    CHECK(p.out().error_signal(1) == Approx(factor12(1)).epsilon(1e-14));
    for (int j = 0; j < 2; ++j) {
        for (int i = 0; i < 2; ++i) {
            CHECK(p.grads.layer<1>().weights(j, i) ==
                  Approx(factor12(j) * p.hidden().output(i)).epsilon(1e-14));
        }
    }
}

TEST_CASE("lecture: dE/dw1 is the sum of the E1 and E2 paths", "[lecture]") {
    const lecture::pass<double> p;
    const double common = p.derivative<0>()(0) * p.ws.input()(0);
    const double via_o1 = p.out().error_signal(0) * p.before.layer<1>().weights()(0, 0) * common;
    const double via_o2 = p.out().error_signal(1) * p.before.layer<1>().weights()(1, 0) * common;
    CHECK(p.grads.layer<0>().weights(0, 0) == Approx(via_o1 + via_o2).epsilon(1e-14));
}

TEST_CASE("lecture: the frozen biases keep their values through a step", "[lecture]") {
    const lecture::pass<double> p;
    CHECK(p.net.layer<0>().bias()(0) == 0.25);
    CHECK(p.net.layer<1>().bias()(0) == 0.35);
    CHECK(p.grads.layer<0>().bias(0) != 0.0); // the gradient is still computed
}

namespace {

double loss_with_bias(std::size_t layer, double bias) {
    auto net = lecture::make_network<double>();
    if (layer == 0) {
        net.layer<0>().bias()(0) = bias;
    } else {
        net.layer<1>().bias()(0) = bias;
    }
    ffn::workspace<lecture::network<double>> ws;
    net.forward(lecture::input<double>(), ws);
    return net.loss(ws, lecture::target<double>());
}

} // namespace

TEST_CASE("lecture: the shared bias gradients agree with central differences", "[lecture]") {
    const lecture::pass<double> p;
    const double h = 1e-6;
    const double b1 = 0.25;
    const double b2 = 0.35;
    const double fd1 = (loss_with_bias(0, b1 + h) - loss_with_bias(0, b1 - h)) / (2 * h);
    const double fd2 = (loss_with_bias(1, b2 + h) - loss_with_bias(1, b2 - h)) / (2 * h);
    CHECK(p.grads.layer<0>().bias(0) == Approx(fd1).epsilon(1e-8));
    CHECK(p.grads.layer<1>().bias(0) == Approx(fd2).epsilon(1e-8));
    // A shared bias collects the error signals of all the layer's units.
    CHECK(p.grads.layer<1>().bias(0) == Approx(p.out().error_signal.sum()).epsilon(1e-14));
}

TEST_CASE("lecture: repeated steps keep lowering E_total below 1e-5 within 2,000 steps",
          "[lecture]") {
    auto net = lecture::make_network<double>();
    ffn::workspace<lecture::network<double>> ws;
    ffn::gradients<lecture::network<double>> grads;
    ffn::sgd opt(net, 0.6);
    double previous = 1.0;
    int steps = 0;
    for (; steps < 2000; ++steps) {
        net.forward(lecture::input<double>(), ws);
        const double e = net.loss(ws, lecture::target<double>());
        REQUIRE(e < previous);
        previous = e;
        if (e < 1e-5) {
            break;
        }
        net.backward(ws, lecture::target<double>(), grads);
        opt.step(net, grads);
    }
    INFO("stopped after " << steps << " steps at E_total = " << previous);
    CHECK(previous < 1e-5);
    CHECK(steps < 2000);
}
