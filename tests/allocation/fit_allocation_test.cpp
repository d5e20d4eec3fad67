// SPDX-License-Identifier: MIT
// ffn::fit allocates nothing in an epoch once the buffers it sizes on first use (batches and
// their workspaces, the validation workspaces, the copies of the parameters it keeps) have
// their sizes: the whole epoch, with validation, accuracy, early stopping, a schedule and a
// callback, runs without touching the heap.

#include "counting.hpp"

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>
#include <ffn/optimizers/sgd.hpp>
#include <ffn/train/fit.hpp>

namespace {

using allocation::start_counting;
using allocation::stop_counting;

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
    ffn::fit_options<double> options{
        .batch_size = 6, .epochs = 5, .seed = 1, .validation_fraction = 0.2, .accuracy = true};
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

TEST_CASE("fit with threads allocates nothing in an epoch once its buffers are sized",
          "[allocation][train]") {
    // 64-256-10 has 19210 parameters: batches of 256 are split into two blocks of 128
    // samples, one per thread, and so is the last batch, of 236 (each block over 2^21
    // parameters x samples).
    using net_type = ffn::network<ffn::categorical_cross_entropy,
                                  ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::relu>,
                                  ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::softmax>>;
    net_type net({64, 256, 10});
    ffn::initialize(net, ffn::he_uniform{}, 5);
    REQUIRE(ffn::fit_threads(net, 256, 2) == 2);
    REQUIRE(ffn::fit_threads(net, 236, 2) == 2);
    Eigen::MatrixXd x = Eigen::MatrixXd::Random(64, 1400);
    Eigen::MatrixXd y = Eigen::MatrixXd::Zero(10, 1400);
    for (Eigen::Index j = 0; j < 1400; ++j) {
        y(j % 10, j) = 1.0;
    }
    ffn::sgd opt(net, 0.05);
    // 1400 samples, 140 for validation: 1260 in batches of 256 (four) and a last one of 236.
    ffn::fit_options<double> options{
        .batch_size = 256, .epochs = 5, .seed = 1, .validation_fraction = 0.1, .accuracy = true};
    options.threads = 2;
    long during_epochs_2_to_4 = -1;
    std::size_t batches = 0;
    options.on_batch = [&batches](const ffn::batch_record<double>&) { ++batches; };
    options.on_epoch = [&](const ffn::epoch_record<double>& record) {
        if (record.epoch == 1) {
            start_counting();
        } else if (record.epoch == 4) {
            during_epochs_2_to_4 = stop_counting();
        }
        return ffn::fit_action::continue_training;
    };
    const auto history = ffn::fit(net, opt, x, y, options);
    REQUIRE(history.epochs.size() == 5);
    CHECK(batches == 5 * 5);
    CHECK(during_epochs_2_to_4 == 0);
}
