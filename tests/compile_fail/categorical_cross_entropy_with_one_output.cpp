// SPDX-License-Identifier: MIT
// Categorical cross-entropy needs one output per class, so at least two.
// expect: ffn::categorical_cross_entropy: the output layer must have at least two outputs
// expect: check_output_layer<ffn::dense<3, 1, ffn::softmax
#include <ffn/activations/softmax.hpp>
#include <ffn/ffn.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
constexpr Eigen::Index outputs = 2;
#else
constexpr Eigen::Index outputs = 1;
#endif

int main() {
    ffn::network<ffn::categorical_cross_entropy, ffn::dense<2, 3, ffn::sigmoid>,
                 ffn::dense<3, outputs, ffn::softmax>>
        net;
    return static_cast<int>(net.parameter_count());
}
