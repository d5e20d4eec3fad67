// SPDX-License-Identifier: MIT
// XOR, the classic problem a single layer cannot solve: the lecture's kind of network (sigmoid
// units, the loss sum 1/2 (target - output)^2, plain gradient descent) with a hidden layer of
// four units learns it. Usage: xor [--csv FILE] [--seed N]. Exits with 1 unless all four samples are
// classified correctly.

#include <cstdio>
#include <vector>

#include <ffn/ffn.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/train/evaluate.hpp>
#include <ffn/train/fit.hpp>

#include "csv.hpp"

namespace {

using xor_net = ffn::network<ffn::half_squared_error, ffn::dense<2, 4, ffn::sigmoid>,
                             ffn::dense<4, 1, ffn::sigmoid>>;

/// The program; `main` reports its errors (program.hpp).
int program(int argc, char** argv) {
    const auto args = examples::parse_arguments(argc, argv, "", 1);
    if (!args.data_path.empty()) {
        examples::fail("xor takes no data file");
    }
    const std::uint64_t seed = args.seed;
    Eigen::Matrix<double, 2, 4> inputs;
    inputs << 0, 0, 1, 1, 0, 1, 0, 1;
    const Eigen::Matrix<double, 1, 4> targets(0, 1, 1, 0);
    const std::vector<int> labels{0, 1, 1, 0};

    xor_net net;
    ffn::initialize(net, ffn::glorot_uniform{}, seed);
    ffn::sgd optimizer(net, 2.0);
    const ffn::fit_options<double> options{
        .batch_size = 4, .epochs = 3000, .seed = seed, .accuracy = true};
    const auto history = ffn::fit(net, optimizer, inputs, targets, options);
    if (!args.csv_path.empty()) {
        examples::write_history_csv(args.csv_path, history);
    }

    std::printf("2-4-1 sigmoid network, half squared error, SGD (learning rate 2), "
                "full batches, seed %llu\n",
                static_cast<unsigned long long>(seed));
    for (const std::size_t e :
         {std::size_t{0}, std::size_t{99}, std::size_t{999}, history.epochs.size() - 1}) {
        std::printf("epoch %5zu  loss %.6f\n", e + 1, history.epochs[e].training_loss);
    }
    const Eigen::Matrix<double, 1, 4> outputs = net.predict(inputs);
    for (Eigen::Index j = 0; j < 4; ++j) {
        std::printf("%g xor %g = %g   network: %.4f\n", inputs(0, j), inputs(1, j), targets(j),
                    outputs(j));
    }
    const double accuracy = ffn::accuracy(net, inputs, labels);
    std::printf("loss: %.6f\n", ffn::evaluate(net, inputs, targets));
    // XOR has only four samples: they are the training and the test set.
    std::printf("test accuracy: %.4f\n", accuracy);
    return accuracy == 1.0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) { return examples::run("xor", program, argc, argv); }
