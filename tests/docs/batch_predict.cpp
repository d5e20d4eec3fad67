// SPDX-License-Identifier: MIT
// docs/training.md quotes this file whole: a large batch predicted by two threads.
#include <cstdio>

#include <ffn/ffn.hpp>

using net_type =
    ffn::network<ffn::categorical_cross_entropy, ffn::dense<784, 256, ffn::relu, float>,
                 ffn::dense<256, 10, ffn::softmax, float>>;

int main() {
    net_type net;
    ffn::initialize(net, ffn::he_uniform{}, 1);
    // 2000 samples of 784 values in [0, 1], one column each.
    const Eigen::MatrixXf images =
        Eigen::MatrixXf::NullaryExpr(784, 2000, [](Eigen::Index i, Eigen::Index j) {
            return float((7 * i + 13 * j) % 17) / 16;
        });

    // Starts one thread besides the calling one; both wait between calls until the predictor
    // is destroyed. Keep the predictor and call it batch after batch.
    ffn::batch_predictor<net_type> predictor(2);
    std::printf("threads sharing 2000 samples: %zu, 100 samples: %zu\n",
                predictor.blocks(net, 2000), predictor.blocks(net, 100));
    const auto& scores = predictor.predict(net, images); // 10 x 2000, owned by the predictor
    std::printf("scores: %ld x %ld\n", static_cast<long>(scores.rows()),
                static_cast<long>(scores.cols()));

    // The same outputs as on one thread, bit for bit.
    ffn::batch_predictor<net_type> alone(1);
    std::printf("the same as one thread: %s\n",
                alone.predict(net, images) == scores ? "yes" : "no");
}
