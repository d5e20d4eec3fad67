// SPDX-License-Identifier: MIT
// fit_options::on_batch: called once per training step, after it, with the epoch, the batch,
// the batch count, the samples so far and the batch's loss; training is the same with or
// without it.

#include <numeric>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "train_fixtures.hpp"

using train_test::dynamic_double;
using train_test::dynamic_float;
using train_test::fixed_double;
using train_test::fixed_float;

TEMPLATE_TEST_CASE("on_batch is called after every step with the batch's indices and loss",
                   "[train]", fixed_float, fixed_double, dynamic_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    // 10 samples in batches of 4: batches of 4, 4 and 2 samples, 3 an epoch.
    const typename TestType::matrix x = TestType::inputs(3).leftCols(10);
    const typename TestType::matrix y = TestType::targets(3).leftCols(10);
    auto net = TestType::make(4);
    const auto initial = net;
    ffn::sgd opt(net, scalar(0.5));
    ffn::fit_options<scalar> options{.batch_size = 4, .epochs = 5, .seed = 2};
    std::vector<ffn::batch_record<scalar>> seen;
    std::vector<std::size_t> batches_before_epoch_end;
    options.on_batch = [&](const ffn::batch_record<scalar>& r) { seen.push_back(r); };
    options.on_epoch = [&](const ffn::epoch_record<scalar>&) {
        batches_before_epoch_end.push_back(seen.size());
        return ffn::fit_action::continue_training;
    };
    const auto history = ffn::fit(net, opt, x, y, options);
    REQUIRE(history.epochs.size() == 5);
    REQUIRE(seen.size() == 15);
    CHECK(batches_before_epoch_end == std::vector<std::size_t>{3, 6, 9, 12, 15});
    const std::size_t samples[] = {4, 8, 10};
    for (std::size_t i = 0; i < seen.size(); ++i) {
        INFO("call " << i);
        CHECK(seen[i].epoch == i / 3);
        CHECK(seen[i].batch == i % 3);
        CHECK(seen[i].batches == 3);
        CHECK(seen[i].samples == samples[i % 3]);
    }
    // Each epoch's training loss is the mean of its batches' losses, weighted by their sizes,
    // summed in double as fit sums them.
    for (std::size_t e = 0; e < 5; ++e) {
        INFO("epoch " << e);
        double sum = 0;
        for (std::size_t b = 0; b < 3; ++b) {
            sum += static_cast<double>(seen[3 * e + b].loss) * (b < 2 ? 4.0 : 2.0);
        }
        CHECK(static_cast<scalar>(sum / 10.0) == history.epochs[e].training_loss);
        CHECK_FALSE(seen[3 * e].loss == seen[3 * e + 1].loss); // each batch measured its own
    }
    // The first batch's loss is measured before its step: the initial network's loss on the
    // first four samples in epoch 0's order.
    std::vector<Eigen::Index> order(10);
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    ffn::detail::random_engine engine(2, ffn::detail::shuffle_stream);
    ffn::detail::shuffle(order.begin(), order.size(), engine);
    const typename TestType::matrix first_x =
        x(Eigen::all, std::vector<Eigen::Index>(order.begin(), order.begin() + 4));
    const typename TestType::matrix first_y =
        y(Eigen::all, std::vector<Eigen::Index>(order.begin(), order.begin() + 4));
    CHECK(seen[0].loss == Approx(double(ffn::evaluate(initial, first_x, first_y))).epsilon(1e-5));
}

TEMPLATE_TEST_CASE("on_batch does not change training, and without it fit is unchanged", "[train]",
                   fixed_double, dynamic_float) {
    using scalar = typename TestType::scalar;
    const auto x = TestType::inputs(5);
    const auto y = TestType::targets(5);
    const auto train = [&](bool with_callback) {
        auto net = TestType::make(3);
        ffn::sgd opt(net, scalar(0.5));
        ffn::fit_options<scalar> options{
            .batch_size = 3, .epochs = 7, .seed = 5, .validation_fraction = 0.25};
        std::size_t calls = 0;
        if (with_callback) {
            options.on_batch = [&calls](const ffn::batch_record<scalar>&) { ++calls; };
        }
        const auto history = ffn::fit(net, opt, x, y, options);
        return std::tuple(net, history.epochs.back().training_loss, calls);
    };
    const auto [with, with_loss, with_calls] = train(true);
    const auto [without, without_loss, without_calls] = train(false);
    CHECK(with == without);
    CHECK(with_loss == without_loss);
    CHECK(with_calls == 7 * 5); // 15 training samples in batches of 3: 5 an epoch
    CHECK(without_calls == 0);
}

TEST_CASE("an exception from on_batch ends fit and reaches the caller", "[train]") {
    using case_type = fixed_double;
    auto net = case_type::make(1);
    ffn::sgd opt(net, 0.5);
    ffn::fit_options<double> options{.batch_size = 2, .epochs = 3};
    std::size_t calls = 0;
    options.on_batch = [&calls](const ffn::batch_record<double>& r) {
        ++calls;
        if (r.epoch == 1 && r.batch == 1) {
            throw std::runtime_error("stop here");
        }
    };
    CHECK_THROWS_WITH(ffn::fit(net, opt, case_type::inputs(), case_type::targets(), options),
                      "stop here");
    CHECK(calls == 4);
}
