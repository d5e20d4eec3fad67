// SPDX-License-Identifier: MIT
// docs/training.md quotes this file whole: ffn::fit with validation samples, accuracy, a
// learning-rate schedule, early stopping, clipping and a per-epoch callback.
#include <cmath>
#include <cstdio>

#include <ffn/ffn.hpp>

using net_type = ffn::network<ffn::categorical_cross_entropy, ffn::dense<2, 8, ffn::tanh>,
                              ffn::dense<8, 3, ffn::softmax>>;

// `n` points spread evenly over [-1, 1]^2, and one-hot targets for their quadrant classes:
// 0 above the x axis on the right, 1 below it on the right, 2 on the left.
void make_data(Eigen::Index n, Eigen::Index offset, Eigen::MatrixXd& x, Eigen::MatrixXd& y) {
    x.resize(2, n);
    y = Eigen::MatrixXd::Zero(3, n);
    for (Eigen::Index j = 0; j < n; ++j) {
        const auto k = static_cast<double>(j + offset);
        x(0, j) = 2 * std::fmod(k * 0.7548776662, 1.0) - 1;
        x(1, j) = 2 * std::fmod(k * 0.5698402910, 1.0) - 1;
        y(x(0, j) < 0 ? 2 : (x(1, j) > 0 ? 0 : 1), j) = 1;
    }
}

int main() {
    Eigen::MatrixXd x;
    Eigen::MatrixXd y;
    make_data(240, 0, x, y);
    ffn::validation_data<double> validation;
    make_data(60, 240, validation.inputs, validation.targets);

    net_type net;
    ffn::initialize(net, ffn::glorot_uniform{}, 3);
    ffn::sgd optimizer(net, {.learning_rate = 0.2, .momentum = 0.9});

    ffn::fit_options<double> options{
        .batch_size = 16,
        .epochs = 300,
        .seed = 2024,
        .validation = validation,
        .accuracy = true,
        .early_stopping = ffn::early_stopping_options<double>{.patience = 10, .min_delta = 1e-4},
        .clip_gradient_norm = 1.0,
    };
    options.use_schedule(ffn::step_decay(0.2, 25, 0.5)); // halve the rate every 25 epochs
    options.on_epoch = [](const ffn::epoch_record<double>& r) {
        if (r.epoch % 5 == 0) {
            std::printf("epoch %3zu  rate %.4f  loss %.4f  accuracy %.4f  validation %.4f %.4f\n",
                        r.epoch, r.learning_rate, r.training_loss, *r.training_accuracy,
                        *r.validation_loss, *r.validation_accuracy);
        }
        return ffn::fit_action::continue_training;
    };

    const ffn::history<double> history = ffn::fit(net, optimizer, x, y, options);
    const std::size_t best = *history.best_epoch;
    std::printf("%zu epochs, stopped early: %s, best epoch %zu (validation loss %.4f)\n",
                history.epochs.size(),
                history.reason == ffn::stop_reason::early_stopping ? "yes" : "no", best,
                *history.epochs[best].validation_loss);
    std::printf("the network now has that epoch's parameters: validation loss %.4f\n",
                ffn::evaluate(net, validation.inputs, validation.targets));
}
