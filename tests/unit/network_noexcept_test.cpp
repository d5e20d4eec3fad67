// SPDX-License-Identifier: MIT
// Where the types prove every size, forward, loss, backward, predict and the optimizers' step
// are noexcept and check nothing at run time; with a dynamic size anywhere they keep their
// checks and may throw.

#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/activations/identity.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/layers/batch_norm.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/layers/dropout.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>
#include <ffn/optimizers/adam.hpp>
#include <ffn/optimizers/adamw.hpp>
#include <ffn/optimizers/rmsprop.hpp>
#include <ffn/optimizers/sgd.hpp>

namespace {

using lecture_net =
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, float, ffn::shared_bias>,
                 ffn::dense<2, 2, ffn::sigmoid, float, ffn::shared_bias>>;

using layered_net =
    ffn::network<ffn::categorical_cross_entropy, ffn::dense<4, 8, ffn::identity>,
                 ffn::batch_norm<8, ffn::relu>, ffn::dropout<8>, ffn::dense<8, 3, ffn::softmax>>;

using dynamic_net =
    ffn::network<ffn::half_squared_error, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;

// One dynamic layer makes the network's shapes a matter of run time.
using partly_dynamic_net =
    ffn::network<ffn::half_squared_error, ffn::dense<2, Eigen::Dynamic, ffn::sigmoid>,
                 ffn::dense<Eigen::Dynamic, 2, ffn::sigmoid>>;

template <class Net, class Optimizer>
constexpr bool step_is_noexcept = noexcept(std::declval<Optimizer&>().step(
    std::declval<Net&>(), std::declval<const ffn::gradients<Net>&>()));

} // namespace

TEST_CASE("a fixed-size network says so in its type", "[network][noexcept]") {
    STATIC_REQUIRE(lecture_net::fixed_size);
    STATIC_REQUIRE(layered_net::fixed_size);
    STATIC_REQUIRE_FALSE(dynamic_net::fixed_size);
    STATIC_REQUIRE_FALSE(partly_dynamic_net::fixed_size);
}

TEST_CASE("fixed sizes everywhere: the passes and the steps are noexcept", "[network][noexcept]") {
    lecture_net net;
    ffn::workspace<lecture_net> ws;
    ffn::gradients<lecture_net> grads;
    const Eigen::Vector2f input(0.1F, 0.5F);
    const Eigen::Vector2f target(0.05F, 0.95F);
    STATIC_REQUIRE(noexcept(net.forward(input, ws)));
    STATIC_REQUIRE(noexcept(net.loss(ws, target)));
    STATIC_REQUIRE(noexcept(net.backward(ws, target, grads)));
    STATIC_REQUIRE(noexcept(net.predict(input)));
    STATIC_REQUIRE(step_is_noexcept<lecture_net, ffn::sgd<lecture_net>>);
    STATIC_REQUIRE(step_is_noexcept<lecture_net, ffn::adam<lecture_net>>);
    STATIC_REQUIRE(step_is_noexcept<lecture_net, ffn::adamw<lecture_net>>);
    STATIC_REQUIRE(step_is_noexcept<lecture_net, ffn::rmsprop<lecture_net>>);

    // A fixed batch of four, and the training-mode pass of a network with batch normalisation
    // and dropout.
    layered_net layered;
    ffn::workspace<layered_net, 4> batch;
    ffn::gradients<layered_net> layered_grads;
    ffn::training mode(7);
    const Eigen::Matrix<double, 4, 4> x = Eigen::Matrix<double, 4, 4>::Random();
    const Eigen::Matrix<double, 3, 4> y = Eigen::Matrix<double, 3, 4>::Identity();
    STATIC_REQUIRE(noexcept(layered.forward(x, batch)));
    STATIC_REQUIRE(noexcept(layered.forward(x, batch, mode)));
    STATIC_REQUIRE(noexcept(layered.loss(batch, y)));
    STATIC_REQUIRE(noexcept(layered.backward(batch, y, layered_grads)));
    STATIC_REQUIRE(noexcept(layered.predict(x)));
    STATIC_REQUIRE(step_is_noexcept<layered_net, ffn::adam<layered_net>>);

    // And they compute: the lecture's forward pass (output_o1 0.73492, E_total 0.24908,
    // truncated to five decimals).
    net.layer<0>().weights() << 0.1F, 0.3F, 0.2F, 0.4F;
    net.layer<0>().bias() << 0.25F;
    net.layer<1>().weights() << 0.5F, 0.6F, 0.7F, 0.8F;
    net.layer<1>().bias() << 0.35F;
    CHECK(net.forward(input, ws)(0) == Approx(0.73492F).margin(2e-5));
    CHECK(net.loss(ws, target) == Approx(0.24908F).margin(2e-5));
}

TEST_CASE("a dynamic size anywhere keeps the run-time checks", "[network][noexcept]") {
    lecture_net net;
    ffn::workspace<lecture_net> ws;
    ffn::workspace<lecture_net, Eigen::Dynamic> dynamic_batch;
    ffn::gradients<lecture_net> grads;
    const Eigen::VectorXf dynamic_input = Eigen::VectorXf::Zero(2);
    const Eigen::Vector2f input(0.1F, 0.5F);
    const Eigen::MatrixXf dynamic_target = Eigen::MatrixXf::Zero(2, 1);
    // A dynamic input, target or batch: its size is known at run time only.
    STATIC_REQUIRE_FALSE(noexcept(net.forward(dynamic_input, ws)));
    STATIC_REQUIRE_FALSE(noexcept(net.forward(input, dynamic_batch)));
    STATIC_REQUIRE_FALSE(noexcept(net.loss(ws, dynamic_target)));
    STATIC_REQUIRE_FALSE(noexcept(net.backward(ws, dynamic_target, grads)));
    STATIC_REQUIRE_FALSE(noexcept(net.predict(dynamic_input)));
    CHECK_THROWS_AS(net.forward(Eigen::VectorXf::Zero(3), ws), std::invalid_argument);
    CHECK_THROWS_AS(net.backward(ws, Eigen::MatrixXf::Zero(3, 1), grads), std::invalid_argument);

    // A dynamic network.
    dynamic_net dynamic({2, 3, 2});
    ffn::workspace<dynamic_net> one;
    ffn::gradients<dynamic_net> dynamic_grads(dynamic);
    const Eigen::Vector2d x(0.1, 0.5);
    STATIC_REQUIRE_FALSE(noexcept(dynamic.forward(x, one)));
    STATIC_REQUIRE_FALSE(noexcept(dynamic.loss(one, x)));
    STATIC_REQUIRE_FALSE(step_is_noexcept<dynamic_net, ffn::sgd<dynamic_net>>);
    STATIC_REQUIRE_FALSE(step_is_noexcept<dynamic_net, ffn::adam<dynamic_net>>);
    STATIC_REQUIRE_FALSE(step_is_noexcept<partly_dynamic_net, ffn::sgd<partly_dynamic_net>>);
    ffn::sgd optimizer(dynamic, 0.5);
    ffn::gradients<dynamic_net> wrong_shape;
    CHECK_THROWS_WITH(optimizer.step(dynamic, wrong_shape),
                      Catch::Contains("ffn::sgd: layer 0 weights: the gradient is 0x0"));

    // A setting is a value, checked at run time whatever the sizes.
    CHECK_THROWS_WITH(ffn::sgd<lecture_net>(net, -0.5F),
                      "ffn::sgd: learning_rate must be positive and finite, got -0.5");
}
