// SPDX-License-Identifier: MIT
// ffn's metrics against values worked out by hand: mean absolute error, root mean squared
// error and R^2 (one and several outputs, constant targets), the confusion matrix and the
// classification report (per class, averages, classes never predicted or never true), on
// values and on networks, and every error they report.

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <ffn/activations/identity.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/losses/mean_squared_error.hpp>
#include <ffn/network.hpp>
#include <ffn/train/metrics.hpp>

namespace {

template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

template <class Scalar>
matrix<Scalar> row_of(std::initializer_list<Scalar> values) {
    matrix<Scalar> m(1, static_cast<Eigen::Index>(values.size()));
    Eigen::Index i = 0;
    for (const Scalar v : values) {
        m(0, i++) = v;
    }
    return m;
}

// Exact to 1e-12 (relative), for values worked out by hand as fractions.
Approx exactly(double value) { return Approx(value).epsilon(1e-12).margin(1e-15); }

void check_scores(const ffn::class_scores& s, double precision, double recall, double f1,
                  long long support) {
    CHECK(s.precision == exactly(precision));
    CHECK(s.recall == exactly(recall));
    CHECK(s.f1 == exactly(f1));
    CHECK(s.support == support);
}

// output = 2 input + 1, whatever the scalar.
template <class Scalar>
using line_net = ffn::network<ffn::mean_squared_error, ffn::dense<1, 1, ffn::identity, Scalar>>;

template <class Scalar>
line_net<Scalar> make_line() {
    line_net<Scalar> net;
    net.template layer<0>().weights()(0, 0) = Scalar(2);
    net.template layer<0>().bias()(0) = Scalar(1);
    return net;
}

// Three softmax outputs, sums W x with W = [[1, 0], [0, 1], [-1, -1]] and no bias: class 0
// when x1 is the larger input, 1 when x2 is, 2 when both are negative enough.
using softmax_net = ffn::network<ffn::categorical_cross_entropy, ffn::dense<2, 3, ffn::softmax>>;

softmax_net make_softmax_net() {
    softmax_net net;
    net.layer<0>().weights() << 1, 0, 0, 1, -1, -1;
    return net;
}

// Sums (2, 0, -2), (0, 2, -2), (-1, -1, 2), (1, 0.5, -1.5), (0.2, 0.9, -1.1): predicted
// classes 0, 1, 2, 0, 1.
Eigen::Matrix<double, 2, 5> softmax_inputs() {
    Eigen::Matrix<double, 2, 5> x;
    x << 2, 0, -1, 1, 0.2, 0, 2, -1, 0.5, 0.9;
    return x;
}

} // namespace

TEMPLATE_TEST_CASE("regression metrics of one output, worked by hand", "[metrics]", float, double) {
    using scalar = TestType;
    const double tolerance = std::is_same_v<scalar, float> ? 1e-6 : 1e-14;
    const auto predictions = row_of<scalar>({1, 2, 3});
    const auto targets = row_of<scalar>({1, 3, 5});
    // Errors 0, 1, 2: MAE = 3/3 = 1; RMSE = sqrt((0 + 1 + 4)/3) = sqrt(5/3).
    CHECK(ffn::mean_absolute_error(predictions, targets) == Approx(1.0).epsilon(tolerance));
    CHECK(ffn::root_mean_squared_error(predictions, targets) ==
          Approx(std::sqrt(5.0 / 3.0)).epsilon(tolerance));
    // Targets' mean 3: SS_tot = 4 + 0 + 4 = 8, SS_res = 5, R^2 = 1 - 5/8 = 0.375.
    CHECK(ffn::r2_score(predictions, targets) == Approx(0.375).epsilon(tolerance));
    // Swapped, the targets' mean is 2: SS_tot = 1 + 0 + 1 = 2, R^2 = 1 - 5/2 = -1.5.
    CHECK(ffn::r2_score(targets, predictions) == Approx(-1.5).epsilon(tolerance));
    // A perfect prediction.
    CHECK(ffn::mean_absolute_error(targets, targets) == 0.0);
    CHECK(ffn::root_mean_squared_error(targets, targets) == 0.0);
    CHECK(ffn::r2_score(targets, targets) == 1.0);
}

