// SPDX-License-Identifier: MIT
// What ffn::fit, ffn::evaluate and ffn::accuracy reject, and what they say: bad numbers in the
// data, invalid settings, and a loss that diverges during training.

#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

#include <ffn/activations/identity.hpp>

#include "train_fixtures.hpp"

using train_test::dynamic_double;
using train_test::dynamic_float;
using train_test::fixed_double;
using train_test::fixed_float;

TEMPLATE_TEST_CASE("fit rejects NaN and infinity in the data, naming the sample and row", "[train]",
                   fixed_float, fixed_double, dynamic_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    auto net = TestType::make(1);
    const auto before = net;
    ffn::sgd opt(net, scalar(1));
    const ffn::fit_options<scalar> options{.batch_size = 2, .epochs = 2};
    auto x = TestType::inputs(2);
    auto y = TestType::targets(2);

    SECTION("NaN in the inputs") {
        x(1, 5) = std::numeric_limits<scalar>::quiet_NaN();
        x(0, 6) = std::numeric_limits<scalar>::quiet_NaN(); // a later one is not named
        CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, y, options), std::invalid_argument,
                             Catch::Message("ffn::fit: the inputs hold nan in sample (column) "
                                            "5, row 1; every value must be finite"));
    }
    SECTION("infinity in the targets") {
        y(0, 3) = -std::numeric_limits<scalar>::infinity();
        CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, y, options), std::invalid_argument,
                             Catch::Message("ffn::fit: the targets hold -inf in sample (column) "
                                            "3, row 0; every value must be finite"));
    }
    SECTION("infinity in the validation inputs") {
        auto with_validation = options;
        with_validation.validation = ffn::validation_data<scalar>{x, y};
        with_validation.validation->inputs(0, 2) = std::numeric_limits<scalar>::infinity();
        CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, y, with_validation), std::invalid_argument,
                             Catch::Message("ffn::fit: the validation inputs hold inf in sample "
                                            "(column) 2, row 0; every value must be finite"));
    }
    CHECK(net == before); // nothing was trained
}

TEST_CASE("fit rejects invalid settings, naming the setting", "[train]") {
    using case_type = dynamic_double;
    auto net = case_type::make(1);
    const auto before = net;
    ffn::sgd opt(net, 1.0);
    const auto x = case_type::inputs(2);
    const auto y = case_type::targets(2);
    ffn::fit_options<double> options{.batch_size = 2, .epochs = 2};
    const auto fails_with = [&](std::string_view message) {
        CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, y, options), std::invalid_argument,
                             Catch::Message(std::string(message)));
    };

    SECTION("batch size 0") {
        options.batch_size = 0;
        fails_with("ffn::fit: options.batch_size must be positive, got 0");
    }
    SECTION("negative batch size") {
        options.batch_size = -3;
        fails_with("ffn::fit: options.batch_size must be positive, got -3");
    }
    SECTION("epochs 0") {
        options.epochs = 0;
        fails_with("ffn::fit: options.epochs must be positive, got 0");
    }
    SECTION("validation fraction 1") {
        options.validation_fraction = 1.0;
        fails_with("ffn::fit: options.validation_fraction must be in [0, 1), got 1.000000");
    }
    SECTION("negative validation fraction") {
        options.validation_fraction = -0.25;
        fails_with("ffn::fit: options.validation_fraction must be in [0, 1), got -0.250000");
    }
    SECTION("NaN validation fraction") {
        options.validation_fraction = std::nan("");
        CHECK_THROWS_WITH(ffn::fit(net, opt, x, y, options),
                          Catch::StartsWith("ffn::fit: options.validation_fraction must be in "
                                            "[0, 1), got"));
    }
    SECTION("a validation fraction that holds out nothing") {
        options.validation_fraction = 0.05; // of 8 samples
        fails_with("ffn::fit: options.validation_fraction: ffn::holdout_split: holding out a "
                   "fraction of 0.050000 of 8 samples leaves no sample held out");
    }
    SECTION("validation data and a validation fraction") {
        options.validation_fraction = 0.5;
        options.validation = ffn::validation_data<double>{x, y};
        fails_with("ffn::fit: options.validation and options.validation_fraction are both set; "
                   "give validation samples one way");
    }
    SECTION("negative min_delta") {
        options.early_stopping = ffn::early_stopping_options<double>{.min_delta = -0.1};
        fails_with("ffn::fit: options.early_stopping->min_delta must be finite and "
                   "non-negative, got -0.100000");
    }
    CHECK(net == before);
}

