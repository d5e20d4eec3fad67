// SPDX-License-Identifier: MIT
// Binary cross-entropy needs exactly one output, the probability of the positive class.
// expect: ffn::binary_cross_entropy: the output layer must have exactly one output
// expect: check_output_layer<ffn::dense<3, 2, ffn::sigmoid
#include <ffn/ffn.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
constexpr Eigen::Index outputs = 1;
#else
constexpr Eigen::Index outputs = 2;
#endif

int main() {
    ffn::network<ffn::binary_cross_entropy, ffn::dense<2, 3, ffn::sigmoid>,
                 ffn::dense<3, outputs, ffn::sigmoid>>
        net;
    return static_cast<int>(net.parameter_count());
}