TEST_CASE("regression metrics average several outputs uniformly", "[metrics]") {
    // Output 0 as above; output 1 predicts 2, 2, 2 for targets 1, 2, 3 (errors 1, 0, 1).
    Eigen::Matrix<double, 2, 3> predictions;
    predictions << 1, 2, 3, 2, 2, 2;
    Eigen::Matrix<double, 2, 3> targets;
    targets << 1, 3, 5, 1, 2, 3;
    // MAE: (1 + 2/3) / 2 = 5/6.
    CHECK(ffn::mean_absolute_error(predictions, targets) == exactly(5.0 / 6.0));
    // RMSE: the mean of the outputs' roots, (sqrt(5/3) + sqrt(2/3)) / 2, not the root of the
    // mean squared error over both, sqrt(7/6).
    CHECK(ffn::root_mean_squared_error(predictions, targets) ==
          exactly((std::sqrt(5.0 / 3.0) + std::sqrt(2.0 / 3.0)) / 2));
    // R^2 of output 1: mean 2, SS_tot = 2, SS_res = 2, so 0; the mean is 0.375 / 2.
    CHECK(ffn::r2_score(predictions, targets) == exactly(0.1875));
    // Expressions and blocks are taken as they are.
    CHECK(ffn::mean_absolute_error(predictions.row(1), targets.row(1)) == exactly(2.0 / 3.0));
    CHECK(ffn::r2_score(predictions.transpose().transpose(), targets) == exactly(0.1875));
}

TEST_CASE("r2_score of constant targets follows scikit-learn: 1 if perfect, else 0", "[metrics]") {
    CHECK(ffn::r2_score(row_of<double>({4, 4, 4}), row_of<double>({4, 4, 4})) == 1.0);
    CHECK(ffn::r2_score(row_of<double>({4, 4, 5}), row_of<double>({4, 4, 4})) == 0.0);
    CHECK(ffn::r2_score(row_of<double>({-9, 0, 9}), row_of<double>({4, 4, 4})) == 0.0);
    // The mean of three 0.1s is 0.10000000000000002, so SS_tot computed from the mean is about
    // 1e-34, not 0: a score from it would be near -3e32. The targets count as constant.
    CHECK((Eigen::RowVector3d(0.1, 0.1, 0.1).mean() != 0.1));
    CHECK(ffn::r2_score(row_of<double>({0.1, 0.1, 0.2}), row_of<double>({0.1, 0.1, 0.1})) == 0.0);
    CHECK(ffn::r2_score(row_of<double>({0.1, 0.1, 0.1}), row_of<double>({0.1, 0.1, 0.1})) == 1.0);
    // Averaged with a varying output: (0.375 + 1) / 2.
    Eigen::Matrix<double, 2, 3> predictions;
    predictions << 1, 2, 3, 7, 7, 7;
    Eigen::Matrix<double, 2, 3> targets;
    targets << 1, 3, 5, 7, 7, 7;
    CHECK(ffn::r2_score(predictions, targets) == exactly(0.6875));
    predictions(1, 2) = 8; // no longer perfect: (0.375 + 0) / 2
    CHECK(ffn::r2_score(predictions, targets) == exactly(0.1875));
}

TEMPLATE_TEST_CASE("regression metrics of a network predict first", "[metrics]", float, double) {
    using scalar = TestType;
    const double tolerance = std::is_same_v<scalar, float> ? 1e-6 : 1e-14;
    const auto net = make_line<scalar>();
    // Outputs 1, 3, 5 for targets 1, 2, 3: errors 0, 1, 2; the targets' mean is 2, SS_tot = 2,
    // SS_res = 5, R^2 = -1.5.
    const auto inputs = row_of<scalar>({0, 1, 2});
    const auto targets = row_of<scalar>({1, 2, 3});
    CHECK(ffn::mean_absolute_error(net, inputs, targets) == Approx(1.0).epsilon(tolerance));
    CHECK(ffn::root_mean_squared_error(net, inputs, targets) ==
          Approx(std::sqrt(5.0 / 3.0)).epsilon(tolerance));
    CHECK(ffn::r2_score(net, inputs, targets) == Approx(-1.5).epsilon(tolerance));

    // 600 samples: two full chunks of 256 and a partial one, against the values on predict's
    // outputs.
    matrix<scalar> x(1, 600);
    matrix<scalar> y(1, 600);
    for (Eigen::Index i = 0; i < x.cols(); ++i) {
        x(0, i) = static_cast<scalar>(i % 17) / scalar(8);
        y(0, i) = static_cast<scalar>(i % 5);
    }
    const matrix<scalar> outputs = net.predict(x);
    CHECK(ffn::mean_absolute_error(net, x, y) == ffn::mean_absolute_error(outputs, y));
    CHECK(ffn::root_mean_squared_error(net, x, y) == ffn::root_mean_squared_error(outputs, y));
    CHECK(ffn::r2_score(net, x, y) == ffn::r2_score(outputs, y));
}

