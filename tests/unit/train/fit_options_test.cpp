// SPDX-License-Identifier: MIT
// ffn::fit's options: validation samples (split off or given), early stopping, a learning-rate
// schedule, the per-epoch callback and the accuracy metric.

#include <vector>

#include "train_fixtures.hpp"

using train_test::dynamic_double;
using train_test::dynamic_float;
using train_test::fixed_double;
using train_test::fixed_float;

namespace {

/// XOR with a little noise: `copies` noisy copies of the four samples.
template <class Case>
std::pair<typename Case::matrix, typename Case::matrix> noisy_xor(Eigen::Index copies) {
    using scalar = typename Case::scalar;
    typename Case::matrix x = Case::inputs(copies);
    ffn::detail::random_engine engine(99);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        x(i) += static_cast<scalar>(0.2 * (engine.uniform() - 0.5));
    }
    return {x, Case::targets(copies)};
}

} // namespace

TEMPLATE_TEST_CASE("fit sets aside a validation fraction fixed by the seed", "[train]", fixed_float,
                   fixed_double, dynamic_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    const auto [x, y] = noisy_xor<TestType>(10); // 40 samples
    auto net = TestType::make(1);
    ffn::sgd opt(net, scalar(1));
    const auto history = ffn::fit(net, opt, x, y,
                                  ffn::fit_options<scalar>{.batch_size = 8,
                                                           .epochs = 5,
                                                           .seed = 3,
                                                           .validation_fraction = 0.25,
                                                           .accuracy = true});
    REQUIRE(history.epochs.size() == 5);
    const auto split = ffn::holdout_split(40, 0.25, 3);
    REQUIRE(split.held_out.size() == 10);
    const typename TestType::matrix vx = x(Eigen::all, split.held_out);
    const typename TestType::matrix vy = y(Eigen::all, split.held_out);
    // The last record's validation figures are those of the held-out samples after training.
    const auto& last = history.epochs.back();
    REQUIRE(last.validation_loss.has_value());
    CHECK(*last.validation_loss == ffn::evaluate(net, vx, vy));
    std::vector<int> labels;
    for (Eigen::Index j = 0; j < vy.cols(); ++j) {
        labels.push_back(vy(0, j) >= scalar(0.5) ? 1 : 0);
    }
    CHECK(*last.validation_accuracy == ffn::accuracy(net, vx, labels));
    // Training on the kept samples alone, in the same order, gives the same network.
    auto alone = TestType::make(1);
    ffn::sgd opt_alone(alone, scalar(1));
    const typename TestType::matrix kx = x(Eigen::all, split.kept);
    const typename TestType::matrix ky = y(Eigen::all, split.kept);
    (void)ffn::fit(alone, opt_alone, kx, ky,
                   ffn::fit_options<scalar>{.batch_size = 8, .epochs = 5, .seed = 3});
    CHECK(alone == net);
}

TEST_CASE("holdout_split holds out floor(fraction * n) samples, fixed by the seed", "[train]") {
    const auto a = ffn::holdout_split(569, 0.2, 42);
    const auto b = ffn::holdout_split(569, 0.2, 42);
    const auto c = ffn::holdout_split(569, 0.2, 43);
    CHECK(a.held_out.size() == 113);
    CHECK(a.kept.size() == 456);
    CHECK(a.held_out == b.held_out);
    CHECK(a.held_out != c.held_out);
    std::vector<Eigen::Index> all = a.kept;
    all.insert(all.end(), a.held_out.begin(), a.held_out.end());
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size(); ++i) {
        REQUIRE(all[i] == static_cast<Eigen::Index>(i)); // a partition of 0 .. 568
    }
    CHECK(std::is_sorted(a.held_out.begin(), a.held_out.end()));
    CHECK(ffn::holdout_split(5, 0.0, 1).held_out.empty());
    CHECK_THROWS_WITH(ffn::holdout_split(5, 0.1, 1), Catch::Contains("leaves no sample held out"));
    CHECK_THROWS_WITH(ffn::holdout_split(5, 1.0, 1), Catch::Contains("must be in [0, 1)"));
    CHECK_THROWS_WITH(ffn::holdout_split(0, 0.5, 1), Catch::Contains("must be positive"));
}

