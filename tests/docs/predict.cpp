// SPDX-License-Identifier: MIT
// docs/getting_started.md quotes this file whole: a trained network predicts, and is measured
// with ffn::evaluate and both forms of ffn::accuracy.
#include <cstdio>
#include <vector>

#include <ffn/ffn.hpp>

// Is a point (x, y) above the line x + y = 1? One sigmoid output, the probability of "yes".
using net_type = ffn::network<ffn::binary_cross_entropy, ffn::dense<2, 1, ffn::sigmoid>>;

int main() {
    // A 7 x 7 grid of points in [0, 1]^2, one column each, with their labels and targets.
    Eigen::MatrixXd points(2, 49);
    Eigen::MatrixXd targets(1, 49);
    std::vector<int> labels;
    for (Eigen::Index row = 0; row < 7; ++row) {
        for (Eigen::Index column = 0; column < 7; ++column) {
            const Eigen::Index j = 7 * row + column;
            points(0, j) = static_cast<double>(column) / 6;
            points(1, j) = static_cast<double>(row) / 6;
            labels.push_back(points(0, j) + points(1, j) > 1 ? 1 : 0);
            targets(0, j) = labels.back();
        }
    }

    net_type net;
    ffn::adam optimizer(net, 0.1);
    ffn::fit(net, optimizer, points, targets, {.batch_size = 7, .epochs = 100, .seed = 1});

    // One column per sample in, one column per sample out.
    Eigen::Matrix<double, 2, 3> queries;
    queries << 0.1, 0.5, 0.9, //
        0.2, 0.6, 0.9;
    const Eigen::Matrix<double, 1, 3> probabilities = net.predict(queries);
    std::printf("P(above) for (0.1, 0.2), (0.5, 0.6), (0.9, 0.9): %.3f %.3f %.3f\n",
                probabilities(0), probabilities(1), probabilities(2));

    std::printf("mean loss:             %.4f\n", ffn::evaluate(net, points, targets));
    std::printf("accuracy from labels:  %.4f\n", ffn::accuracy(net, points, labels));
    std::printf("accuracy from targets: %.4f\n", ffn::accuracy(net, points, targets));
}
