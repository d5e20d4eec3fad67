// SPDX-License-Identifier: MIT
// The compile-time baseline: the lecture's 2-2-2 sigmoid network trained for 1000 steps,
// written by hand on fixed-size Eigen types (no ffn).

#include <Eigen/Core>

int main() {
    Eigen::Matrix2d w1;
    Eigen::Matrix2d w2;
    w1 << 0.1, 0.3, 0.2, 0.4;
    w2 << 0.5, 0.6, 0.7, 0.8;
    Eigen::Vector2d b1 = Eigen::Vector2d::Zero();
    Eigen::Vector2d b2 = Eigen::Vector2d::Zero();
    const Eigen::Vector2d x(0.1, 0.5);
    const Eigen::Vector2d t(0.05, 0.95);
    const double rate = 0.6;
    const auto sigmoid = [](const Eigen::Vector2d& z) -> Eigen::Vector2d {
        return (1.0 / (1.0 + (-z).array().exp())).matrix();
    };
    Eigen::Vector2d h = sigmoid(w1 * x + b1);
    Eigen::Vector2d o = sigmoid(w2 * h + b2);
    for (int step = 0; step < 1000; ++step) {
        const Eigen::Vector2d d2 = ((o - t).array() * o.array() * (1.0 - o.array())).matrix();
        const Eigen::Vector2d d1 =
            ((w2.transpose() * d2).array() * h.array() * (1.0 - h.array())).matrix();
        w2 -= rate * d2 * h.transpose();
        b2 -= rate * d2;
        w1 -= rate * d1 * x.transpose();
        b1 -= rate * d1;
        h = sigmoid(w1 * x + b1);
        o = sigmoid(w2 * h + b2);
    }
    return 0.5 * (o - t).squaredNorm() < 1e-3 ? 0 : 1;
}
