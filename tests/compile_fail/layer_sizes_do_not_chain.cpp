// SPDX-License-Identifier: MIT
// Layer 1 takes 2 inputs but layer 0 gives 3 outputs.
// expect: ffn::network: a layer's number of inputs must equal the previous layer's number of outputs
// expect: check_layer_sizes<1, 3, 2>
#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
constexpr Eigen::Index hidden = 2;
#else
constexpr Eigen::Index hidden = 3;
#endif

int main() {
    ffn::network<ffn::half_squared_error, ffn::dense<2, hidden, ffn::sigmoid>,
                 ffn::dense<2, 2, ffn::sigmoid>>
        net;
    return static_cast<int>(net.parameter_count());
}
