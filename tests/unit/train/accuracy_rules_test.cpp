// SPDX-License-Identifier: MIT
// The accuracy rules: several sigmoid outputs against a targets matrix count each output as
// its own yes/no, softmax outputs count one class per sample, labels keep one class per
// sample; accuracy is refused for outputs that are not class scores (ffn::fit throws before
// any epoch, ffn::accuracy does not compile; see tests/compile_fail).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <ffn/activations/identity.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/losses/mean_squared_error.hpp>

#include "train_fixtures.hpp"

namespace {

template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

/// A one-layer network with three outputs, fixed or dynamic sizes, whose sums are its inputs
/// (identity weights, zero biases).
template <class Loss, class Activation, class Scalar, bool Fixed>
struct three_outputs {
    using scalar = Scalar;
    static constexpr Eigen::Index size = Fixed ? 3 : Eigen::Dynamic;
    using net_type = ffn::network<Loss, ffn::dense<size, size, Activation, Scalar>>;
    static net_type make() {
        net_type net({3, 3});
        net.template layer<0>().weights().setIdentity();
        net.template layer<0>().bias().setZero();
        return net;
    }
};

template <class Scalar, bool Fixed>
using multi_label = three_outputs<ffn::binary_cross_entropy, ffn::sigmoid, Scalar, Fixed>;
template <class Scalar, bool Fixed>
using three_classes = three_outputs<ffn::categorical_cross_entropy, ffn::softmax, Scalar, Fixed>;

/// Four samples; an output is a yes (sigmoid >= 0.5) where its input is at least 0.
template <class Scalar>
matrix<Scalar> four_inputs() {
    matrix<Scalar> x(3, 4);
    x << 1, -2, 3, -1, //
        -1, 2, 1, -1,  //
        0, -1, 1, -1;
    return x;
}

} // namespace

static_assert(ffn::detail::gives_class_scores<multi_label<double, true>::net_type>);
static_assert(ffn::detail::decides_each_output<multi_label<double, true>::net_type>);
static_assert(ffn::detail::gives_class_scores<three_classes<double, true>::net_type>);
static_assert(!ffn::detail::decides_each_output<three_classes<double, true>::net_type>);
static_assert(!ffn::detail::gives_class_scores<
              ffn::network<ffn::mean_squared_error, ffn::dense<2, 1, ffn::identity>>>);
static_assert(
    !ffn::detail::gives_class_scores<ffn::network<
        ffn::mean_squared_error, ffn::dense<2, 3, ffn::sigmoid>, ffn::dense<3, 1, ffn::tanh>>>);

TEMPLATE_TEST_CASE("accuracy counts each of several sigmoid outputs as its own yes/no", "[train]",
                   (multi_label<float, true>), (multi_label<double, false>)) {
    using scalar = typename TestType::scalar;
    const auto net = TestType::make();
    const matrix<scalar> x = four_inputs<scalar>();
    // Decisions (output >= 0.5, that is input >= 0) per sample: (yes, no, yes), (no, yes, no),
    // (yes, yes, yes), (no, no, no).
    matrix<scalar> y(3, 4);
    y << 1, 0, 1, 0, //
        0, 1, 0, 0,  //
        1, 1, scalar(0.5), 1;
    // Right per sample: 3 (an output of exactly 0.5 is a yes), 2, 2 (a target of 0.5 is a yes),
    // 2: 9 of 3 x 4 = 12 decisions.
    CHECK(ffn::accuracy(net, x, y) == 0.75);
    CHECK(ffn::accuracy(net, x.leftCols(1), y.leftCols(1)) == 1.0);
    CHECK(ffn::accuracy(net, x.rightCols(1), y.rightCols(1)) == Approx(2.0 / 3.0));
    // Labels still mean one class per sample: the largest output (0, 1, 0, and 0 for the tie).
    CHECK(ffn::accuracy(net, x, std::vector<int>{0, 1, 0, 0}) == 1.0);
    CHECK(ffn::accuracy(net, x, std::vector<int>{0, 1, 2, 1}) == 0.5);
}

TEMPLATE_TEST_CASE("accuracy of softmax outputs against targets: one class per sample", "[train]",
                   (three_classes<double, true>), (three_classes<float, false>)) {
    using scalar = typename TestType::scalar;
    const auto net = TestType::make();
    const matrix<scalar> x = four_inputs<scalar>();
    // Predicted classes: 0, 1, 0, 0 (the largest sum; the first of a tie).
    matrix<scalar> y(3, 4);
    y << 1, 0, scalar(0.6), 0, //
        0, 0, scalar(0.3), 1,  //
        0, 1, scalar(0.1), 0;
    // Target classes 0, 2, 0 (the largest probability), 1: two of four samples.
    CHECK(ffn::accuracy(net, x, y) == 0.5);
    CHECK(ffn::accuracy(net, x, std::vector<int>{0, 2, 0, 1}) == 0.5);
}

