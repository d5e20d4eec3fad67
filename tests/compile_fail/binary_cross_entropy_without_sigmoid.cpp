// SPDX-License-Identifier: MIT
// Binary cross-entropy reads the output as a probability, so the output layer must be a sigmoid.
// expect: ffn::binary_cross_entropy: the output layer's activation must be ffn::sigmoid
// expect: check_output_layer<ffn::dense<3, 1, ffn::tanh
#include <ffn/activations/tanh.hpp>
#include <ffn/ffn.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using output_activation = ffn::sigmoid;
#else
using output_activation = ffn::tanh;
#endif

int main() {
    ffn::network<ffn::binary_cross_entropy, ffn::dense<2, 3, ffn::sigmoid>,
                 ffn::dense<3, 1, output_activation>>
        net;
    return static_cast<int>(net.parameter_count());
}
