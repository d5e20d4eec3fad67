// SPDX-License-Identifier: MIT
// The cross-entropy losses inside ffn::network: the network accepts the output layers they
// need and computes the loss and the error signal through the fused forms, which stay exact
// where the unfused ones would be clamped.

#include <catch2/catch.hpp>

#include <ffn/activations/identity.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/losses/huber.hpp>
#include <ffn/losses/mean_squared_error.hpp>
#include <ffn/network.hpp>

namespace {
using binary_net = ffn::network<ffn::binary_cross_entropy, ffn::dense<2, 3, ffn::tanh>,
                                ffn::dense<3, 1, ffn::sigmoid>>;
using binary_dynamic_net = ffn::network<ffn::binary_cross_entropy,
                                        ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;
using categorical_net =
    ffn::network<ffn::categorical_cross_entropy, ffn::dense<2, 3, ffn::softmax>>;
using categorical_dynamic_net =
    ffn::network<ffn::categorical_cross_entropy,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::softmax>>;
using huber_net = ffn::network<ffn::huber, ffn::dense<2, 2, ffn::identity>>;
} // namespace

// Complete types: the losses' output-layer checks pass for these.
static_assert(sizeof(binary_net) > 0);
static_assert(sizeof(binary_dynamic_net) > 0);
static_assert(sizeof(categorical_net) > 0);
static_assert(sizeof(categorical_dynamic_net) > 0);
static_assert(sizeof(huber_net) > 0);

TEST_CASE("a binary_cross_entropy network computes its loss from the logits", "[loss]") {
    ffn::network<ffn::binary_cross_entropy, ffn::dense<2, 1, ffn::sigmoid>> net;
    net.layer<0>().weights() << 600, 400; // sum = 1000 for the input (1, 1)
    const Eigen::Vector2d input(1, 1);
    Eigen::Matrix<double, 1, 1> target;
    target << 0;
    ffn::workspace<decltype(net)> ws;
    ffn::gradients<decltype(net)> grads;
    net.forward(input, ws);
    // The output is 1 exactly; the unfused loss would be clamped to 100.
    CHECK(ws.output()(0) == 1.0);
    CHECK(net.loss(ws, target) == Approx(1000.0));
    net.backward(ws, target, grads);
    CHECK(ws.layer<0>().error_signal(0) == Approx(1.0)); // sigma(1000) - 0
    CHECK(grads.layer<0>().weights(0, 0) == Approx(1.0));
    CHECK(grads.layer<0>().bias(0) == Approx(1.0));
}

TEST_CASE("a categorical_cross_entropy network computes its loss from the logits", "[loss]") {
    categorical_net net;
    net.layer<0>().weights() << 1000, 0, //
        -1000, 0,                        //
        0, 0;
    Eigen::Matrix<double, 2, 2> input;
    input << 1, 0.5, //
        0, 0;
    Eigen::Matrix<double, 3, 2> target;
    target << 0, 1, //
        1, 0,       //
        0, 0;
    ffn::workspace<categorical_net, 2> ws;
    ffn::gradients<categorical_net> grads;
    net.forward(input, ws);
    // Sums (1000, -1000, 0) and (500, -500, 0); the targets' logits lose by 2000 and win.
    CHECK(net.loss(ws, target) == Approx((2000.0 + 0.0) / 2));
    net.backward(ws, target, grads);
    REQUIRE(ws.layer<0>().error_signal.allFinite());
    // (p - y) / 2 for p = (1, 0, 0) in both columns.
    CHECK(ws.layer<0>().error_signal(0, 0) == Approx(0.5));
    CHECK(ws.layer<0>().error_signal(1, 0) == Approx(-0.5));
    CHECK(ws.layer<0>().error_signal(0, 1) == Approx(0.0).margin(1e-300));
    CHECK(grads.layer<0>().weights.allFinite());
}

TEST_CASE("networks with dynamic output sizes accept the cross-entropy losses", "[loss]") {
    binary_dynamic_net binary({3, 1});
    CHECK(binary.outputs() == 1);
    categorical_dynamic_net categorical({3, 4});
    const Eigen::Vector3d input(0.5, -0.5, 1);
    const Eigen::VectorXd p = categorical.predict(input);
    CHECK(p.sum() == Approx(1.0));
    CHECK(p.isApprox(Eigen::VectorXd::Constant(4, 0.25))); // zero weights: uniform
}
