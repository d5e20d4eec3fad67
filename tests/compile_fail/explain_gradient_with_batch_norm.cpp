// SPDX-License-Identifier: MIT
// ffn::explain_gradient writes the lecture's chain rule for dense layers; a network with a
// batch normalisation layer (which has no weight matrix) is refused with a message that says
// so, rather than explained wrongly.
// expect: ffn::explain_gradient: every layer of the network must have a weight matrix, a bias and an activation, as ffn::dense has.
#include <ffn/explain.hpp>
#include <ffn/ffn.hpp>

#ifdef FFN_COMPILE_FAIL_CONTROL
using middle = ffn::dense<2, 2, ffn::sigmoid>;
#else
using middle = ffn::batch_norm<2, ffn::sigmoid>;
#endif

int main() {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid>, middle>;
    net_type net;
    ffn::workspace<net_type> ws;
    const Eigen::Vector2d x(0.05, 0.10);
    const Eigen::Vector2d y(0.01, 0.99);
    net.forward(x, ws);
    ffn::gradients<net_type> grads(net);
    net.backward(ws, y, grads);
    const auto explanation = ffn::explain_gradient(net, ws, y, grads, ffn::weight_at(0, 0, 0));
    return explanation.value == explanation.value ? 0 : 1;
}
