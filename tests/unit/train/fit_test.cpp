// SPDX-License-Identifier: MIT
// ffn::fit's core: it learns, it is deterministic, its batches are the documented ones, and a
// step follows the batch's mean gradient.

#include <algorithm>
#include <numeric>
#include <vector>

#include "train_fixtures.hpp"

using train_test::dynamic_double;
using train_test::dynamic_float;
using train_test::fixed_double;
using train_test::fixed_float;

TEMPLATE_TEST_CASE("fit learns XOR with a 2-4-1 sigmoid network", "[train]", fixed_float,
                   fixed_double, dynamic_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    auto net = TestType::make(1);
    const auto x = TestType::inputs();
    const auto y = TestType::targets();
    const scalar before = ffn::evaluate(net, x, y);
    ffn::sgd opt(net, scalar(2));
    const auto history =
        ffn::fit(net, opt, x, y,
                 ffn::fit_options<scalar>{.batch_size = 4, .epochs = 3000, .accuracy = true});
    REQUIRE(history.epochs.size() == 3000);
    CHECK(history.reason == ffn::stop_reason::completed);
    CHECK(history.epochs.front().training_loss == Approx(double(before)).epsilon(1e-5));
    CHECK(history.epochs.back().training_loss < scalar(0.005));
    CHECK(ffn::evaluate(net, x, y) < scalar(0.005));
    CHECK(ffn::accuracy(net, x, std::vector<int>{0, 1, 1, 0}) == 1.0);
    CHECK(*history.epochs.back().training_accuracy == 1.0);
    CHECK_FALSE(history.epochs.back().validation_loss.has_value());
    CHECK(history.epochs.back().learning_rate == scalar(2));
}

TEMPLATE_TEST_CASE("fit is deterministic: the same seed gives bit-identical parameters", "[train]",
                   fixed_float, fixed_double, dynamic_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    const auto x = TestType::inputs(5);
    const auto y = TestType::targets(5);
    const auto train = [&](std::uint64_t seed) {
        auto net = TestType::make(3);
        ffn::sgd opt(net, scalar(0.5));
        const auto h =
            ffn::fit(net, opt, x, y,
                     ffn::fit_options<scalar>{
                         .batch_size = 3, .epochs = 20, .seed = seed, .validation_fraction = 0.25});
        return std::pair(net, h);
    };
    const auto [a, history_a] = train(7);
    const auto [b, history_b] = train(7);
    const auto [c, history_c] = train(8);
    CHECK(a == b);
    CHECK_FALSE(a == c); // another seed orders the samples (and splits them) differently
    REQUIRE(history_a.epochs.size() == history_b.epochs.size());
    for (std::size_t e = 0; e < history_a.epochs.size(); ++e) {
        CHECK(history_a.epochs[e].training_loss == history_b.epochs[e].training_loss);
        CHECK(*history_a.epochs[e].validation_loss == *history_b.epochs[e].validation_loss);
    }
}

namespace {

/// What fit documents, written out by hand: each epoch the training samples in an order drawn
/// from (seed, epoch), in batches of `batch_size`, one step per batch.
template <class Case>
typename Case::net_type train_by_hand(const typename Case::matrix& x,
                                      const typename Case::matrix& y, Eigen::Index batch_size,
                                      std::size_t epochs, std::uint64_t seed, bool shuffle) {
    using scalar = typename Case::scalar;
    auto net = Case::make(5);
    ffn::sgd opt(net, scalar(0.7));
    ffn::workspace<typename Case::net_type, Eigen::Dynamic> ws;
    ffn::gradients<typename Case::net_type> grads;
    std::vector<Eigen::Index> order(static_cast<std::size_t>(x.cols()));
    for (std::size_t epoch = 0; epoch < epochs; ++epoch) {
        std::iota(order.begin(), order.end(), Eigen::Index{0});
        if (shuffle) {
            ffn::detail::random_engine engine(seed, ffn::detail::shuffle_stream + epoch);
            ffn::detail::shuffle(order.begin(), order.size(), engine);
        }
        for (Eigen::Index start = 0; start < x.cols(); start += batch_size) {
            const Eigen::Index count = std::min(batch_size, x.cols() - start);
            typename Case::matrix bx(x.rows(), count);
            typename Case::matrix by(y.rows(), count);
            for (Eigen::Index j = 0; j < count; ++j) {
                bx.col(j) = x.col(order[static_cast<std::size_t>(start + j)]);
                by.col(j) = y.col(order[static_cast<std::size_t>(start + j)]);
            }
            net.forward(bx, ws);
            net.backward(ws, by, grads);
            opt.step(net, grads);
        }
    }
    return net;
}

} // namespace