TEST_CASE("fit rejects data that do not fit the network or each other", "[train]") {
    using case_type = fixed_double;
    auto net = case_type::make(1);
    ffn::sgd opt(net, 1.0);
    const ffn::fit_options<double> options{.batch_size = 2};
    const Eigen::MatrixXd x = case_type::inputs(2);
    const Eigen::MatrixXd y = case_type::targets(2);

    CHECK_THROWS_MATCHES(ffn::fit(net, opt, x.leftCols(0), y.leftCols(0), options),
                         std::invalid_argument,
                         Catch::Message("ffn::fit: the inputs have no columns (no samples)"));
    CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, y.leftCols(7), options), std::invalid_argument,
                         Catch::Message("ffn::fit: the inputs have 8 columns (samples), but the "
                                        "targets have 7"));
    CHECK_THROWS_MATCHES(ffn::fit(net, opt, x.topRows(1), y, options), std::invalid_argument,
                         Catch::Message("ffn::fit: the inputs have 1 rows, but the network "
                                        "takes 2 inputs (one row each)"));
    CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, Eigen::MatrixXd::Zero(2, 8), options),
                         std::invalid_argument,
                         Catch::Message("ffn::fit: the targets have 2 rows, but the network "
                                        "gives 1 outputs (one row each)"));
    auto with_validation = options;
    with_validation.validation = ffn::validation_data<double>{x, y.leftCols(3)};
    CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, y, with_validation), std::invalid_argument,
                         Catch::Message("ffn::fit: the validation inputs have 8 columns "
                                        "(samples), but the validation targets have 3"));
}

TEST_CASE("evaluate and accuracy reject bad data and labels out of range", "[train]") {
    using case_type = dynamic_double;
    const auto net = case_type::make(1);
    auto x = case_type::inputs();
    const auto y = case_type::targets();

    CHECK_THROWS_MATCHES(ffn::accuracy(net, x, std::vector<int>{0, 1, 2, 0}), std::invalid_argument,
                         Catch::Message("ffn::accuracy: label 2 of sample 2 is out of range; a "
                                        "network with one output tells classes 0 and 1 apart"));
    CHECK_THROWS_MATCHES(ffn::accuracy(net, x, std::vector<int>{0, -1, 1, 0}),
                         std::invalid_argument,
                         Catch::Message("ffn::accuracy: label -1 of sample 1 is out of range; a "
                                        "network with one output tells classes 0 and 1 apart"));
    CHECK_THROWS_MATCHES(ffn::accuracy(net, x, std::vector<int>{0, 1, 1}), std::invalid_argument,
                         Catch::Message("ffn::accuracy: there are 3 labels for 4 samples (input "
                                        "columns)"));
    CHECK_THROWS_MATCHES(ffn::evaluate(net, x, y.leftCols(2)), std::invalid_argument,
                         Catch::Message("ffn::evaluate: the inputs have 4 columns (samples), but "
                                        "the targets have 2"));
    x(1, 3) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_MATCHES(ffn::evaluate(net, x, y), std::invalid_argument,
                         Catch::Message("ffn::evaluate: the inputs hold nan in sample (column) "
                                        "3, row 1; every value must be finite"));
    CHECK_THROWS_MATCHES(ffn::accuracy(net, x, std::vector<int>{0, 1, 1, 0}), std::invalid_argument,
                         Catch::Message("ffn::accuracy: the inputs hold nan in sample (column) "
                                        "3, row 1; every value must be finite"));

    using three_class = ffn::network<ffn::half_squared_error, ffn::dense<2, 3, ffn::sigmoid>,
                                     ffn::dense<3, 3, ffn::sigmoid>>;
    const three_class net3;
    const Eigen::VectorXi labels = (Eigen::VectorXi(4) << 0, 2, 3, 1).finished();
    CHECK_THROWS_MATCHES(ffn::accuracy(net3, case_type::inputs(), labels), std::invalid_argument,
                         Catch::Message("ffn::accuracy: label 3 of sample 2 is out of range; the "
                                        "network's 3 outputs stand for classes 0 to 2"));
}

