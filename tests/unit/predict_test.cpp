// SPDX-License-Identifier: MIT
// The inference pass, `predict(input, ws)` with an `ffn::inference_workspace`: the outputs of
// `forward`, from a workspace that keeps only each layer's outputs, with `forward`'s checks.

#include <stdexcept>
#include <type_traits>

#include <catch2/catch.hpp>

#include <ffn/activations/relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/layers/batch_norm.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/layers/dropout.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/losses/mean_squared_error.hpp>
#include <ffn/network.hpp>

using Catch::Matchers::Contains;

namespace {

using tanh_net = ffn::network<ffn::mean_squared_error, ffn::dense<8, 8, ffn::tanh, float>,
                              ffn::dense<8, 8, ffn::tanh, float>,
                              ffn::dense<8, 1, ffn::identity, float, ffn::shared_bias>>;

using classifier = ffn::network<ffn::categorical_cross_entropy, ffn::dense<5, 16, ffn::relu>,
                                ffn::dense<16, 12, ffn::sigmoid, double, ffn::no_bias>,
                                ffn::dense<12, 3, ffn::softmax>>;

using dynamic_net =
    ffn::network<ffn::mean_squared_error, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::relu>,
                 ffn::batch_norm<Eigen::Dynamic>, ffn::dropout<Eigen::Dynamic>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::tanh>>;

dynamic_net make_dynamic_net() {
    dynamic_net net({4, 6, 6, 6, 2});
    ffn::initialize(net, ffn::glorot_uniform{}, 5);
    // Running statistics away from their start, so that inference-mode normalisation shows.
    net.layer<1>().running_mean().setLinSpaced(-0.5, 0.5);
    return net;
}

} // namespace

TEST_CASE("predict gives forward's outputs on a fixed-size network, one sample at a time",
          "[predict]") {
    tanh_net net;
    ffn::initialize(net, ffn::glorot_uniform{}, 3);
    ffn::workspace<tanh_net> ws;
    ffn::inference_workspace<tanh_net> iws;
    for (int sample = 0; sample < 20; ++sample) {
        const Eigen::Matrix<float, 8, 1> x = Eigen::Matrix<float, 8, 1>::Random();
        const Eigen::Matrix<float, 1, 1> expected = net.forward(x, ws);
        const Eigen::Matrix<float, 1, 1>& got = net.predict(x, iws);
        CHECK(got == expected);
        CHECK(&got == &iws.output()); // a reference into the workspace
        CHECK(net.predict(x) == expected);
    }
    const Eigen::Matrix<float, 8, 1> sample = Eigen::Matrix<float, 8, 1>::Zero();
    STATIC_REQUIRE(noexcept(net.predict(sample, iws)));
}

TEST_CASE("an inference workspace keeps less than a workspace and starts at zero", "[predict]") {
    STATIC_REQUIRE(sizeof(ffn::inference_workspace<tanh_net>) * 3 <=
                   sizeof(ffn::workspace<tanh_net>));
    STATIC_REQUIRE(sizeof(ffn::inference_workspace<tanh_net, 16>) * 3 <=
                   sizeof(ffn::workspace<tanh_net, 16>));
    const ffn::inference_workspace<tanh_net, 4> iws;
    CHECK(iws.output().rows() == 1);
    CHECK(iws.output().cols() == 4);
    CHECK(iws.output().isZero(0.0F));
}

TEST_CASE("predict gives forward's outputs with a softmax output layer and fixed batches",
          "[predict]") {
    classifier net;
    ffn::initialize(net, ffn::glorot_uniform{}, 8);
    const Eigen::Matrix<double, 5, 7> x = Eigen::Matrix<double, 5, 7>::Random();
    ffn::workspace<classifier, 7> ws;
    ffn::inference_workspace<classifier, 7> iws;
    const Eigen::Matrix<double, 3, 7> expected = net.forward(x, ws);
    CHECK(net.predict(x, iws) == expected);
    CHECK(net.predict(x) == expected);
    // Each column is a probability distribution.
    CHECK((iws.output().colwise().sum().array() - 1.0).abs().maxCoeff() < 1e-12);

    // A block of a larger matrix, without copying it first.
    const Eigen::MatrixXd data = Eigen::MatrixXd::Random(5, 20);
    ffn::inference_workspace<classifier, Eigen::Dynamic> any;
    ffn::workspace<classifier, Eigen::Dynamic> any_ws;
    CHECK(net.predict(data.middleCols(4, 9), any) == net.forward(data.middleCols(4, 9), any_ws));
    CHECK(any.output().cols() == 9);
    CHECK(net.predict(data.middleCols(0, 2), any) == net.forward(data.middleCols(0, 2), any_ws));
    CHECK(any.output().cols() == 2);
}

TEST_CASE("predict gives forward's outputs on a dynamic network with batch normalisation "
          "and dropout",
          "[predict]") {
    const dynamic_net net = make_dynamic_net();
    const Eigen::MatrixXd x = Eigen::MatrixXd::Random(4, 11);
    ffn::workspace<dynamic_net, Eigen::Dynamic> ws;
    ffn::inference_workspace<dynamic_net, Eigen::Dynamic> iws;
    const Eigen::MatrixXd expected = net.forward(x, ws);
    CHECK(net.predict(x, iws) == expected);
    CHECK(net.predict(x) == expected);
    CHECK(iws.output().rows() == 2);
    CHECK(iws.output().cols() == 11);
    STATIC_REQUIRE_FALSE(noexcept(net.predict(x, iws)));

    // One sample at a time into a batch-1 workspace (a matrix-vector product instead of a
    // matrix product: equal within rounding).
    ffn::inference_workspace<dynamic_net> one;
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
        CHECK(net.predict(x.col(c), one).isApprox(expected.col(c), 1e-12));
    }
}

TEST_CASE("predict refuses inputs that do not fit, naming predict and the sizes", "[predict]") {
    const dynamic_net net = make_dynamic_net();
    ffn::inference_workspace<dynamic_net, Eigen::Dynamic> iws;
    CHECK_THROWS_WITH(net.predict(Eigen::MatrixXd::Zero(3, 2), iws),
                      Contains("ffn::network::predict") &&
                          Contains("the input has 3 rows, but the network expects 4"));
    CHECK_THROWS_WITH(net.predict(Eigen::MatrixXd::Zero(4, 0), iws),
                      Contains("ffn::network::predict") && Contains("no columns"));
    ffn::inference_workspace<dynamic_net, 2> pair;
    CHECK_THROWS_WITH(net.predict(Eigen::MatrixXd::Zero(4, 3), pair),
                      Contains("the input has 3 columns, but the workspace holds batches of "
                               "exactly 2"));
    CHECK_THROWS_AS(net.predict(Eigen::MatrixXd::Zero(4, 3), pair), std::invalid_argument);

    const dynamic_net empty;
    CHECK_THROWS_WITH(empty.predict(Eigen::MatrixXd::Zero(4, 1), iws),
                      Contains("ffn::network::predict: layer 0") && Contains("empty"));

    tanh_net fixed;
    ffn::inference_workspace<tanh_net> one;
    CHECK_THROWS_WITH(fixed.predict(Eigen::MatrixXf::Zero(7, 1), one),
                      Contains("the input has 7 rows, but the network expects 8"));
}
