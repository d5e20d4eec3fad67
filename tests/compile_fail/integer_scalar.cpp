// SPDX-License-Identifier: MIT
// A layer's scalar must be a floating-point type.
// first error: ffn: the scalar type must be a floating-point type (float or double)
// expect: ffn::dense<2, 2, ffn::sigmoid, int>
#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using my_scalar = double;
#else
using my_scalar = int;
#endif

int main() {
    ffn::dense<2, 2, ffn::sigmoid, my_scalar> layer;
    return static_cast<int>(layer.parameter_count());
}