TEST_CASE("regression metrics refuse bad data, naming the function and the problem", "[metrics]") {
    const auto three = row_of<double>({1, 2, 3});
    const matrix<double> two_rows = matrix<double>::Zero(2, 3);
    CHECK_THROWS_WITH(ffn::mean_absolute_error(three, two_rows),
                      "ffn::mean_absolute_error: the predictions are 1 x 3 (outputs x samples), "
                      "but the targets are 2 x 3");
    CHECK_THROWS_WITH(ffn::root_mean_squared_error(three, row_of<double>({1, 2})),
                      "ffn::root_mean_squared_error: the predictions are 1 x 3 (outputs x "
                      "samples), but the targets are 1 x 2");
    const matrix<double> no_samples(1, 0);
    CHECK_THROWS_WITH(ffn::r2_score(no_samples, no_samples),
                      "ffn::r2_score: the predictions and targets have no columns (no samples)");
    const matrix<double> no_outputs(0, 3);
    CHECK_THROWS_WITH(ffn::mean_absolute_error(no_outputs, no_outputs),
                      "ffn::mean_absolute_error: the predictions and targets have no rows (no "
                      "outputs)");
    auto bad = three;
    bad(0, 1) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(ffn::mean_absolute_error(bad, three),
                      "ffn::mean_absolute_error: the predictions hold nan in sample (column) 1, "
                      "row 0; every value must be finite");
    bad(0, 1) = -std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH(ffn::r2_score(three, bad), "ffn::r2_score: the targets hold -inf in sample "
                                                 "(column) 1, row 0; every value must be finite");
    CHECK_THROWS_WITH(ffn::r2_score(three.col(0), three.col(0)),
                      "ffn::r2_score: R^2 needs at least two samples (columns), got 1");
    // The network forms check the network, inputs and targets first.
    const auto net = make_line<double>();
    CHECK_THROWS_WITH(ffn::root_mean_squared_error(net, two_rows, three),
                      "ffn::root_mean_squared_error: the inputs have 2 rows, but the network "
                      "takes 1 inputs (one row each)");
    CHECK_THROWS_WITH(ffn::r2_score(net, three, two_rows),
                      "ffn::r2_score: the targets have 2 rows, but the network gives 1 outputs "
                      "(one row each)");
    CHECK_THROWS_WITH(ffn::mean_absolute_error(net, three, bad),
                      "ffn::mean_absolute_error: the targets hold -inf in sample (column) 1, row "
                      "0; every value must be finite");
    const ffn::network<ffn::mean_squared_error,
                       ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::identity>>
        empty;
    CHECK_THROWS_WITH(ffn::mean_absolute_error(empty, three, three),
                      Catch::StartsWith("ffn::mean_absolute_error: layer 0: the layer is empty"));
}

TEST_CASE("confusion matrix and report of three classes, worked by hand", "[metrics]") {
    const std::vector<int> truth{0, 0, 0, 1, 1, 2, 2, 2, 2, 2};
    const std::vector<int> predicted{0, 0, 1, 1, 2, 2, 2, 2, 0, 1};
    // Rows are the true classes, columns the predicted ones.
    Eigen::MatrixX<long long> expected(3, 3);
    expected << 2, 1, 0, //
        0, 1, 1,         //
        1, 1, 3;
    const auto counts = ffn::confusion_matrix(predicted, truth);
    CHECK(counts == expected);
    // Given the class count, a class nobody has or gets adds a row and column of zeros.
    const auto four = ffn::confusion_matrix(predicted, truth, 4);
    REQUIRE(four.rows() == 4);
    REQUIRE(four.cols() == 4);
    CHECK(four.topLeftCorner(3, 3) == expected);
    CHECK(four.row(3).sum() + four.col(3).sum() == 0);

    // Predicted counts (column sums) 3, 3, 4; supports (row sums) 3, 2, 5.
    // class 0: TP 2, P = 2/3, R = 2/3, F1 = 2*2 / (3 + 3) = 2/3
    // class 1: TP 1, P = 1/3, R = 1/2, F1 = 2*1 / (3 + 2) = 2/5
    // class 2: TP 3, P = 3/4, R = 3/5, F1 = 2*3 / (4 + 5) = 2/3
    const auto report = ffn::classification_report(predicted, truth);
    REQUIRE(report.classes.size() == 3);
    check_scores(report.classes[0], 2.0 / 3, 2.0 / 3, 2.0 / 3, 3);
    check_scores(report.classes[1], 1.0 / 3, 1.0 / 2, 2.0 / 5, 2);
    check_scores(report.classes[2], 3.0 / 4, 3.0 / 5, 2.0 / 3, 5);
    // accuracy = 6 / 10.
    CHECK(report.accuracy == exactly(0.6));
    // macro: P = (2/3 + 1/3 + 3/4) / 3 = 7/12, R = (2/3 + 1/2 + 3/5) / 3 = 53/90,
    //        F1 = (2/3 + 2/5 + 2/3) / 3 = 26/45
    check_scores(report.macro_average, 7.0 / 12, 53.0 / 90, 26.0 / 45, 10);
    // weighted by support 3, 2, 5: P = (2 + 2/3 + 15/4) / 10 = 77/120,
    // R = (2 + 1 + 3) / 10 = 3/5 (the accuracy), F1 = (2 + 4/5 + 10/3) / 10 = 46/75
    check_scores(report.weighted_average, 77.0 / 120, 3.0 / 5, 46.0 / 75, 10);
}