TEMPLATE_TEST_CASE("fit measures given validation data after every epoch", "[train]", fixed_double,
                   dynamic_float) {
    using scalar = typename TestType::scalar;
    const auto [x, y] = noisy_xor<TestType>(4);
    auto net = TestType::make(2);
    ffn::sgd opt(net, scalar(1));
    ffn::fit_options<scalar> options{.batch_size = 4, .epochs = 3, .accuracy = true};
    options.validation = ffn::validation_data<scalar>{TestType::inputs(), TestType::targets()};
    std::vector<scalar> seen;
    options.on_epoch = [&](const ffn::epoch_record<scalar>& r) {
        seen.push_back(*r.validation_loss);
        return ffn::fit_action::continue_training;
    };
    const auto history = ffn::fit(net, opt, x, y, options);
    REQUIRE(seen.size() == 3);
    CHECK(seen.back() == ffn::evaluate(net, TestType::inputs(), TestType::targets()));
    CHECK(*history.epochs.back().validation_accuracy ==
          ffn::accuracy(net, TestType::inputs(), std::vector<int>{0, 1, 1, 0}));
    CHECK(seen[0] == *history.epochs[0].validation_loss);
}

TEMPLATE_TEST_CASE("early stopping stops after `patience` epochs without improvement and "
                   "restores the best parameters",
                   "[train]", fixed_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    // Training pulls every output towards 0 while the validation targets are 1, so the
    // validation loss rises from the first epoch on: epoch 0 is the best.
    const typename TestType::matrix x = TestType::inputs(2);
    const typename TestType::matrix y = TestType::matrix::Zero(1, 8);
    ffn::fit_options<scalar> options{.batch_size = 8, .epochs = 100};
    options.validation = ffn::validation_data<scalar>{x, TestType::matrix::Ones(1, 8)};
    options.early_stopping = ffn::early_stopping_options<scalar>{.patience = 3};

    auto net = TestType::make(1);
    ffn::sgd opt(net, scalar(0.5));
    const auto history = ffn::fit(net, opt, x, y, options);
    CHECK(history.reason == ffn::stop_reason::early_stopping);
    REQUIRE(history.best_epoch.has_value());
    CHECK(*history.best_epoch == 0);
    CHECK(history.epochs.size() == 5); // epoch 0, then 1, 2, 3 tolerated, 4 stops
    for (std::size_t e = 1; e < history.epochs.size(); ++e) {
        CHECK(*history.epochs[e].validation_loss > *history.epochs[e - 1].validation_loss);
    }
    // The network is the one after epoch 0.
    auto one_epoch = TestType::make(1);
    ffn::sgd opt_one(one_epoch, scalar(0.5));
    (void)ffn::fit(one_epoch, opt_one, x, y, ffn::fit_options<scalar>{.batch_size = 8});
    CHECK(net == one_epoch);

    SECTION("without restore_best the network is the one of the last epoch") {
        options.early_stopping->restore_best = false;
        auto last = TestType::make(1);
        ffn::sgd opt_last(last, scalar(0.5));
        (void)ffn::fit(last, opt_last, x, y, options);
        auto five_epochs = TestType::make(1);
        ffn::sgd opt_five(five_epochs, scalar(0.5));
        (void)ffn::fit(five_epochs, opt_five, x, y,
                       ffn::fit_options<scalar>{.batch_size = 8, .epochs = 5});
        CHECK(last == five_epochs);
    }
}

