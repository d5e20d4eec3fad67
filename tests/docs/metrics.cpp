// SPDX-License-Identifier: MIT
// docs/training.md quotes this file whole: the regression and classification metrics of a
// network.
#include <iostream>
#include <vector>

#include <ffn/ffn.hpp>

int main() {
    // Regression: a linear unit computing 2 x + 1, against measured targets.
    ffn::network<ffn::mean_squared_error, ffn::dense<1, 1, ffn::identity>> line;
    line.layer<0>().weights() << 2;
    line.layer<0>().bias() << 1;
    Eigen::Matrix<double, 1, 5> x;
    x << 0, 1, 2, 3, 4;
    Eigen::Matrix<double, 1, 5> y;
    y << 1.2, 2.9, 5.1, 7.4, 8.6;
    std::cout << "MAE  " << ffn::mean_absolute_error(line, x, y) << "\n"
              << "RMSE " << ffn::root_mean_squared_error(line, x, y) << "\n"
              << "R^2  " << ffn::r2_score(line, x, y) << "\n\n";

    // Classification: class 0 when the first input is the larger, 1 when the second is, 2
    // when both are negative enough.
    ffn::network<ffn::categorical_cross_entropy, ffn::dense<2, 3, ffn::softmax>> classifier;
    classifier.layer<0>().weights() << 1, 0, 0, 1, -1, -1;
    Eigen::Matrix<double, 2, 8> points;
    points << 2, 0, -1, 1, 0.2, -2, 0.5, 3, //
        0, 2, -1, 0.5, 0.9, -1, 0.4, 1;
    const std::vector<int> labels{0, 1, 2, 1, 1, 2, 2, 0};
    std::cout << ffn::confusion_matrix(classifier, points, labels) << "\n\n";
    std::cout << ffn::classification_report(classifier, points, labels)
                     .to_string({"first", "second", "neither"});
}