TEMPLATE_TEST_CASE("fit reshuffles every epoch from the seed and the epoch, and keeps the "
                   "last partial batch as it is",
                   "[train]", fixed_float, fixed_double, dynamic_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    // 10 samples in batches of 4: batches of 4, 4 and 2 samples.
    typename TestType::matrix x = TestType::inputs(3).leftCols(10);
    typename TestType::matrix y = TestType::targets(3).leftCols(10);
    x.row(0) += Eigen::RowVectorX<scalar>::LinSpaced(10, scalar(0), scalar(0.9));
    for (const bool shuffle : {true, false}) {
        INFO("shuffle " << shuffle);
        auto net = TestType::make(5);
        ffn::sgd opt(net, scalar(0.7));
        const auto history = ffn::fit(
            net, opt, x, y,
            ffn::fit_options<scalar>{.batch_size = 4, .epochs = 6, .seed = 11, .shuffle = shuffle});
        CHECK(history.epochs.size() == 6);
        CHECK(net == train_by_hand<TestType>(x, y, 4, 6, 11, shuffle));
        // Padding or dropping the partial batch, or one fixed order, would differ.
        CHECK_FALSE(net == train_by_hand<TestType>(x, y, 4, 6, 11, !shuffle));
        CHECK_FALSE(net == train_by_hand<TestType>(x, y, 5, 6, 11, shuffle));
    }
}

TEMPLATE_TEST_CASE("a batch of n equal samples takes the same step as one of them: the "
                   "learning rate does not scale with the batch size",
                   "[train]", fixed_float, fixed_double, dynamic_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    typename TestType::matrix one(2, 1);
    one << scalar(0.3), scalar(0.8);
    typename TestType::matrix target(1, 1);
    target << scalar(0.9);
    const Eigen::Index n = 7;
    const typename TestType::matrix many = one.replicate(1, n);
    const typename TestType::matrix many_targets = target.replicate(1, n);

    auto single = TestType::make(2);
    auto batched = single;
    const auto before = single;
    ffn::sgd opt_single(single, scalar(0.5));
    ffn::sgd opt_batched(batched, scalar(0.5));
    const ffn::fit_options<scalar> options{.batch_size = n, .epochs = 1};
    (void)ffn::fit(single, opt_single, one, target, options);
    (void)ffn::fit(batched, opt_batched, many, many_targets, options);

    const auto& w_single = single.template layer<0>().weights();
    const auto& w_batched = batched.template layer<0>().weights();
    const auto& w_before = before.template layer<0>().weights();
    REQUIRE((w_single - w_before).norm() > scalar(1e-3)); // a real step was taken
    const scalar tolerance = std::is_same_v<scalar, float> ? scalar(1e-6) : scalar(1e-14);
    for (Eigen::Index i = 0; i < w_single.size(); ++i) {
        CHECK(w_batched(i) == Approx(w_single(i)).margin(tolerance));
    }
    const auto& b_single = single.template layer<1>().bias();
    const auto& b_batched = batched.template layer<1>().bias();
    CHECK(b_batched(0) == Approx(b_single(0)).margin(tolerance));
}

TEST_CASE("fit's training loss is the mean of the batch losses weighted by batch size", "[train]") {
    // Without shuffling, one epoch of batches 4, 4, 2: the record's loss is the sample-weighted
    // mean of the three losses, each measured just before its own step.
    using case_type = dynamic_double;
    typename case_type::matrix x = case_type::inputs(3).leftCols(10);
    typename case_type::matrix y = case_type::targets(3).leftCols(10);
    auto net = case_type::make(4);
    auto by_hand = net;
    ffn::sgd opt(net, 0.9);
    const auto history =
        ffn::fit(net, opt, x, y, ffn::fit_options<double>{.batch_size = 4, .shuffle = false});
    ffn::sgd opt_by_hand(by_hand, 0.9);
    ffn::workspace<case_type::net_type, Eigen::Dynamic> ws;
    ffn::gradients<case_type::net_type> grads;
    double sum = 0;
    for (Eigen::Index start : {0, 4, 8}) {
        const Eigen::Index count = start == 8 ? 2 : 4;
        by_hand.forward(x.middleCols(start, count), ws);
        sum += by_hand.loss(ws, y.middleCols(start, count)) * static_cast<double>(count);
        by_hand.backward(ws, y.middleCols(start, count), grads);
        opt_by_hand.step(by_hand, grads);
    }
    CHECK(history.epochs.at(0).training_loss == Approx(sum / 10).epsilon(1e-14));
    CHECK(net == by_hand);
}
