// SPDX-License-Identifier: MIT
// Wine recognition (Forina et al.): the quantities of 13 constituents, found by chemical
// analysis, of wines grown in one region of Italy from three cultivars. A 13-16-3 network: a
// dense layer without biases, batch normalisation with relu (whose shift beta plays the bias's
// part), dropout (p = 0.2) and a softmax output, trained on categorical cross-entropy with Adam.
// ffn::fit trains the batch normalisation on each batch's statistics and drops units at random;
// the predictions and figures after training use the running statistics and no dropout. 20% of
// the samples (stratified: 20% of each cultivar) are held out as the test set; of the rest, 20%
// more are set aside for validation, which early stopping watches (keeping the parameters of the
// best epoch). Usage: wine [DATA_FILE] [--csv FILE] [--seed N]; the data file defaults to
// data/wine.csv, the seed (of the split, the initial parameters, the batch order and the dropout
// masks) to 2024. Exits with 1 if the test accuracy is below 0.9; over seeds 1..50 it ranges
// from 0.91 to 1 (mean 0.975) on the 35 test samples.

#include <cstdio>
#include <vector>

#include <ffn/ffn.hpp>
#include <ffn/activations/identity.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/init/he.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/layers/batch_norm.hpp>
#include <ffn/layers/bias.hpp>
#include <ffn/layers/dropout.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/optimizers/adam.hpp>
#include <ffn/train/evaluate.hpp>
#include <ffn/train/fit.hpp>
#include <ffn/train/metrics.hpp>
#include <ffn/train/progress.hpp>
#include <ffn/train/split.hpp>

#include "csv.hpp"

namespace {

// The dense layer needs no bias: batch normalisation subtracts the mean of its sums, bias and
// all, and adds its own shift.
using wine_net =
    ffn::network<ffn::categorical_cross_entropy,
                 ffn::dense<13, 16, ffn::identity, double, ffn::no_bias>,
                 ffn::batch_norm<16, ffn::relu>, ffn::dropout<16>, ffn::dense<16, 3, ffn::softmax>>;

constexpr double dropout_probability = 0.2;
constexpr double target_accuracy = 0.9;

/// The program; `main` reports its errors (program.hpp).
int program(int argc, char** argv) {
    const auto args = examples::parse_arguments(argc, argv, "data/wine.csv", 2024);
    const auto data = examples::read_labelled_csv(args.data_path, true);
    const std::uint64_t seed = args.seed;

    // Hold out 20% of each cultivar for testing; standardise with the training samples'
    // statistics only.
    const auto split = ffn::stratified_split(data.labels, 0.2, seed);
    const auto [train_x, test_x, train_labels, test_labels] =
        examples::split_and_standardize(data, split, seed);
    const Eigen::MatrixXd train_y = examples::one_hot(train_labels, 3);
    const Eigen::MatrixXd test_y = examples::one_hot(test_labels, 3);

    wine_net net;
    ffn::initialize(net, ffn::he_uniform{}, seed);
    net.layer<2>().set_probability(dropout_probability);
    std::printf("%s", ffn::summary(net).c_str());

    ffn::adam optimizer(net, 0.01);
    // 143 training samples, 28 of them for validation: batches of 16 leave a last batch of
    // 3, and batch normalisation needs at least 2.
    ffn::fit_options<double> options{.batch_size = 16,
                                     .epochs = 300,
                                     .seed = seed,
                                     .validation_fraction = 0.2,
                                     .accuracy = true};
    options.early_stopping = ffn::early_stopping_options<double>{.patience = 30};
    // Progress on stderr: one line redrawn in place on a terminal, else a line an epoch.
    ffn::progress_display progress;
    progress.attach(options);
    const auto history = ffn::fit(net, optimizer, train_x, train_y, options);
    progress.finish(); // early stopping may leave the terminal line open
    if (!args.csv_path.empty()) {
        examples::write_history_csv(args.csv_path, history);
    }

    std::printf("13-16-3 network: no bias, batch normalisation, relu, dropout (p = %.1f), "
                "softmax, categorical cross-entropy, Adam (learning rate 0.01), batches of 16\n",
                dropout_probability);
    if (history.best_epoch) {
        std::printf("early stopping (patience 30) after %zu epochs; best epoch %zu\n",
                    history.epochs.size(), *history.best_epoch + 1);
    }
    const std::size_t best = history.best_epoch.value_or(history.epochs.size() - 1);
    for (const std::size_t e : {std::size_t{0}, std::size_t{9}, best}) {
        const auto& r = history.epochs[e];
        std::printf("epoch %4zu  training loss %.4f  validation loss %.4f  validation accuracy "
                    "%.4f\n",
                    e + 1, r.training_loss, *r.validation_loss, *r.validation_accuracy);
    }
    const double accuracy = ffn::accuracy(net, test_x, test_labels);
    std::printf("training accuracy (training and validation samples): %.4f\n",
                ffn::accuracy(net, train_x, train_labels));
    std::printf("test loss: %.4f\n", ffn::evaluate(net, test_x, test_y));
    const auto report = ffn::classification_report(net, test_x, test_labels);
    std::printf("classification report (test samples):\n%s",
                report.to_string(data.class_names).c_str());
    std::printf("test accuracy: %.4f\n", accuracy);
    if (accuracy < target_accuracy) {
        std::fprintf(stderr, "wine: the test accuracy is below the target %.2f\n", target_accuracy);
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) { return examples::run("wine", program, argc, argv); }
