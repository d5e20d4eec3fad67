// SPDX-License-Identifier: MIT
// All layers of a network compute in one scalar type.
// expect: ffn::network: all layers must use the same scalar type
#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using second_scalar = double;
#else
using second_scalar = float;
#endif

int main() {
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, double>,
                 ffn::dense<2, 2, ffn::sigmoid, second_scalar>>
        net;
    return static_cast<int>(net.parameter_count());
}
