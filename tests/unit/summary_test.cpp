// SPDX-License-Identifier: MIT
// ffn::summary: the exact table for the lecture's network and for a dynamic network with
// frozen tensors and settings, the byte counts worked by hand and against a real workspace,
// and the errors.

#include <cstddef>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/huber.hpp>
#include <ffn/network.hpp>
#include <ffn/summary.hpp>

#include "lecture/lecture_net.hpp"

namespace {

using dynamic_net =
    ffn::network<ffn::huber, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::leaky_relu, float>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::identity, float, ffn::no_bias>>;

// 3 inputs, 4 leaky relu units with frozen weights, 1 linear output without a bias.
dynamic_net make_dynamic_net() {
    dynamic_net net({3, 4, 1});
    net.layer<0>().set_activation(ffn::leaky_relu(0.1));
    net.layer<0>().freeze_weights();
    net.layer<1>().freeze_bias(); // it has no biases, so nothing is frozen
    net.set_loss_function(ffn::huber(0.5));
    return net;
}

// The values a workspace holds after a forward and a backward pass of `batch` samples.
template <class Net>
Eigen::Index workspace_values(const Net& net, Eigen::Index batch) {
    ffn::workspace<Net, Eigen::Dynamic> ws;
    ffn::gradients<Net> grads(net);
    using matrix = Eigen::Matrix<typename Net::scalar_type, Eigen::Dynamic, Eigen::Dynamic>;
    net.forward(matrix::Zero(net.inputs(), batch), ws);
    net.backward(ws, matrix::Zero(net.outputs(), batch), grads);
    Eigen::Index values = ws.input().size();
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((values += ws.template layer<I>().sum.size() + ws.template layer<I>().output.size() +
                    ws.template layer<I>().error_signal.size()),
         ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    return values;
}

} // namespace

TEST_CASE("summary of the lecture's network", "[summary]") {
    // Each layer: 2 x 2 weights and one shared bias, 5 parameters; the biases are frozen, so
    // 2 of the 10 are. 10 doubles are 80 bytes. A workspace for one sample holds the input
    // (2 values) and each layer's sum, output and error signal (3 x 2 values): 2 + 6 + 6 = 14
    // doubles, 112 bytes.
    CHECK(ffn::summary(lecture::make_network<double>()) ==
          "layer  kind   activation  bias    units x batch  parameters  frozen\n"
          "------------------------------------------------------------------------\n"
          "0      dense  sigmoid     shared  2 x 1                   5  bias frozen\n"
          "1      dense  sigmoid     shared  2 x 1                   5  bias frozen\n"
          "------------------------------------------------------------------------\n"
          "inputs:                   2\n"
          "loss:                     half_squared_error\n"
          "scalar:                   double (8 bytes)\n"
          "total parameters:         10\n"
          "trainable parameters:     8\n"
          "frozen parameters:        2\n"
          "parameter bytes:          80\n"
          "workspace bytes, batch 1: 112\n");
    // In float, half the bytes; for 4 samples, 4 x 14 floats = 224 bytes.
    const std::string text = ffn::summary(lecture::make_network<float>(), 4);
    CHECK(text.find("0      dense  sigmoid     shared  2 x 4                   5  bias frozen\n") !=
          std::string::npos);
    CHECK(text.find("parameter bytes:          40\n") != std::string::npos);
    CHECK(text.find("workspace bytes, batch 4: 224\n") != std::string::npos);
}

TEST_CASE("summary of a dynamic network with a frozen layer and settings", "[summary]") {
    // Layer 0: 4 x 3 weights (frozen) and 4 biases, 16 parameters; layer 1: 1 x 4 weights
    // and no bias, 4. Total 20, frozen 12, trainable 8; 20 floats are 80 bytes. A workspace
    // for 32 samples: input 3 x 32 = 96, layer 0 3 x 4 x 32 = 384, layer 1 3 x 1 x 32 = 96,
    // 576 floats, 2304 bytes.
    CHECK(ffn::summary(make_dynamic_net(), 32) ==
          "layer  kind   activation             bias      units x batch  parameters  frozen\n"
          "----------------------------------------------------------------------------------"
          "------\n"
          "0      dense  leaky_relu(slope=0.1)  per_unit  4 x 32                 16  weights "
          "frozen\n"
          "1      dense  identity               none      1 x 32                  4  -\n"
          "----------------------------------------------------------------------------------"
          "------\n"
          "inputs:                    3\n"
          "loss:                      huber(delta=0.5)\n"
          "scalar:                    float (4 bytes)\n"
          "total parameters:          20\n"
          "trainable parameters:      8\n"
          "frozen parameters:         12\n"
          "parameter bytes:           80\n"
          "workspace bytes, batch 32: 2304\n");
}

TEST_CASE("summary's workspace bytes are what a workspace holds", "[summary]") {
    CHECK(workspace_values(make_dynamic_net(), 32) == 576);
    CHECK(workspace_values(lecture::make_network<double>(), 1) == 14);
    // A fixed network with both tensors of a layer frozen: 5 x 3 weights and 5 biases, then
    // 2 x 5 and 2; for 7 samples 7 x (3 + 3 x 5 + 3 x 2) = 168 doubles, 1344 bytes.
    ffn::network<ffn::huber, ffn::dense<3, 5, ffn::relu>, ffn::dense<5, 2, ffn::identity>> net;
    net.layer<1>().freeze_weights();
    net.layer<1>().freeze_bias();
    CHECK(workspace_values(net, 7) == 168);
    const std::string text = ffn::summary(net, 7);
    CHECK(text.find("1      dense  identity    per_unit  2 x 7                  12  weights and "
                    "bias frozen\n") != std::string::npos);
    CHECK(text.find("loss:                     huber(delta=1)\n") != std::string::npos);
    CHECK(text.find("frozen parameters:        12\n") != std::string::npos);
    CHECK(text.find("parameter bytes:          256\n") != std::string::npos);
    CHECK(text.find("workspace bytes, batch 7: 1344\n") != std::string::npos);
}

TEST_CASE("summary refuses an empty network and a batch that is not positive", "[summary]") {
    const dynamic_net empty;
    CHECK_THROWS_WITH(ffn::summary(empty),
                      Catch::StartsWith("ffn::summary: layer 0: the layer is empty"));
    dynamic_net unchained = make_dynamic_net();
    unchained.layer<1>().weights().resize(1, 5);
    CHECK_THROWS_WITH(ffn::summary(unchained),
                      "ffn::summary: layer 1 (dense) takes 5 inputs, but layer 0 (dense) gives 4 "
                      "outputs");
    CHECK_THROWS_WITH(ffn::summary(make_dynamic_net(), 0),
                      "ffn::summary: the batch size must be positive, got 0");
}
