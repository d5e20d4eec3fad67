// SPDX-License-Identifier: MIT
// Breast Cancer Wisconsin (Diagnostic): 30 measurements of a cell sample, malignant (0) or
// benign (1). A 30-16-1 network with relu hidden units and one sigmoid output trained on
// binary cross-entropy with Adam. 20% of the samples (stratified: 20% of each class) are held
// out as the test set; of the rest, 20% more are set aside for validation, which early stopping
// watches (keeping the parameters of the best epoch). Usage: breast_cancer [DATA_FILE] [--csv FILE] [--seed N];
// the data file defaults to data/breast_cancer.csv, the seed to 2024. Exits with 1 if the
// test accuracy is below 0.97.

#include <cstdio>
#include <vector>

#include <ffn/ffn.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/init/he.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>
#include <ffn/optimizers/adam.hpp>
#include <ffn/train/evaluate.hpp>
#include <ffn/train/fit.hpp>
#include <ffn/train/progress.hpp>
#include <ffn/train/split.hpp>

#include "csv.hpp"

namespace {

using cancer_net = ffn::network<ffn::binary_cross_entropy, ffn::dense<30, 16, ffn::relu>,
                                ffn::dense<16, 1, ffn::sigmoid>>;

constexpr double target_accuracy = 0.97;

/// The program; `main` reports its errors (program.hpp).
int program(int argc, char** argv) {
    const auto args = examples::parse_arguments(argc, argv, "data/breast_cancer.csv", 2024);
    const auto data = examples::read_labelled_csv(args.data_path, true);
    const std::uint64_t seed = args.seed;

    const auto split = ffn::stratified_split(data.labels, 0.2, seed);
    const auto [train_x, test_x, train_labels, test_labels] =
        examples::split_and_standardize(data, split, seed);
    const Eigen::MatrixXd train_y = examples::label_row(train_labels);
    const Eigen::MatrixXd test_y = examples::label_row(test_labels);

    cancer_net net;
    ffn::initialize(net, ffn::he_uniform{}, seed);
    ffn::adam optimizer(net, 0.001);
    ffn::fit_options<double> options{.batch_size = 16,
                                     .epochs = 300,
                                     .seed = seed,
                                     .validation_fraction = 0.2,
                                     .accuracy = true};
    options.early_stopping = ffn::early_stopping_options<double>{.patience = 20};
    // Progress on stderr: one line redrawn in place on a terminal, else a line an epoch.
    ffn::progress_display progress;
    progress.attach(options);
    const auto history = ffn::fit(net, optimizer, train_x, train_y, options);
    progress.finish(); // early stopping may leave the terminal line open
    if (!args.csv_path.empty()) {
        examples::write_history_csv(args.csv_path, history);
    }

    std::printf("30-16-1 network: relu, sigmoid, binary cross-entropy, Adam (learning rate "
                "0.001), batches of 16\n");
    std::printf("early stopping (patience 20) after %zu epochs; best epoch %zu\n",
                history.epochs.size(), *history.best_epoch + 1);
    for (const std::size_t e : {std::size_t{0}, std::size_t{9}, *history.best_epoch}) {
        const auto& r = history.epochs[e];
        std::printf("epoch %4zu  training loss %.4f  validation loss %.4f  validation accuracy "
                    "%.4f\n",
                    e + 1, r.training_loss, *r.validation_loss, *r.validation_accuracy);
    }
    const double accuracy = ffn::accuracy(net, test_x, test_labels);
    std::printf("training accuracy (training and validation samples): %.4f\n",
                ffn::accuracy(net, train_x, train_labels));
    std::printf("test loss: %.4f\n", ffn::evaluate(net, test_x, test_y));
    std::printf("test accuracy: %.4f\n", accuracy);
    if (accuracy < target_accuracy) {
        std::fprintf(stderr, "breast_cancer: the test accuracy is below the target %.2f\n",
                     target_accuracy);
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) { return examples::run("breast_cancer", program, argc, argv); }
