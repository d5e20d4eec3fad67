// SPDX-License-Identifier: MIT
// docs/interop.md quotes this file whole. Loads the model PyTorch trained, predicts with it,
// and saves it back for PyTorch.
#include <cstdio>

#include <ffn/ffn.hpp>

// nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3)), in float as PyTorch trained it.
using net_type = ffn::network<ffn::mean_squared_error, ffn::dense<4, 8, ffn::tanh, float>,
                              ffn::dense<8, 3, ffn::identity, float>>;

int main() {
    net_type net;
    ffn::load_safetensors(net, "model.safetensors"); // tensors 0.weight, 0.bias, 2.weight, 2.bias

    const Eigen::Vector4f input(0.5F, -1.0F, 0.25F, 2.0F); // one sample, one column
    const Eigen::Vector3f output = net.predict(input);
    std::printf("[%.9g, %.9g, %.9g]\n", static_cast<double>(output(0)),
                static_cast<double>(output(1)), static_cast<double>(output(2)));

    ffn::save_safetensors(net, "back.safetensors"); // the same names, F32
}