TEST_CASE("a class never predicted has precision 0", "[metrics]") {
    // Class 1 is never predicted; class 0 always is.
    const std::array<unsigned, 3> truth{0, 1, 1};
    const std::array<unsigned, 3> predicted{0, 0, 0};
    const auto report = ffn::classification_report(predicted, truth);
    REQUIRE(report.classes.size() == 2);
    // class 0: TP 1 of 3 predicted, support 1: P = 1/3, R = 1, F1 = 2 / (3 + 1) = 1/2
    check_scores(report.classes[0], 1.0 / 3, 1.0, 0.5, 1);
    // class 1: 0 / 0 precision is 0; R = 0 / 2; F1 = 0 / (0 + 2)
    check_scores(report.classes[1], 0.0, 0.0, 0.0, 2);
    CHECK(report.accuracy == exactly(1.0 / 3));
    check_scores(report.macro_average, 1.0 / 6, 1.0 / 2, 1.0 / 4, 3);
    // weighted by 1, 2: P = (1/3) / 3 = 1/9, R = 1/3, F1 = (1/2) / 3 = 1/6
    check_scores(report.weighted_average, 1.0 / 9, 1.0 / 3, 1.0 / 6, 3);
}

TEST_CASE("a class absent from the truth has recall 0 and support 0 and counts in the macro "
          "average",
          "[metrics]") {
    // Class 2 is predicted once but never true.
    const Eigen::VectorXi truth = (Eigen::VectorXi(3) << 0, 0, 1).finished();
    const std::vector<long> predicted{0, 2, 1};
    const auto report = ffn::classification_report(predicted, truth, 3);
    REQUIRE(report.classes.size() == 3);
    // class 0: TP 1 of 1 predicted, support 2: P = 1, R = 1/2, F1 = 2 / (1 + 2) = 2/3
    check_scores(report.classes[0], 1.0, 0.5, 2.0 / 3, 2);
    check_scores(report.classes[1], 1.0, 1.0, 1.0, 1);
    // class 2: P = 0 / 1, R = 0 / 0 -> 0, F1 = 0 / (1 + 0)
    check_scores(report.classes[2], 0.0, 0.0, 0.0, 0);
    CHECK(report.accuracy == exactly(2.0 / 3));
    // macro over all three: P = 2/3, R = 1/2, F1 = (2/3 + 1) / 3 = 5/9
    check_scores(report.macro_average, 2.0 / 3, 1.0 / 2, 5.0 / 9, 3);
    // weighted by 2, 1, 0: P = 1, R = (1 + 1) / 3 = 2/3, F1 = (4/3 + 1) / 3 = 7/9
    check_scores(report.weighted_average, 1.0, 2.0 / 3, 7.0 / 9, 3);

    // Without a class count the classes are 0 to the largest label, so class 1, which no
    // sample has or gets, still counts (scikit-learn would drop it unless given labels=[0, 1,
    // 2]): macro P = (1 + 0 + 1) / 3.
    const auto gap = ffn::classification_report(std::vector<int>{0, 2}, std::vector<int>{0, 2});
    REQUIRE(gap.classes.size() == 3);
    check_scores(gap.classes[1], 0.0, 0.0, 0.0, 0);
    CHECK(gap.macro_average.precision == exactly(2.0 / 3));
    CHECK(gap.weighted_average.precision == 1.0);
    CHECK(gap.accuracy == 1.0);
}

