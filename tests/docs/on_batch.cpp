// SPDX-License-Identifier: MIT
// docs/training.md quotes this file whole: fit_options::on_batch sees every training step.
#include <cstdio>
#include <vector>

#include <ffn/ffn.hpp>

int main() {
    // Ten samples of y = 2 x + 1, in batches of 4, 4 and 2.
    Eigen::MatrixXd x(1, 10);
    for (Eigen::Index j = 0; j < 10; ++j) {
        x(0, j) = static_cast<double>(j) / 10;
    }
    const Eigen::MatrixXd y = (2 * x.array() + 1).matrix();

    ffn::network<ffn::mean_squared_error, ffn::dense<1, 1, ffn::identity>> net;
    ffn::sgd optimizer(net, 0.1);
    std::vector<ffn::batch_record<double>> steps;
    ffn::fit_options<double> options{.batch_size = 4, .epochs = 2, .shuffle = false};
    options.on_batch = [&steps](const ffn::batch_record<double>& step) { steps.push_back(step); };
    const auto history = ffn::fit(net, optimizer, x, y, options);

    double weighted = 0;
    std::size_t samples_before = 0;
    for (const auto& step : steps) {
        std::printf("epoch %zu, batch %zu of %zu, %2zu samples so far, batch loss %.4f\n",
                    step.epoch, step.batch + 1, step.batches, step.samples, step.loss);
        weighted += step.loss * static_cast<double>(step.samples - samples_before);
        samples_before = step.samples;
        if (step.batch + 1 == step.batches) {
            std::printf("epoch %zu: mean of the batch losses %.4f, training_loss %.4f\n",
                        step.epoch, weighted / static_cast<double>(step.samples),
                        history.epochs[step.epoch].training_loss);
            weighted = 0;
            samples_before = 0;
        }
    }
}
