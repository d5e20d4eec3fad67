// SPDX-License-Identifier: MIT
// The compile-time baseline of the README's "train on your own data" program, written by hand
// on Eigen (no ffn): a 4-8-3 network (tanh, softmax, cross-entropy) on fixed-size parameters,
// Adam, mini-batches reshuffled every epoch (the last one partial), a validation split, the
// validation loss and accuracy after every epoch and the accuracy on all samples.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <vector>

#include <Eigen/Core>

namespace {

using hidden_weights = Eigen::Matrix<double, 8, 4>;
using output_weights = Eigen::Matrix<double, 3, 8>;
using batch_inputs = Eigen::Matrix<double, 4, Eigen::Dynamic>;
using batch_hidden = Eigen::Matrix<double, 8, Eigen::Dynamic>;
using batch_outputs = Eigen::Matrix<double, 3, Eigen::Dynamic>;

/// Adam's moments and update for one parameter tensor.
template <class Tensor>
struct adam_state {
    Tensor m = Tensor::Zero();
    Tensor v = Tensor::Zero();

    void step(Tensor& parameter, const Tensor& gradient, double rate, int t) {
        const double beta1 = 0.9;
        const double beta2 = 0.999;
        m = beta1 * m + (1 - beta1) * gradient;
        v = beta2 * v + (1 - beta2) * gradient.cwiseAbs2();
        const double c1 = 1 - std::pow(beta1, t);
        const double c2 = 1 - std::pow(beta2, t);
        parameter.array() -= rate * (m.array() / c1) / ((v.array() / c2).sqrt() + 1e-8);
    }
};

struct model {
    hidden_weights w1;
    Eigen::Matrix<double, 8, 1> b1 = Eigen::Matrix<double, 8, 1>::Zero();
    output_weights w2;
    Eigen::Matrix<double, 3, 1> b2 = Eigen::Matrix<double, 3, 1>::Zero();

    void forward(const batch_inputs& x, batch_hidden& h, batch_outputs& p) const {
        h.noalias() = w1 * x;
        h = (h.colwise() + b1).array().tanh().matrix();
        p.noalias() = w2 * h;
        p.colwise() += b2;
        for (Eigen::Index j = 0; j < p.cols(); ++j) {
            p.col(j) = (p.col(j).array() - p.col(j).maxCoeff()).exp().matrix();
            p.col(j) /= p.col(j).sum();
        }
    }
};

double cross_entropy(const batch_outputs& p, const batch_outputs& y) {
    return -(y.array() * p.array().max(1e-300).log()).sum() / static_cast<double>(p.cols());
}

double accuracy(const batch_outputs& p, const std::vector<int>& labels) {
    int hits = 0;
    for (Eigen::Index j = 0; j < p.cols(); ++j) {
        Eigen::Index best = 0;
        p.col(j).maxCoeff(&best);
        hits += best == labels[static_cast<std::size_t>(j)] ? 1 : 0;
    }
    return hits / static_cast<double>(p.cols());
}

} // namespace

int main() {
    const Eigen::Index n = 300;
    const Eigen::MatrixXd x = Eigen::MatrixXd::Random(4, n);
    std::vector<int> labels(static_cast<std::size_t>(n));
    Eigen::MatrixXd y = Eigen::MatrixXd::Zero(3, n);
    for (Eigen::Index j = 0; j < n; ++j) {
        const int label = x(0, j) > 0.3 ? 2 : (x(0, j) > -0.3 ? 1 : 0);
        labels[static_cast<std::size_t>(j)] = label;
        y(label, j) = 1;
    }

    std::mt19937_64 engine(42);
    model net;
    const auto glorot = [&engine](auto& w, double fan_in, double fan_out) {
        std::uniform_real_distribution<double> uniform(-1.0, 1.0);
        const double limit = std::sqrt(6.0 / (fan_in + fan_out));
        w = w.unaryExpr([&](double) { return limit * uniform(engine); });
    };
    glorot(net.w1, 4, 8);
    glorot(net.w2, 8, 3);

    // A validation split of a fifth of the samples, drawn once.
    std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::shuffle(order.begin(), order.end(), engine);
    const auto held = static_cast<std::size_t>(n / 5);
    std::vector<Eigen::Index> training(order.begin() + static_cast<std::ptrdiff_t>(held),
                                       order.end());
    batch_inputs validation_x(4, static_cast<Eigen::Index>(held));
    batch_outputs validation_y(3, static_cast<Eigen::Index>(held));
    std::vector<int> validation_labels(held);
    for (std::size_t j = 0; j < held; ++j) {
        validation_x.col(static_cast<Eigen::Index>(j)) = x.col(order[j]);
        validation_y.col(static_cast<Eigen::Index>(j)) = y.col(order[j]);
        validation_labels[j] = labels[static_cast<std::size_t>(order[j])];
    }

    adam_state<hidden_weights> adam_w1;
    adam_state<Eigen::Matrix<double, 8, 1>> adam_b1;
    adam_state<output_weights> adam_w2;
    adam_state<Eigen::Matrix<double, 3, 1>> adam_b2;
    const Eigen::Index batch_size = 16;
    batch_inputs bx;
    batch_outputs by;
    batch_hidden h;
    batch_hidden dh;
    batch_outputs p;
    batch_outputs dp;
    batch_hidden vh;
    batch_outputs vp;
    int t = 0;
    double validation_loss = 0;
    double validation_accuracy = 0;
    for (int epoch = 0; epoch < 100; ++epoch) {
        std::shuffle(training.begin(), training.end(), engine);
        const auto samples = static_cast<Eigen::Index>(training.size());
        for (Eigen::Index start = 0; start < samples; start += batch_size) {
            const Eigen::Index count = std::min(batch_size, samples - start);
            bx.resize(4, count);
            by.resize(3, count);
            for (Eigen::Index j = 0; j < count; ++j) {
                bx.col(j) = x.col(training[static_cast<std::size_t>(start + j)]);
                by.col(j) = y.col(training[static_cast<std::size_t>(start + j)]);
            }
            net.forward(bx, h, p);
            dp = (p - by) / static_cast<double>(count);
            const output_weights gw2 = dp * h.transpose();
            const Eigen::Matrix<double, 3, 1> gb2 = dp.rowwise().sum();
            dh.noalias() = net.w2.transpose() * dp;
            dh.array() *= 1 - h.array().square();
            const hidden_weights gw1 = dh * bx.transpose();
            const Eigen::Matrix<double, 8, 1> gb1 = dh.rowwise().sum();
            ++t;
            adam_w1.step(net.w1, gw1, 0.01, t);
            adam_b1.step(net.b1, gb1, 0.01, t);
            adam_w2.step(net.w2, gw2, 0.01, t);
            adam_b2.step(net.b2, gb2, 0.01, t);
        }
        net.forward(validation_x, vh, vp);
        validation_loss = cross_entropy(vp, validation_y);
        validation_accuracy = accuracy(vp, validation_labels);
    }
    std::printf("validation loss %.4f, accuracy %.3f\n", validation_loss, validation_accuracy);
    batch_hidden all_h;
    batch_outputs all_p;
    net.forward(x, all_h, all_p);
    std::printf("accuracy on all samples: %.3f\n", accuracy(all_p, labels));
}