namespace {

template <class Scalar, bool Fixed>
using line = ffn::network<
    ffn::half_squared_error,
    ffn::dense<Fixed ? 1 : Eigen::Dynamic, Fixed ? 1 : Eigen::Dynamic, ffn::identity, Scalar>>;

} // namespace

TEMPLATE_TEST_CASE("a diverging loss stops fit with divergence_error naming the epoch and "
                   "batch, and leaves the last finite parameters",
                   "[train]", (line<float, true>), (line<double, false>)) {
    using scalar = typename TestType::scalar_type;
    // w <- w - rate * (w x - y) x with x = 10, y = 0 multiplies w by 1 - 100 rate = -999 a step,
    // so the loss 1/2 (w x)^2 overflows after a few dozen steps (fewer in float).
    TestType net({1, 1});
    net.template layer<0>().weights()(0, 0) = scalar(0.5);
    const Eigen::Matrix<scalar, 1, 3> x = Eigen::Matrix<scalar, 1, 3>::Constant(scalar(10));
    const Eigen::Matrix<scalar, 1, 3> y = Eigen::Matrix<scalar, 1, 3>::Zero();
    ffn::sgd opt(net, scalar(10));
    const ffn::fit_options<scalar> options{.batch_size = 1, .epochs = 1000, .shuffle = false};

    // Find by hand the first batch whose loss is not finite, and the parameters before it.
    TestType by_hand = net;
    TestType before_last_step = net;
    ffn::workspace<TestType> ws;
    ffn::gradients<TestType> grads;
    ffn::sgd opt_by_hand(by_hand, scalar(10));
    std::size_t step = 0;
    for (;; ++step) {
        by_hand.forward(x.col(0), ws);
        if (!std::isfinite(by_hand.loss(ws, y.col(0)))) {
            break;
        }
        by_hand.backward(ws, y.col(0), grads);
        before_last_step = by_hand;
        opt_by_hand.step(by_hand, grads);
    }
    const std::size_t epoch = step / 3;
    const std::size_t batch = step % 3;
    INFO("diverges at step " << step);
    REQUIRE(step > 3);

    bool called = false;
    auto with_callback = options;
    with_callback.on_epoch = [&](const ffn::epoch_record<scalar>&) {
        called = true;
        return ffn::fit_action::continue_training;
    };
    CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, y, with_callback), ffn::divergence_error,
                         Catch::Message("ffn::fit: training diverged at epoch " +
                                        std::to_string(epoch) + ", batch " + std::to_string(batch) +
                                        " (both counted from 0): the training loss became inf; "
                                        "the network keeps the parameters it had before the "
                                        "last step. Try a smaller learning rate or "
                                        "standardised inputs"));
    CHECK(called == (epoch > 0));
    CHECK(net == before_last_step);
    CHECK(std::isfinite(net.template layer<0>().weights()(0, 0)));
    CHECK(std::isfinite(net.template layer<0>().bias()(0)));
}

TEMPLATE_TEST_CASE("a step that overflows the parameters in an epoch's last batch is caught",
                   "[train]", (line<float, true>), (line<double, false>)) {
    using scalar = typename TestType::scalar_type;
    TestType net({1, 1});
    net.template layer<0>().weights()(0, 0) = scalar(1);
    const TestType before = net;
    const Eigen::Matrix<scalar, 1, 1> x(scalar(1000));
    const Eigen::Matrix<scalar, 1, 1> y(scalar(0));
    // The gradient 1000 * 1000 times the largest finite rate overflows: the step leaves
    // -inf in the weight, which no later batch measures.
    ffn::sgd opt(net, std::numeric_limits<scalar>::max());
    CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, y, ffn::fit_options<scalar>{}),
                         ffn::divergence_error,
                         Catch::Message("ffn::fit: training diverged at epoch 0, batch 0 (both "
                                        "counted from 0): a parameter became nan or infinite; "
                                        "the network keeps the parameters it had before the "
                                        "last step. Try a smaller learning rate or "
                                        "standardised inputs"));
    CHECK(net == before);
}
