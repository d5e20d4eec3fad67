// SPDX-License-Identifier: MIT
// Binary cross-entropy takes any number of outputs, but each must be its own probability, so
// a softmax output layer (one distribution over the classes) is refused; several sigmoid
// outputs (the control) compile.
// expect: ffn::binary_cross_entropy: the output layer's activation must be ffn::sigmoid
// expect: for one class out of several use ffn::softmax with ffn::categorical_cross_entropy
// expect: check_output_layer<ffn::dense<3, 3, ffn::softmax
#include <ffn/activations/softmax.hpp>
#include <ffn/ffn.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using output_activation = ffn::sigmoid;
#else
using output_activation = ffn::softmax;
#endif

int main() {
    ffn::network<ffn::binary_cross_entropy, ffn::dense<2, 3, ffn::sigmoid>,
                 ffn::dense<3, 3, output_activation>>
        net;
    return static_cast<int>(net.parameter_count());
}
