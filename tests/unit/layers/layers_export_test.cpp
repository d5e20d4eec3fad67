// SPDX-License-Identifier: MIT
// Dropout and batch normalisation in the summary and in the Graphviz export.

#include <string>

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>

namespace {

using net_type =
    ffn::network<ffn::categorical_cross_entropy,
                 ffn::dense<3, 4, ffn::identity, double, ffn::no_bias>,
                 ffn::batch_norm<4, ffn::relu>, ffn::dropout<4>, ffn::dense<4, 2, ffn::softmax>>;

net_type make_net() {
    net_type net;
    ffn::initialize(net, ffn::glorot_uniform{}, 1);
    net.layer<1>().weight() << 1.5, 1, 1, 1;
    net.layer<1>().bias() << 0.25, 0, 0, 0;
    net.layer<2>().set_probability(0.2);
    return net;
}

} // namespace

TEST_CASE("summary: dropout and batch_norm with their settings, buffers not counted as frozen",
          "[layers]") {
    const std::string text = ffn::summary(make_net(), 8);
    CHECK_THAT(text, Catch::Matchers::Contains(
                         "1      batch_norm(momentum=0.1, epsilon=1e-05)  relu        -         "
                         "4 x 8                   8  -"));
    CHECK_THAT(text, Catch::Matchers::Contains(
                         "2      dropout(p=0.2)                           -           -         "
                         "4 x 8                   0  -"));
    CHECK_THAT(text, Catch::Matchers::Contains("total parameters:         30"));
    CHECK_THAT(text, Catch::Matchers::Contains("frozen parameters:        0"));
    // Workspace: the input (3 x 8), dense 3 x (4 x 8), batch_norm 4 x (4 x 8) + 2 x 4,
    // dropout 3 x (4 x 8), dense 3 x (2 x 8): 24 + 96 + 136 + 96 + 48 = 400 doubles.
    CHECK_THAT(text, Catch::Matchers::Contains("workspace bytes, batch 8: 3200"));
}

TEST_CASE("write_dot: batch_norm's scales and shifts on its edges, dropout's probability",
          "[layers]") {
    const std::string dot = ffn::to_dot(make_net());
    CHECK_THAT(dot, Catch::Matchers::Contains(
                        "label=\"layer 1: batch_norm(momentum=0.1, epsilon=1e-05), relu\""));
    CHECK_THAT(dot,
               Catch::Matchers::Contains("h1_1 -> h2_1 [label=\"gamma = 1.5\\nbeta = 0.25\"]"));
    CHECK_THAT(dot, Catch::Matchers::Contains("label=\"layer 2: dropout(p=0.2)\""));
    CHECK_THAT(dot, Catch::Matchers::Contains("h2_3 -> h3_3;"));
    CHECK_THAT(dot, Catch::Matchers::Contains("h3_4 -> o2"));
}
