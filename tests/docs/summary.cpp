// SPDX-License-Identifier: MIT
// docs/training.md quotes this file whole: ffn::summary of a network with settings and frozen
// tensors.
#include <iostream>

#include <ffn/ffn.hpp>

int main() {
    using net_type =
        ffn::network<ffn::categorical_cross_entropy, ffn::dense<4, 16, ffn::relu>,
                     ffn::dense<16, 16, ffn::leaky_relu>, ffn::dense<16, 3, ffn::softmax>>;
    net_type net;
    net.layer<1>().set_activation(ffn::leaky_relu(0.2));
    net.layer<0>().freeze_weights(); // a pretrained first layer, kept as it is
    net.layer<0>().freeze_bias();
    std::cout << ffn::summary(net, 32);
}
