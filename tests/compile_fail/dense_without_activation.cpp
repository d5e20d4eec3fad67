// SPDX-License-Identifier: MIT
// A dense layer names its activation; ffn::identity is the one for none.
// first error: ffn::dense<In, Out, Activation>: the layer needs an activation
// expect: ffn::identity for none
#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using layer_type = ffn::dense<2, 3, ffn::identity>;
#else
using layer_type = ffn::dense<2, 3>;
#endif

int main() {
    layer_type layer;
    return static_cast<int>(layer.parameter_count());
}
