// SPDX-License-Identifier: MIT
// ffn::batch_predictor: a batch's outputs computed by several threads in chunks of 128 samples
// counted from the first. What is promised: the outputs of each chunk's own `predict`, bit for
// bit, with any number of threads; the rule that decides how many threads share a batch
// (`blocks`); the errors; one const network shared by two predictors running at once. Built
// with the thread tests, which the tsan preset runs under ThreadSanitizer.

#include <cstddef>
#include <latch>
#include <limits>
#include <stdexcept>
#include <thread>

#include <catch2/catch.hpp>

#include <ffn/batch_predictor.hpp>
#include <ffn/detail/random.hpp>
#include <ffn/ffn.hpp>

using Catch::Matchers::Contains;

namespace {

constexpr Eigen::Index dyn = Eigen::Dynamic;

// 64-256-10: 19210 parameters, so a thread needs 437 samples (2^23 / 19210, rounded up).
template <class Scalar>
using wide_net =
    ffn::network<ffn::categorical_cross_entropy, ffn::dense<dyn, dyn, ffn::relu, Scalar>,
                 ffn::dense<dyn, dyn, ffn::softmax, Scalar>>;
// 2-8-1 with fixed sizes: 33 parameters, never worth a second thread.
using small_net = ffn::network<ffn::mean_squared_error, ffn::dense<2, 8, ffn::tanh>,
                               ffn::dense<8, 1, ffn::identity>>;

template <class Scalar>
Eigen::Matrix<Scalar, dyn, dyn> random_matrix(Eigen::Index rows, Eigen::Index cols,
                                              std::uint64_t seed) {
    ffn::detail::random_engine engine(seed);
    Eigen::Matrix<Scalar, dyn, dyn> m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = static_cast<Scalar>(2.0 * engine.uniform() - 1.0);
    }
    return m;
}

/// What the predictor promises: `net.predict` on each chunk of 128 samples in turn.
template <class Net, class Inputs>
typename Net::template output_matrix<dyn> chunk_by_chunk(const Net& net, const Inputs& inputs) {
    typename Net::template output_matrix<dyn> outputs(net.outputs(), inputs.cols());
    ffn::inference_workspace<Net, dyn> ws;
    constexpr Eigen::Index chunk = ffn::batch_predictor<Net>::chunk_size;
    static_assert(chunk == 128);
    for (Eigen::Index start = 0; start < inputs.cols(); start += chunk) {
        const Eigen::Index count = std::min(chunk, inputs.cols() - start);
        outputs.middleCols(start, count) = net.predict(inputs.middleCols(start, count), ws);
    }
    return outputs;
}

} // namespace

TEMPLATE_TEST_CASE("threads: batch_predictor: the same outputs with any number of threads",
                   "[thread]", float, double) {
    wide_net<TestType> net({64, 256, 10});
    ffn::initialize(net, ffn::glorot_uniform{}, 7);
    // 2000 samples: 16 chunks, the last of 80 samples; up to 4 threads by the work rule.
    const auto inputs = random_matrix<TestType>(64, 2000, 8);
    const auto expected = chunk_by_chunk(net, inputs);
    // The whole batch at once sums in another order: equal within rounding only.
    CHECK(expected.isApprox(net.predict(inputs), TestType(1e-5)));

    for (const std::size_t threads : {1U, 2U, 3U, 4U}) {
        ffn::batch_predictor<wide_net<TestType>> predictor(threads);
        REQUIRE(predictor.threads() == threads);
        REQUIRE(predictor.blocks(net, inputs.cols()) == threads);
        CHECK(predictor.predict(net, inputs) == expected);
        // Again with the buffers kept, then a batch of another size, then the first again.
        CHECK(predictor.predict(net, inputs) == expected);
        const auto& part = predictor.predict(net, inputs.rightCols(1777));
        CHECK(part == chunk_by_chunk(net, inputs.rightCols(1777)));
        CHECK(predictor.predict(net, inputs) == expected);
    }
}