TEST_CASE("early stopping watches the training loss without validation data, with min_delta",
          "[train]") {
    using case_type = dynamic_double;
    const auto x = case_type::inputs(2);
    const auto y = case_type::targets(2);
    auto net = case_type::make(1);
    ffn::sgd opt(net, 0.5);
    // The training loss falls, but by less than 1 an epoch: no epoch after the first counts.
    ffn::fit_options<double> options{.batch_size = 8, .epochs = 50};
    options.early_stopping = ffn::early_stopping_options<double>{.patience = 2, .min_delta = 1.0};
    const auto history = ffn::fit(net, opt, x, y, options);
    CHECK(history.reason == ffn::stop_reason::early_stopping);
    CHECK(history.epochs.size() == 4);
    CHECK(*history.best_epoch == 0);
    CHECK(history.epochs[3].training_loss < history.epochs[0].training_loss);
    CHECK_FALSE(history.epochs[0].validation_loss.has_value());

    // Without min_delta every falling epoch is an improvement: all 50 run.
    auto net2 = case_type::make(1);
    ffn::sgd opt2(net2, 0.5);
    options.early_stopping->min_delta = 0;
    const auto full = ffn::fit(net2, opt2, x, y, options);
    CHECK(full.reason == ffn::stop_reason::completed);
    CHECK(full.epochs.size() == 50);
    CHECK(*full.best_epoch == 49);
}

namespace {

struct halving_schedule {
    double initial;
    [[nodiscard]] double learning_rate(std::size_t epoch) const {
        return initial / static_cast<double>(std::size_t{1} << epoch);
    }
};

} // namespace

TEMPLATE_TEST_CASE("a schedule sets the learning rate before each epoch", "[train]", fixed_float,
                   dynamic_double) {
    using scalar = typename TestType::scalar;
    const auto x = TestType::inputs();
    const auto y = TestType::targets();
    auto net = TestType::make(1);
    ffn::sgd opt(net, scalar(1));
    ffn::fit_options<scalar> options{.batch_size = 4, .epochs = 4, .shuffle = false};
    options.use_schedule(halving_schedule{0.8});
    const auto history = ffn::fit(net, opt, x, y, options);
    REQUIRE(history.epochs.size() == 4);
    CHECK(history.epochs[0].learning_rate == scalar(0.8));
    CHECK(history.epochs[1].learning_rate == scalar(0.4));
    CHECK(history.epochs[3].learning_rate == scalar(0.1));
    CHECK(opt.learning_rate() == scalar(0.1));

    // The same steps by hand, one epoch (one batch) at a time.
    auto by_hand = TestType::make(1);
    for (const double rate : {0.8, 0.4, 0.2, 0.1}) {
        ffn::sgd step_opt(by_hand, static_cast<scalar>(rate));
        (void)ffn::fit(by_hand, step_opt, x, y,
                       ffn::fit_options<scalar>{.batch_size = 4, .shuffle = false});
    }
    CHECK(net == by_hand);

    SECTION("a plain function works too") {
        options.schedule = [](std::size_t epoch) { return epoch < 2 ? scalar(0.5) : scalar(0.25); };
        (void)ffn::fit(net, opt, x, y, options);
        CHECK(opt.learning_rate() == scalar(0.25));
    }
}

TEST_CASE("the per-epoch callback sees every epoch in order and can stop training", "[train]") {
    using case_type = fixed_double;
    const auto x = case_type::inputs();
    const auto y = case_type::targets();
    auto net = case_type::make(1);
    ffn::sgd opt(net, 1.0);
    std::vector<std::size_t> epochs;
    std::vector<double> losses;
    ffn::fit_options<double> options{.batch_size = 2, .epochs = 100};
    options.on_epoch = [&](const ffn::epoch_record<double>& r) {
        epochs.push_back(r.epoch);
        losses.push_back(r.training_loss);
        return r.epoch == 6 ? ffn::fit_action::stop_training : ffn::fit_action::continue_training;
    };
    const auto history = ffn::fit(net, opt, x, y, options);
    CHECK(history.reason == ffn::stop_reason::callback);
    CHECK(epochs == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6});
    REQUIRE(history.epochs.size() == 7);
    for (std::size_t e = 0; e < 7; ++e) {
        CHECK(history.epochs[e].training_loss == losses[e]);
        CHECK_FALSE(history.epochs[e].training_accuracy.has_value()); // accuracy is off
    }
}
