// SPDX-License-Identifier: MIT
// ffn::network's first template argument is the loss; a network written with layers only is
// refused with ffn's message saying so.
// first error: ffn::network<Loss, Layers...>: the first template argument is the loss
// expect: ffn::dense<2, 2, ffn::sigmoid>
#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid>,
                              ffn::dense<2, 2, ffn::sigmoid>>;
#else
using net_type = ffn::network<ffn::dense<2, 2, ffn::sigmoid>, ffn::dense<2, 2, ffn::sigmoid>>;
#endif

int main() {
    const net_type net;
    ffn::workspace<net_type> ws;
    return net.forward(Eigen::Vector2d(0.5, 0.5), ws)(0) > 0 ? 0 : 1;
}
