// SPDX-License-Identifier: MIT
// docs/getting_started.md quotes this file whole: an activation and a loss with settings,
// given to the constructors of a layer and of the network.
#include <cstdio>

#include <ffn/ffn.hpp>

using hidden_layer = ffn::dense<2, 3, ffn::leaky_relu>;
using output_layer = ffn::dense<3, 1, ffn::identity>;
using net_type = ffn::network<ffn::huber, hidden_layer, output_layer>;

int main() {
    // A layer from its sizes and its activation object; the network from its loss object and
    // one object per layer.
    const hidden_layer layer0(2, 3, ffn::leaky_relu(0.3));
    const output_layer layer1(3, 1);
    net_type net(ffn::huber(0.5), layer0, layer1);
    net.layer<0>().weights() << 1, -1, -2, 0.5, 0.25, 1;
    net.layer<1>().weights() << 1, 1, 1;

    // The same weights with the default settings: slope 0.01 and delta 1.
    net_type defaults = net;
    defaults.layer<0>().set_activation(ffn::leaky_relu());
    defaults.set_loss_function(ffn::huber());

    const Eigen::Vector2d input(1, 2);
    const Eigen::Matrix<double, 1, 1> target(3);
    for (const net_type* n : {&net, &defaults}) {
        std::printf("slope %.2f, delta %.1f: output %.3f, loss %.4f\n",
                    n->layer<0>().activation().slope(), n->loss_function().delta(),
                    n->predict(input)(0), ffn::evaluate(*n, input, target));
    }
    std::printf("equal: %s\n", net == defaults ? "yes" : "no");
}
