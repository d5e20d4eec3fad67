// SPDX-License-Identifier: MIT
// Allocation counts for the inference pass, `predict(input, ws)` with a reused
// `ffn::inference_workspace`: nothing with fixed sizes (even when large tensors live on the
// heap), nothing after the first call with dynamic sizes, with a layer that keeps its whole
// trace (a softmax output, batch normalisation, dropout) as with one that keeps its outputs.

#include "counting.hpp"

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>

namespace {

using allocation::allocations_during;

} // namespace

TEST_CASE("predict allocates nothing on fixed-size networks", "[allocation]") {
    using small = ffn::network<ffn::mean_squared_error, ffn::dense<16, 64, ffn::sigmoid, float>,
                               ffn::dense<64, 64, ffn::sigmoid, float>,
                               ffn::dense<64, 8, ffn::identity, float>>;
    // 128 x 64 and 128 x 128 floats exceed the fixed-storage limit: heap tensors of fixed size.
    using large =
        ffn::network<ffn::categorical_cross_entropy, ffn::dense<64, 128, ffn::relu, float>,
                     ffn::dense<128, 128, ffn::relu, float>,
                     ffn::dense<128, 10, ffn::softmax, float>>;
    small s;
    large l;
    ffn::initialize(s, ffn::glorot_uniform{}, 1);
    ffn::initialize(l, ffn::glorot_uniform{}, 2);
    ffn::inference_workspace<small> s_ws;
    ffn::inference_workspace<large> l_ws;
    ffn::inference_workspace<large, 32> batch_ws;
    const Eigen::Matrix<float, 16, 1> x = Eigen::Matrix<float, 16, 1>::Random();
    const Eigen::Matrix<float, 64, 1> y = Eigen::Matrix<float, 64, 1>::Random();
    const Eigen::Matrix<float, 64, 32> batch = Eigen::Matrix<float, 64, 32>::Random();
    float total = 0;
    const long count = allocations_during([&] {
        for (int i = 0; i < 200; ++i) {
            total += s.predict(x, s_ws).sum();
            total += l.predict(y, l_ws).sum();
            total += l.predict(batch, batch_ws).sum();
        }
    });
    CHECK(count == 0);
    // 200 softmax columns of y and 200 x 32 of the batch each sum to one.
    CHECK(total - 200 * s_ws.output().sum() == Approx(200.0F * 33.0F).epsilon(1e-3));
}

TEST_CASE("predict on a dynamic network allocates only on its first call", "[allocation]") {
    using net_type =
        ffn::network<ffn::mean_squared_error, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::relu>,
                     ffn::batch_norm<Eigen::Dynamic>, ffn::dropout<Eigen::Dynamic>,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::tanh>>;
    net_type net({6, 20, 20, 20, 3});
    ffn::initialize(net, ffn::glorot_uniform{}, 3);
    ffn::inference_workspace<net_type, Eigen::Dynamic> ws;
    ffn::inference_workspace<net_type> one;
    const Eigen::MatrixXd x = Eigen::MatrixXd::Random(6, 50);
    const auto call = [&] {
        net.predict(x, ws);
        net.predict(x.col(7), one);
    };
    CHECK(allocations_during(call) > 0); // the first call sizes the workspaces
    CHECK(allocations_during([&] {
              for (int i = 0; i < 100; ++i) {
                  call();
              }
          }) == 0);
    CHECK(ws.output().cols() == 50);
    // The same sample alone or in a batch (products of another shape: equal within rounding).
    CHECK(one.output().isApprox(ws.output().col(7), 1e-12));
}

TEST_CASE("batch_predictor allocates nothing after the first batch of a size, with threads",
          "[allocation]") {
    using net_type = ffn::network<ffn::categorical_cross_entropy,
                                  ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::relu, float>,
                                  ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::softmax, float>>;
    net_type net({64, 256, 10});
    ffn::initialize(net, ffn::glorot_uniform{}, 4);
    ffn::batch_predictor<net_type> predictor(2);
    // 1000 samples: 8 chunks, the last of 104 samples, shared by two threads.
    const Eigen::MatrixXf x = Eigen::MatrixXf::Random(64, 1000);
    REQUIRE(predictor.blocks(net, x.cols()) == 2);
    CHECK(allocations_during([&] { predictor.predict(net, x); }) > 0); // buffers sized
    float total = 0;
    CHECK(allocations_during([&] {
              for (int i = 0; i < 20; ++i) {
                  total += predictor.predict(net, x).sum();
              }
          }) == 0);
    // Every softmax column sums to one.
    CHECK(total == Approx(20.0F * 1000.0F).epsilon(1e-3));
}