TEST_CASE("confusion matrix and report of a network classify as ffn::accuracy does", "[metrics]") {
    const auto net = make_softmax_net();
    const auto x = softmax_inputs();
    // Predicted 0, 1, 2, 0, 1 against labels 0, 1, 2, 1, 2.
    const std::vector<int> labels{0, 1, 2, 1, 2};
    Eigen::MatrixX<long long> expected(3, 3);
    expected << 1, 0, 0, //
        1, 1, 0,         //
        0, 1, 1;
    CHECK(ffn::confusion_matrix(net, x, labels) == expected);
    const auto report = ffn::classification_report(net, x, labels);
    const auto same = ffn::classification_report(std::vector<int>{0, 1, 2, 0, 1}, labels);
    CHECK(report.to_string() == same.to_string());
    // class 0: P = 1/2, R = 1, F1 = 2 / (2 + 1); class 1: P = 1/2, R = 1/2, F1 = 1/2;
    // class 2: P = 1, R = 1/2, F1 = 2 / (1 + 2).
    check_scores(report.classes[0], 0.5, 1.0, 2.0 / 3, 1);
    check_scores(report.classes[1], 0.5, 0.5, 0.5, 2);
    check_scores(report.classes[2], 1.0, 0.5, 2.0 / 3, 2);
    CHECK(report.accuracy == exactly(3.0 / 5));
    // The class count is the network's: 3 even when the labels use only 0 and 1.
    CHECK(ffn::confusion_matrix(net, x.leftCols(2), std::vector<int>{0, 1}).rows() == 3);

    // One sigmoid output: class 1 from 0.5 up. w = 1, b = 0: sigmoid(-1) < 0.5, sigmoid(0) =
    // 0.5, sigmoid(2) > 0.5, so predicted 0, 1, 1.
    ffn::network<ffn::binary_cross_entropy, ffn::dense<1, 1, ffn::sigmoid>> binary;
    binary.layer<0>().weights()(0, 0) = 1;
    const Eigen::RowVector3d inputs(-1, 0, 2);
    // All three are of class 1: row 1 holds one predicted 0 and two predicted 1.
    Eigen::MatrixX<long long> two(2, 2);
    two << 0, 0, //
        1, 2;
    CHECK(ffn::confusion_matrix(binary, inputs, std::vector<int>{1, 1, 1}) == two);
}

TEST_CASE("the classification report prints like scikit-learn's", "[metrics]") {
    // class 0: TP 1 of 1 predicted, support 2; class 1: TP 1 of 2, support 2; class 2: TP 2
    // of 3, support 2; class 3 (given by the count): none.
    const std::vector<int> truth{0, 0, 1, 1, 2, 2};
    const std::vector<int> predicted{0, 1, 1, 2, 2, 2};
    CHECK(ffn::classification_report(predicted, truth).to_string() ==
          "              precision    recall  f1-score   support\n"
          "\n"
          "           0       1.00      0.50      0.67         2\n"
          "           1       0.50      0.50      0.50         2\n"
          "           2       0.67      1.00      0.80         2\n"
          "\n"
          "    accuracy                           0.67         6\n"
          "   macro avg       0.72      0.67      0.66         6\n"
          "weighted avg       0.72      0.67      0.66         6\n");
    // Names longer than "weighted avg" widen the first column; 3 digits.
    CHECK(ffn::classification_report(predicted, truth, 4)
              .to_string({"cat", "dog", "bird", "unseen animal"}, 3) ==
          "               precision    recall  f1-score   support\n"
          "\n"
          "          cat      1.000     0.500     0.667         2\n"
          "          dog      0.500     0.500     0.500         2\n"
          "         bird      0.667     1.000     0.800         2\n"
          "unseen animal      0.000     0.000     0.000         0\n"
          "\n"
          "     accuracy                          0.667         6\n"
          "    macro avg      0.542     0.500     0.492         6\n"
          " weighted avg      0.722     0.667     0.656         6\n");
    const auto report = ffn::classification_report(predicted, truth);
    CHECK_THROWS_WITH(report.to_string({"a", "b"}),
                      "ffn::classification_scores::to_string: there are 2 class names for 3 "
                      "classes");
    CHECK_THROWS_WITH(report.to_string({}, 18),
                      "ffn::classification_scores::to_string: the digits must be from 0 to 17, "
                      "got 18");
}

