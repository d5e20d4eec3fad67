// SPDX-License-Identifier: MIT
// The README's usage program (the lecture's network, 1000 training steps) with only the five
// headers it uses.

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>
#include <ffn/optimizers/sgd.hpp>

using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid>,
                              ffn::dense<2, 2, ffn::sigmoid>>;

int main() {
    net_type net;
    net.layer<0>().weights() << 0.1, 0.3, 0.2, 0.4;
    net.layer<1>().weights() << 0.5, 0.6, 0.7, 0.8;

    const Eigen::Vector2d input(0.1, 0.5);
    const Eigen::Vector2d target(0.05, 0.95);
    ffn::workspace<net_type> ws;
    ffn::gradients<net_type> grads;
    ffn::sgd optimizer(net, 0.6);

    for (int step = 0; step < 1000; ++step) {
        net.forward(input, ws);
        net.backward(ws, target, grads);
        optimizer.step(net, grads);
    }
    net.forward(input, ws);
    return net.loss(ws, target) < 1e-3 ? 0 : 1;
}
