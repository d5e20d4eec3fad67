// SPDX-License-Identifier: MIT
// Accuracy reads the outputs as class scores, so ffn::accuracy refuses a network whose output
// layer is neither softmax nor sigmoid (here identity, a regression output).
// expect: ffn::accuracy: accuracy needs class scores, so the output layer's activation must be ffn::softmax or ffn::sigmoid
// expect: ffn::dense<2, 1, ffn::identity
#include <vector>

#include <ffn/activations/identity.hpp>
#include <ffn/ffn.hpp>
#include <ffn/losses/mean_squared_error.hpp>
#include <ffn/train/evaluate.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using output_activation = ffn::sigmoid;
#else
using output_activation = ffn::identity;
#endif

int main() {
    const ffn::network<ffn::mean_squared_error, ffn::dense<2, 1, output_activation>> net;
    const Eigen::Matrix<double, 2, 2> inputs = Eigen::Matrix<double, 2, 2>::Identity();
    return ffn::accuracy(net, inputs, std::vector<int>{0, 1}) > 0.5 ? 0 : 1;
}