TEST_CASE("threads: batch_predictor: an expression is evaluated once, a fixed-size network works",
          "[thread]") {
    small_net net;
    ffn::initialize(net, ffn::glorot_uniform{}, 9);
    const Eigen::MatrixXd inputs = random_matrix<double>(2, 130, 10);
    ffn::batch_predictor<small_net> predictor(2);
    CHECK(predictor.blocks(net, 130) == 1); // 33 parameters: far too little work to share
    const Eigen::MatrixXd doubled = 2 * inputs;
    CHECK(predictor.predict(net, 2 * inputs) == chunk_by_chunk(net, doubled));
    const Eigen::Matrix<double, 2, 3> fixed = inputs.leftCols<3>();
    CHECK(predictor.predict(net, fixed) == chunk_by_chunk(net, inputs.leftCols(3)));
}

TEST_CASE("threads: batch_predictor: the rule for sharing a batch", "[thread]") {
    wide_net<double> net({64, 256, 10}); // 19210 parameters: 437 samples of work per thread
    ffn::batch_predictor<wide_net<double>> eight(8);
    CHECK(eight.threads() == 8);
    CHECK(eight.blocks(net, 0) == 1);
    CHECK(eight.blocks(net, 873) == 1);
    CHECK(eight.blocks(net, 874) == 2);
    CHECK(eight.blocks(net, 1310) == 2);
    CHECK(eight.blocks(net, 1311) == 3);
    CHECK(eight.blocks(net, 100000) == 8);
    // No overflow counting the chunks of the largest batch size.
    CHECK(eight.blocks(net, std::numeric_limits<Eigen::Index>::max()) == 8);
    // No more threads than chunks of 128 samples: a larger network, few samples.
    wide_net<double> big({784, 1024, 10}); // 814090 parameters: 11 samples per thread by work
    CHECK(eight.blocks(big, 128) == 1);
    CHECK(eight.blocks(big, 129) == 2);
    CHECK(eight.blocks(big, 1024) == 8);
    ffn::batch_predictor<wide_net<double>> one(1);
    CHECK(one.blocks(big, 512) == 1);
    ffn::batch_predictor<wide_net<double>> all(0);
    CHECK(all.threads() == std::max(1U, std::thread::hardware_concurrency()));
}

TEST_CASE("threads: batch_predictor: bad inputs are refused before any work", "[thread]") {
    wide_net<double> net({64, 256, 10});
    ffn::batch_predictor<wide_net<double>> predictor(2);
    const Eigen::MatrixXd wrong_rows = Eigen::MatrixXd::Zero(63, 500);
    CHECK_THROWS_WITH(predictor.predict(net, wrong_rows),
                      "ffn::batch_predictor::predict: the inputs have 63 rows, but the network "
                      "expects 64 (one row per input)");
    const Eigen::MatrixXd none(64, 0);
    CHECK_THROWS_WITH(predictor.predict(net, none),
                      "ffn::batch_predictor::predict: the inputs have no columns (no samples)");
    const wide_net<double> empty;
    CHECK_THROWS_AS(predictor.predict(empty, wrong_rows), std::invalid_argument);
    CHECK_THROWS_WITH(predictor.predict(empty, wrong_rows),
                      Contains("ffn::batch_predictor::predict"));
    // Still usable afterwards.
    const Eigen::MatrixXd inputs = random_matrix<double>(64, 500, 11);
    CHECK(predictor.predict(net, inputs) == chunk_by_chunk(net, inputs));
}

TEST_CASE("threads: batch_predictor: two predictors share one const network at once", "[thread]") {
    wide_net<float> built({64, 256, 10});
    ffn::initialize(built, ffn::glorot_uniform{}, 12);
    const wide_net<float>& net = built;
    const auto inputs = random_matrix<float>(64, 900, 13);
    const auto expected = chunk_by_chunk(net, inputs);
    ffn::batch_predictor<wide_net<float>> a(2);
    ffn::batch_predictor<wide_net<float>> b(2);
    bool a_same = true;
    bool b_same = true;
    std::latch start(2);
    std::thread first([&] {
        start.arrive_and_wait();
        for (int r = 0; r < 10; ++r) {
            a_same = a_same && a.predict(net, inputs) == expected;
        }
    });
    std::thread second([&] {
        start.arrive_and_wait();
        for (int r = 0; r < 10; ++r) {
            b_same = b_same && b.predict(net, inputs) == expected;
        }
    });
    first.join();
    second.join();
    CHECK(a_same);
    CHECK(b_same);
}
