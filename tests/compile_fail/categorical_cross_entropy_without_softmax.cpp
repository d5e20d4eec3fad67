// SPDX-License-Identifier: MIT
// Categorical cross-entropy reads each output column as a distribution, so the output layer
// must be a softmax.
// expect: ffn::categorical_cross_entropy: the output layer's activation must be ffn::softmax
// expect: check_output_layer<ffn::dense<3, 4, ffn::sigmoid
#include <ffn/activations/softmax.hpp>
#include <ffn/ffn.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using output_activation = ffn::softmax;
#else
using output_activation = ffn::sigmoid;
#endif

int main() {
    ffn::network<ffn::categorical_cross_entropy, ffn::dense<2, 3, ffn::sigmoid>,
                 ffn::dense<3, 4, output_activation>>
        net;
    return static_cast<int>(net.parameter_count());
}
