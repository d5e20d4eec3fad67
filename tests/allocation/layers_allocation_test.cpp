// SPDX-License-Identifier: MIT
// Dropout and batch normalisation with fixed sizes allocate nothing in a training step
// (training-mode forward, backward, update) or in inference.

#include "counting.hpp"

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>

TEMPLATE_TEST_CASE("dropout and batch_norm allocate nothing in a training step", "[allocation]",
                   float, double) {
    using net_type =
        ffn::network<ffn::half_squared_error, ffn::dense<3, 8, ffn::identity, TestType>,
                     ffn::batch_norm<8, ffn::relu, TestType>, ffn::dropout<8, TestType>,
                     ffn::dense<8, 2, ffn::identity, TestType>>;
    net_type net;
    ffn::initialize(net, ffn::glorot_uniform{}, 1);
    net.template layer<2>().set_probability(0.25);
    ffn::workspace<net_type, 16> ws;
    ffn::gradients<net_type> grads;
    ffn::adam opt(net, TestType(0.01));
    const Eigen::Matrix<TestType, 3, 16> x = Eigen::Matrix<TestType, 3, 16>::Random();
    const Eigen::Matrix<TestType, 2, 16> y = Eigen::Matrix<TestType, 2, 16>::Random();
    ffn::training mode(4);
    TestType loss{};
    const long count = allocation::allocations_during([&] {
        for (int step = 0; step < 200; ++step) {
            net.forward(x, ws, mode);
            loss = net.loss(ws, y);
            net.backward(ws, y, grads);
            opt.step(net, grads);
        }
    });
    CHECK(count == 0);
    CHECK(std::isfinite(loss));
    CHECK(net.template layer<1>().num_batches_tracked() == 200);

    ffn::workspace<net_type, 16> inference;
    const long inference_count = allocation::allocations_during([&] {
        for (int step = 0; step < 100; ++step) {
            net.forward(x, inference);
        }
    });
    CHECK(inference_count == 0);
    CHECK(inference.output().allFinite());
}