TEST_CASE("classification metrics refuse bad labels, naming the label and its sample",
          "[metrics]") {
    const std::vector<int> three{0, 1, 2};
    CHECK_THROWS_WITH(ffn::confusion_matrix(std::vector<int>{0, 1}, three),
                      "ffn::confusion_matrix: there are 2 predicted labels but 3 true labels; "
                      "both need one label per sample");
    CHECK_THROWS_WITH(ffn::classification_report(std::vector<int>{}, std::vector<int>{}),
                      "ffn::classification_report: there are no labels (no samples)");
    CHECK_THROWS_WITH(ffn::confusion_matrix(three, std::vector<int>{0, -1, 2}),
                      "ffn::confusion_matrix: true label -1 of sample 1 is negative; labels are "
                      "class indices from 0");
    CHECK_THROWS_WITH(ffn::classification_report(std::vector<long>{0, 0, -3}, three),
                      "ffn::classification_report: predicted label -3 of sample 2 is negative; "
                      "labels are class indices from 0");
    CHECK_THROWS_WITH(ffn::confusion_matrix(three, three, 2),
                      "ffn::confusion_matrix: predicted label 2 of sample 2 is out of range; "
                      "with 2 classes the labels run from 0 to 1");
    CHECK_THROWS_WITH(ffn::confusion_matrix(std::vector<int>{0, 0, 0}, three, 2),
                      "ffn::confusion_matrix: true label 2 of sample 2 is out of range; with 2 "
                      "classes the labels run from 0 to 1");
    CHECK_THROWS_WITH(ffn::confusion_matrix(three, three, 0),
                      "ffn::confusion_matrix: the class count must be positive, got 0");
    const std::vector<unsigned long long> huge{std::numeric_limits<unsigned long long>::max()};
    CHECK_THROWS_WITH(ffn::confusion_matrix(huge, std::vector<int>{0}),
                      "ffn::confusion_matrix: predicted label 18446744073709551615 of sample 0 "
                      "is too large for a class index");

    const auto net = make_softmax_net();
    const auto x = softmax_inputs();
    CHECK_THROWS_WITH(ffn::confusion_matrix(net, x, std::vector<int>{0, 1, 2, 3, 0}),
                      "ffn::confusion_matrix: label 3 of sample 3 is out of range; the network's "
                      "3 outputs stand for classes 0 to 2");
    CHECK_THROWS_WITH(ffn::classification_report(net, x, std::vector<int>{0, 1, -2, 0, 0}),
                      "ffn::classification_report: label -2 of sample 2 is negative; labels are "
                      "class indices from 0");
    CHECK_THROWS_WITH(ffn::classification_report(net, x, three),
                      "ffn::classification_report: there are 3 labels for 5 samples (input "
                      "columns)");
    CHECK_THROWS_WITH(ffn::confusion_matrix(net, x.topRows(1), three),
                      "ffn::confusion_matrix: the inputs have 1 rows, but the network takes 2 "
                      "inputs (one row each)");
    CHECK_THROWS_WITH(ffn::confusion_matrix(net, x.leftCols(0), std::vector<int>{}),
                      "ffn::confusion_matrix: the inputs have no columns (no samples)");
    Eigen::Matrix<double, 2, 5> bad = x;
    bad(1, 4) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH(ffn::classification_report(net, bad, std::vector<int>{0, 1, 2, 0, 1}),
                      "ffn::classification_report: the inputs hold inf in sample (column) 4, row "
                      "1; every value must be finite");
    ffn::network<ffn::binary_cross_entropy, ffn::dense<1, 1, ffn::sigmoid>> binary;
    CHECK_THROWS_WITH(
        ffn::confusion_matrix(binary, Eigen::RowVector2d(0, 1), std::vector<int>{0, 2}),
        "ffn::confusion_matrix: label 2 of sample 1 is out of range; a network "
        "with one output tells classes 0 and 1 apart");
    const ffn::network<ffn::categorical_cross_entropy,
                       ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::softmax>>
        empty;
    CHECK_THROWS_WITH(ffn::confusion_matrix(empty, x, std::vector<int>{0, 1, 2, 0, 1}),
                      Catch::StartsWith("ffn::confusion_matrix: layer 0: the layer is empty"));
}
