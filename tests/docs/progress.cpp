// SPDX-License-Identifier: MIT
// docs/training.md quotes this file whole: ffn::progress_display on a run that a callback of
// its own stops.
#include <cstdio>

#include <ffn/ffn.hpp>

int main() {
    using xor_net = ffn::network<ffn::half_squared_error, ffn::dense<2, 4, ffn::sigmoid>,
                                 ffn::dense<4, 1, ffn::sigmoid>>;
    Eigen::MatrixXd x(2, 8);
    x << 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1;
    Eigen::MatrixXd y(1, 8);
    y << 0, 1, 1, 0, 0, 1, 1, 0;
    xor_net net;
    ffn::initialize(net, ffn::uniform(-1.0, 1.0), 1, ffn::uniform(-1.0, 1.0));
    ffn::sgd optimizer(net, 2.0);
    ffn::fit_options<double> options{.batch_size = 2, .epochs = 5, .accuracy = true};
    options.validation = ffn::validation_data<double>{x, y};
    // A callback of your own keeps working: this one stops after the fourth epoch.
    options.on_epoch = [](const ffn::epoch_record<double>& record) {
        return record.epoch == 3 ? ffn::fit_action::stop_training
                                 : ffn::fit_action::continue_training;
    };
    ffn::progress_display progress; // on stderr
    progress.attach(options);
    const auto history = ffn::fit(net, optimizer, x, y, options);
    std::printf("%zu epochs, final loss %.4f\n", history.epochs.size(),
                history.epochs.back().training_loss);
}
