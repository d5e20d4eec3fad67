// SPDX-License-Identifier: MIT
// Allocation counts for networks of realistic size: the digits data set's 64-32-10 and a
// 784-256-128-10 network. Their large tensors live on the heap even with fixed sizes (see
// detail/storage.hpp), and their products go through Eigen's blocked matrix product, whose
// packing buffers pass Eigen's stack limit (128 KiB): the workspaces keep them
// (ffn::product_space), made when the workspace is made if all sizes are fixed.

#include "counting.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include <ffn/detail/random.hpp>
#include <ffn/ffn.hpp>

namespace {

using allocation::allocations_during;

template <Eigen::Index In, Eigen::Index Out>
using layer = ffn::dense<In, Out, ffn::sigmoid, float>;
constexpr Eigen::Index dynamic = Eigen::Dynamic;

/// Inputs in [0, 1) and one-hot targets, from a fixed seed.
template <class X, class Y>
void fill(X& x, Y& y) {
    ffn::detail::random_engine engine(11);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        x.data()[i] = static_cast<float>(engine.uniform());
    }
    y.setZero();
    for (Eigen::Index c = 0; c < y.cols(); ++c) {
        y(static_cast<Eigen::Index>(engine.below(static_cast<std::uint64_t>(y.rows()))), c) = 1;
    }
}

/// Small random weights, so that the steps below change something.
template <class Net>
void initialise(Net& net) {
    ffn::detail::random_engine engine(5);
    net.visit_tensors([&engine](std::size_t, std::string_view, auto& tensor, bool) {
        for (Eigen::Index i = 0; i < tensor.size(); ++i) {
            tensor.data()[i] = static_cast<float>(0.2 * engine.uniform() - 0.1);
        }
    });
}

/// Allocations during the first `steps` training steps after construction, and during the
/// `steps` after those.
template <class Net, Eigen::Index Batch, class X, class Y>
std::pair<long, long> count_training(Net& net, const X& x, const Y& y, int steps) {
    ffn::workspace<Net, Batch> ws;
    ffn::gradients<Net> grads(net);
    ffn::sgd opt(net, 0.1F);
    const auto train = [&] {
        for (int i = 0; i < steps; ++i) {
            net.forward(x, ws);
            net.backward(ws, y, grads);
            opt.step(net, grads);
        }
    };
    const long first = allocations_during(train);
    const long later = allocations_during(train);
    REQUIRE(ws.output().allFinite());
    return {first, later};
}

} // namespace

TEST_CASE("a fixed-size 64-32-10 network with a fixed batch of 32 never allocates",
          "[allocation]") {
    using net_type = ffn::network<ffn::half_squared_error, layer<64, 32>, layer<32, 10>>;
    net_type net;
    initialise(net);
    const net_type before = net;
    Eigen::MatrixXf x(64, 32);
    Eigen::MatrixXf y(10, 32);
    fill(x, y);
    const auto [first, later] = count_training<net_type, 32>(net, x, y, 10);
    CHECK(first == 0); // the workspace and gradients were sized when they were made
    CHECK(later == 0);
    CHECK_FALSE(net == before); // the steps did train
}

TEST_CASE("a dynamic-size 64-32-10 network allocates only on its first step", "[allocation]") {
    using net_type =
        ffn::network<ffn::half_squared_error, layer<dynamic, dynamic>, layer<dynamic, dynamic>>;
    net_type net({64, 32, 10});
    initialise(net);
    Eigen::MatrixXf x(64, 32);
    Eigen::MatrixXf y(10, 32);
    fill(x, y);
    const auto [first, later] = count_training<net_type, dynamic>(net, x, y, 10);
    CHECK(first > 0);
    CHECK(later == 0);
}

TEST_CASE("a fixed-size 784-256-128-10 network with a fixed batch of 128 never allocates",
          "[allocation]") {
    using net_type =
        ffn::network<ffn::half_squared_error, layer<784, 256>, layer<256, 128>, layer<128, 10>>;
    net_type net;
    initialise(net);
    Eigen::MatrixXf x(784, 128);
    Eigen::MatrixXf y(10, 128);
    fill(x, y);
    const auto [first, later] = count_training<net_type, 128>(net, x, y, 2);
    CHECK(first == 0);
    CHECK(later == 0);
}