TEMPLATE_TEST_CASE("with one sigmoid output, accuracy against targets equals accuracy against "
                   "labels",
                   "[train]", train_test::fixed_float, train_test::dynamic_double) {
    using scalar = typename TestType::scalar;
    const auto x = TestType::inputs(3);
    typename TestType::matrix y = TestType::targets(3);
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        const auto net = TestType::make(seed);
        std::vector<int> labels;
        for (Eigen::Index j = 0; j < y.cols(); ++j) {
            labels.push_back(y(0, j) >= scalar(0.5) ? 1 : 0);
        }
        const double by_labels = ffn::accuracy(net, x, labels);
        CHECK(ffn::accuracy(net, x, y) == by_labels);
        // Soft targets decide by the same threshold.
        const typename TestType::matrix soft =
            (y.array() * scalar(0.5) + scalar(0.25)).matrix(); // 0 -> 0.25, 1 -> 0.75
        CHECK(ffn::accuracy(net, x, soft) == by_labels);
    }
}

TEST_CASE("accuracy against targets rejects data that do not fit, like evaluate", "[train]") {
    const auto net = multi_label<double, false>::make();
    matrix<double> x = four_inputs<double>();
    matrix<double> y = matrix<double>::Zero(3, 4);
    CHECK_THROWS_MATCHES(ffn::accuracy(net, x, y.topRows(2)), std::invalid_argument,
                         Catch::Message("ffn::accuracy: the targets have 2 rows, but the network "
                                        "gives 3 outputs (one row each)"));
    CHECK_THROWS_MATCHES(ffn::accuracy(net, x, y.leftCols(3)), std::invalid_argument,
                         Catch::Message("ffn::accuracy: the inputs have 4 columns (samples), but "
                                        "the targets have 3"));
    y(2, 1) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_MATCHES(ffn::accuracy(net, x, y), std::invalid_argument,
                         Catch::Message("ffn::accuracy: the targets hold nan in sample (column) "
                                        "1, row 2; every value must be finite"));
}

namespace {

/// Trains `net` with accuracy on, counting the epochs that ran, and checks that it is refused
/// before the first one with the message naming `activation`.
template <class Net>
void check_fit_refuses_accuracy(Net net, const std::string& activation) {
    const auto before = net;
    ffn::sgd opt(net, 0.1);
    matrix<double> x(2, 4);
    x << 0, 0, 1, 1, //
        0, 1, 0, 1;
    const matrix<double> y = matrix<double>::Constant(net.outputs(), 4, 0.5);
    std::size_t epochs_run = 0;
    ffn::fit_options<double> options{.batch_size = 2, .epochs = 3, .accuracy = true};
    options.on_epoch = [&epochs_run](const ffn::epoch_record<double>& /*record*/) {
        ++epochs_run;
        return ffn::fit_action::continue_training;
    };
    CHECK_THROWS_MATCHES(ffn::fit(net, opt, x, y, options), std::invalid_argument,
                         Catch::Message("ffn::fit: accuracy needs class scores: the output "
                                        "layer's activation is '" +
                                        activation +
                                        "' (use softmax or sigmoid outputs, or turn accuracy "
                                        "off)"));
    CHECK(epochs_run == 0);
    CHECK(net == before);
    // The same training without accuracy runs.
    options.accuracy = false;
    const auto history = ffn::fit(net, opt, x, y, options);
    CHECK(epochs_run == 3);
    CHECK_FALSE(history.epochs.back().training_accuracy.has_value());
}

} // namespace

TEST_CASE("fit refuses accuracy for outputs that are not class scores, before any epoch",
          "[train]") {
    SECTION("identity outputs with mean_squared_error") {
        ffn::network<ffn::mean_squared_error, ffn::dense<2, 1, ffn::identity>> net;
        net.layer<0>().weights() << 0.5, -0.25;
        check_fit_refuses_accuracy(net, "identity");
    }
    SECTION("a sigmoid hidden layer does not make tanh outputs class scores") {
        ffn::network<ffn::mean_squared_error, ffn::dense<2, 3, ffn::sigmoid>,
                     ffn::dense<3, 2, ffn::tanh>>
            net;
        train_test::fill_uniform(net, 3);
        check_fit_refuses_accuracy(net, "tanh");
    }
    SECTION("dynamic sizes") {
        ffn::network<ffn::mean_squared_error,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::identity>>
            net({2, 1});
        check_fit_refuses_accuracy(net, "identity");
    }
}

TEST_CASE("fit accepts accuracy for several sigmoid outputs", "[train]") {
    auto net = multi_label<double, true>::make();
    ffn::sgd opt(net, 0.1);
    const matrix<double> x = four_inputs<double>();
    const matrix<double> y = matrix<double>::Identity(3, 4);
    const auto history =
        ffn::fit(net, opt, x, y, ffn::fit_options<double>{.epochs = 2, .accuracy = true});
    REQUIRE(history.epochs.size() == 2);
    CHECK(history.epochs.back().training_accuracy.has_value());
}
