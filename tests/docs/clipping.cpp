// SPDX-License-Identifier: MIT
// docs/training.md quotes this file whole: gradient clipping by hand and in ffn::fit.
#include <cstdio>

#include <ffn/ffn.hpp>

int main() {
    // By hand: gradients [3 4] and [12] have the global norm 13.
    using line_net = ffn::network<ffn::half_squared_error, ffn::dense<2, 1, ffn::identity>>;
    const line_net line;
    ffn::gradients<line_net> grads(line);
    grads.layer<0>().weights << 3, 4;
    grads.layer<0>().bias << 12;
    const double norm = ffn::clip_gradient_norm(line, grads, 6.5);
    std::printf("norm %g, clipped to %.9f %.9f %.9f\n", norm, grads.layer<0>().weights(0, 0),
                grads.layer<0>().weights(0, 1), grads.layer<0>().bias(0));

    // In fit: XOR, with and without clipping, at a learning rate so large that the
    // unclipped steps saturate the units.
    using xor_net = ffn::network<ffn::half_squared_error, ffn::dense<2, 4, ffn::sigmoid>,
                                 ffn::dense<4, 1, ffn::sigmoid>>;
    Eigen::MatrixXd x(2, 4);
    x << 0, 0, 1, 1, 0, 1, 0, 1;
    Eigen::MatrixXd y(1, 4);
    y << 0, 1, 1, 0;
    for (const bool clip : {false, true}) {
        xor_net net;
        ffn::initialize(net, ffn::uniform(-1.0, 1.0), 1, ffn::uniform(-1.0, 1.0));
        ffn::sgd optimizer(net, 100.0);
        ffn::fit_options<double> options{.batch_size = 4, .epochs = 2000};
        if (clip) {
            options.clip_gradient_norm = 0.05;
        }
        const auto history = ffn::fit(net, optimizer, x, y, options);
        std::printf("%s: loss after 2000 epochs %.6f\n",
                    clip ? "clip_gradient_norm = 0.05" : "no clipping             ",
                    history.epochs.back().training_loss);
    }
}
