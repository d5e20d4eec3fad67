// SPDX-License-Identifier: MIT
// Fisher's iris flowers: four measurements, three species. A 4-8-3 network with tanh hidden
// units and a softmax output trained on categorical cross-entropy with Adam, on 80% of the
// samples; the other 20% (stratified: 10 of each species) are the test set. Usage:
// iris [DATA_FILE] [--csv FILE] [--seed N]; the data file defaults to data/iris.csv, the seed
// (of the split, the initial parameters and the batch order) to 2024. Exits with 1 if the test
// accuracy is below 0.95.

#include <cstdio>
#include <vector>

#include <ffn/ffn.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/optimizers/adam.hpp>
#include <ffn/train/evaluate.hpp>
#include <ffn/train/fit.hpp>
#include <ffn/train/progress.hpp>
#include <ffn/train/split.hpp>

#include "csv.hpp"

namespace {

using iris_net = ffn::network<ffn::categorical_cross_entropy, ffn::dense<4, 8, ffn::tanh>,
                              ffn::dense<8, 3, ffn::softmax>>;

constexpr double target_accuracy = 0.95;

/// The program; `main` reports its errors (program.hpp).
int program(int argc, char** argv) {
    const auto args = examples::parse_arguments(argc, argv, "data/iris.csv", 2024);
    const auto data = examples::read_labelled_csv(args.data_path, true);
    const std::uint64_t seed = args.seed;

    // Hold out 20% of each species for testing; standardise with the training samples'
    // statistics only.
    const auto split = ffn::stratified_split(data.labels, 0.2, seed);
    const auto [train_x, test_x, train_labels, test_labels] =
        examples::split_and_standardize(data, split, seed);
    const Eigen::MatrixXd train_y = examples::one_hot(train_labels, 3);
    const Eigen::MatrixXd test_y = examples::one_hot(test_labels, 3);

    iris_net net;
    ffn::initialize(net, ffn::glorot_uniform{}, seed);
    ffn::adam optimizer(net, 0.01);
    ffn::fit_options<double> options{
        .batch_size = 16, .epochs = 100, .seed = seed, .accuracy = true};
    // Progress on stderr: one line redrawn in place on a terminal, else a line an epoch.
    ffn::progress_display progress;
    progress.attach(options);
    const auto history = ffn::fit(net, optimizer, train_x, train_y, options);
    if (!args.csv_path.empty()) {
        examples::write_history_csv(args.csv_path, history);
    }

    std::printf("4-8-3 network: tanh, softmax, categorical cross-entropy, Adam (learning rate "
                "0.01), batches of 16, %zu epochs\n",
                history.epochs.size());
    for (const std::size_t e :
         {std::size_t{0}, std::size_t{9}, std::size_t{49}, history.epochs.size() - 1}) {
        std::printf("epoch %4zu  training loss %.4f  training accuracy %.4f\n", e + 1,
                    history.epochs[e].training_loss, *history.epochs[e].training_accuracy);
    }
    const double accuracy = ffn::accuracy(net, test_x, test_labels);
    std::printf("training accuracy: %.4f\n", ffn::accuracy(net, train_x, train_labels));
    std::printf("test loss: %.4f\n", ffn::evaluate(net, test_x, test_y));
    std::printf("test accuracy: %.4f\n", accuracy);
    if (accuracy < target_accuracy) {
        std::fprintf(stderr, "iris: the test accuracy is below the target %.2f\n", target_accuracy);
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) { return examples::run("iris", program, argc, argv); }