TEST_CASE("a dynamic-size 784-256-128-10 network allocates only on its first step",
          "[allocation]") {
    using net_type = ffn::network<ffn::half_squared_error, layer<dynamic, dynamic>,
                                  layer<dynamic, dynamic>, layer<dynamic, dynamic>>;
    net_type net({784, 256, 128, 10});
    initialise(net);
    Eigen::MatrixXf x(784, 128);
    Eigen::MatrixXf y(10, 128);
    fill(x, y);
    const auto [first, later] = count_training<net_type, dynamic>(net, x, y, 2);
    CHECK(first > 0);
    CHECK(later == 0);
}

TEST_CASE("product_space keeps the buffers that Eigen allocates for every large product",
          "[allocation]") {
    const Eigen::MatrixXf w = Eigen::MatrixXf::Random(256, 784);
    const Eigen::MatrixXf x = Eigen::MatrixXf::Random(784, 128);
    Eigen::MatrixXf plain(256, 128);
    Eigen::MatrixXf kept(256, 128);
    // At these sizes Eigen's own product takes its packing buffers from the heap every time.
    CHECK(allocations_during([&] { plain.noalias() = w * x; }) > 0);
    CHECK(allocations_during([&] { plain.noalias() = w * x; }) > 0);
    ffn::product_space<float> space;
    CHECK(allocations_during([&] { space.multiply(kept, w, x); }) > 0); // buffers made
    CHECK(allocations_during([&] {
              for (int i = 0; i < 3; ++i) {
                  space.multiply(kept, w, x);
              }
          }) == 0);
    CHECK(kept == plain);
}

TEST_CASE("fit on a 784-256-128-10 network allocates nothing after its first two epochs, with "
          "one thread and with two",
          "[allocation]") {
    using net_type =
        ffn::network<ffn::categorical_cross_entropy, layer<dynamic, dynamic>,
                     layer<dynamic, dynamic>, ffn::dense<dynamic, dynamic, ffn::softmax, float>>;
    Eigen::MatrixXf x(784, 300);
    Eigen::MatrixXf y(10, 300);
    fill(x, y);
    for (const std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
        INFO("threads " << threads);
        net_type net({784, 256, 128, 10});
        initialise(net);
        // Batches of 128, 128 and 44; with two threads each is split in two blocks.
        REQUIRE(ffn::fit_threads(net, 128, threads) == threads);
        ffn::sgd opt(net, 0.05F);
        // Epochs 0 and 1 size every buffer (each keeps its own copy of the network to undo a
        // divergence); epochs 2 and 3 are counted.
        ffn::fit_options<float> options{.batch_size = 128, .epochs = 4, .seed = 2};
        options.threads = threads;
        long during_epochs_2_and_3 = -1;
        options.on_epoch = [&](const ffn::epoch_record<float>& record) {
            if (record.epoch == 1) {
                allocation::start_counting();
            } else if (record.epoch == 3) {
                during_epochs_2_and_3 = allocation::stop_counting();
            }
            return ffn::fit_action::continue_training;
        };
        const auto history = ffn::fit(net, opt, x, y, options);
        REQUIRE(history.epochs.size() == 4);
        CHECK(std::isfinite(history.epochs.back().training_loss));
        CHECK(during_epochs_2_and_3 == 0);
    }
}

TEST_CASE("predict with an inference workspace on a 784-256-128-10 network allocates only on "
          "its first call",
          "[allocation]") {
    using net_type = ffn::network<ffn::half_squared_error, layer<dynamic, dynamic>,
                                  layer<dynamic, dynamic>, layer<dynamic, dynamic>>;
    net_type net({784, 256, 128, 10});
    initialise(net);
    Eigen::MatrixXf x(784, 128);
    Eigen::MatrixXf y(10, 128);
    fill(x, y);
    ffn::inference_workspace<net_type, dynamic> iws;
    CHECK(allocations_during([&] { net.predict(x, iws); }) > 0); // buffers sized
    CHECK(allocations_during([&] {
              for (int i = 0; i < 3; ++i) {
                  net.predict(x, iws);
              }
          }) == 0);
    CHECK(iws.output() == net.predict(x));
}
