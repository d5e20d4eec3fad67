// SPDX-License-Identifier: MIT
// ffn::batch_norm: PyTorch's BatchNorm1d, checked against numbers worked out from its
// definitions, and its gradients against central differences.

#include <cmath>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>

namespace {

// The layers before a batch normalisation have no biases: the normalisation removes any shift,
// so their gradient would be zero and a gradient check would compare rounding noise.
template <class Scalar, Eigen::Index Units>
using bn_net =
    ffn::network<ffn::half_squared_error, ffn::dense<3, Units, ffn::identity, Scalar, ffn::no_bias>,
                 ffn::batch_norm<Units, ffn::tanh, Scalar>, ffn::dropout<Units, Scalar>,
                 ffn::dense<Units, 2, ffn::identity, Scalar>>;

using dynamic_bn_net =
    ffn::network<ffn::categorical_cross_entropy,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::identity, double, ffn::no_bias>,
                 ffn::batch_norm<Eigen::Dynamic, ffn::relu>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::softmax>>;

} // namespace

TEST_CASE("batch_norm: training and inference, with running statistics after two steps",
          "[layers]") {
    ffn::batch_norm<2> layer;
    layer.weight() << 2.0, 1.0;
    layer.bias() << 0.5, 0.0;
    // Feature 0: 1, 2, 3 (mean 2, biased variance 2/3, unbiased 1).
    // Feature 1: 0, 0, 6 (mean 2, biased variance 8, unbiased 12).
    Eigen::Matrix<double, 2, 3> x;
    x << 1, 2, 3, 0, 0, 6;
    ffn::batch_norm<2>::trace_type<3> t;
    ffn::training_pass pass(0, 0, 0);
    layer.forward(x, t, pass);

    const double eps = 1e-5;
    const double s0 = 1.0 / std::sqrt(2.0 / 3.0 + eps);
    const double s1 = 1.0 / std::sqrt(8.0 + eps);
    const double expected[2][3] = {{2 * (-1 * s0) + 0.5, 0.5, 2 * s0 + 0.5},
                                   {-2 * s1, -2 * s1, 4 * s1}};
    for (int r = 0; r < 2; ++r) {
        for (int c = 0; c < 3; ++c) {
            CHECK(t.output(r, c) == Approx(expected[r][c]).epsilon(1e-14));
        }
    }
    // Momentum 0.1: mean 0 -> 0.2, variance 1 -> 0.9 + 0.1 * unbiased.
    CHECK(layer.running_mean()(0) == Approx(0.2).epsilon(1e-15));
    CHECK(layer.running_mean()(1) == Approx(0.2).epsilon(1e-15));
    CHECK(layer.running_var()(0) == Approx(1.0).epsilon(1e-15));
    CHECK(layer.running_var()(1) == Approx(2.1).epsilon(1e-15));
    CHECK(layer.num_batches_tracked() == 1);

    layer.forward(x, t, pass);
    CHECK(layer.running_mean()(0) == Approx(0.38).epsilon(1e-15));
    CHECK(layer.running_mean()(1) == Approx(0.38).epsilon(1e-15));
    CHECK(layer.running_var()(0) == Approx(1.0).epsilon(1e-15));
    CHECK(layer.running_var()(1) == Approx(0.9 * 2.1 + 1.2).epsilon(1e-15));
    CHECK(layer.num_batches_tracked() == 2);

    // Inference uses the running statistics and changes nothing.
    const Eigen::Vector2d one(1, 3);
    ffn::batch_norm<2>::trace_type<1> u;
    layer.forward(one, u);
    CHECK(u.output(0) == Approx(2 * (1 - 0.38) / std::sqrt(1.0 + eps) + 0.5).epsilon(1e-14));
    CHECK(u.output(1) == Approx((3 - 0.38) / std::sqrt(3.09 + eps)).epsilon(1e-14));
    CHECK(layer.num_batches_tracked() == 2);
}

TEST_CASE("batch_norm: the training-mode input gradient, worked by hand for one feature",
          "[layers]") {
    // One feature, batch 1, 2, 3, gamma 1: xhat = (-1, 0, 1) * s with s = 1 / sqrt(2/3 + eps).
    // With dE/dy = (1, 0, 0): sum(d) = 1, sum(d * xhat) = -s, so
    // dE/dx = s / 3 * (3 d - 1 - xhat * (-s)) = s / 3 * (3 d - 1 + s^2 (-1, 0, 1)).
    ffn::batch_norm<1> layer;
    Eigen::Matrix<double, 1, 3> x(1, 2, 3);
    ffn::batch_norm<1>::trace_type<3> t;
    ffn::training_pass pass(0, 0, 0);
    layer.forward(x, t, pass);
    t.error_signal << 1, 0, 0;
    Eigen::MatrixXd dx;
    layer.input_gradient(t, dx);
    const double s = 1.0 / std::sqrt(2.0 / 3.0 + 1e-5);
    CHECK(dx(0) == Approx(s / 3 * (3 - 1 - s * s)).epsilon(1e-13));
    CHECK(dx(1) == Approx(s / 3 * (-1)).epsilon(1e-13));
    CHECK(dx(2) == Approx(s / 3 * (-1 + s * s)).epsilon(1e-13));
    // The mean is removed: the input gradients of a batch add up to zero.
    CHECK(std::abs(dx.sum()) < 1e-15);
}

TEST_CASE("batch_norm: settings, sizes and a batch too small for training are refused",
          "[layers]") {
    CHECK_THROWS_WITH((ffn::batch_norm<Eigen::Dynamic>(3, 3, {}, 1.5)),
                      "ffn::batch_norm: the momentum must be in [0, 1], got 1.500000");
    CHECK_THROWS_WITH((ffn::batch_norm<Eigen::Dynamic>(3, 3, {}, 0.1, 0.0)),
                      "ffn::batch_norm: epsilon must be positive and finite, got 0.000000");
    CHECK_THROWS_WITH((ffn::batch_norm<4>(3, 3)),
                      "ffn::batch_norm: a batch normalisation layer has as many outputs as "
                      "inputs (4), and at least one; got 3 inputs and 3 outputs");

    bn_net<double, 4> net;
    ffn::initialize(net, ffn::glorot_uniform{}, 1);
    const bn_net<double, 4> before = net;
    ffn::workspace<bn_net<double, 4>, Eigen::Dynamic> ws;
    ffn::training mode(1);
    const Eigen::Vector3d one(1, 2, 3);
    CHECK_THROWS_WITH(net.forward(one, ws, mode),
                      "ffn::network::forward: a training-mode pass through a batch "
                      "normalisation layer needs at least 2 samples (a variance needs two), "
                      "got 1");
    CHECK(net == before);
    CHECK(mode.passes() == 0);
    CHECK(net.predict(one).allFinite()); // inference takes one sample
}

TEST_CASE("batch_norm: initialize resets it as PyTorch does, and draws nothing for it",
          "[layers]") {
    bn_net<double, 4> net;
    net.layer<1>().weight().setConstant(3.0);
    net.layer<1>().running_var().setConstant(7.0);
    net.layer<1>().set_num_batches_tracked(5);
    ffn::initialize(net, ffn::glorot_uniform{}, 1);
    CHECK(net.layer<1>().weight() == Eigen::Vector4d::Ones());
    CHECK(net.layer<1>().bias() == Eigen::Vector4d::Zero());
    CHECK(net.layer<1>().running_mean() == Eigen::Vector4d::Zero());
    CHECK(net.layer<1>().running_var() == Eigen::Vector4d::Ones());
    CHECK(net.layer<1>().num_batches_tracked() == 0);
    // The layers around it draw what they would draw without it.
    ffn::network<ffn::half_squared_error, ffn::dense<3, 4, ffn::identity, double, ffn::no_bias>>
        alone;
    ffn::initialize(alone, ffn::glorot_uniform{}, 1);
    CHECK(alone.layer<0>().weights() == net.layer<0>().weights());
}

TEMPLATE_TEST_CASE("batch_norm: gradients check in training and inference mode", "[layers]", float,
                   double) {
    bn_net<TestType, 5> net;
    ffn::initialize(net, ffn::glorot_uniform{}, 4);
    auto& bn = net.template layer<1>();
    bn.weight() << TestType(1.5), TestType(0.5), TestType(-1), TestType(2), TestType(0.8);
    bn.bias() << TestType(0.1), TestType(-0.2), TestType(0.3), TestType(0), TestType(0.5);
    bn.running_mean().setConstant(TestType(0.1));
    bn.running_var().setConstant(TestType(0.7));
    net.template layer<2>().set_probability(0.3);
    using matrix = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
    const matrix x = matrix::Random(3, 6);
    const matrix y = matrix::Random(2, 6);
    const double limit = std::is_same_v<TestType, float> ? 3e-2 : 1e-6;
    const auto inference = ffn::check_gradients(net, x, y);
    CHECK(inference.max_relative_error < limit);
    // In inference mode the running statistics shape the output, so they have gradients.
    CHECK(inference.tensors[2].tensor == "weight");
    CHECK(inference.tensors[4].tensor == "running_mean");
    CHECK(inference.tensors[4].analytic_norm > 0);
    CHECK(inference.tensors[5].analytic_norm > 0);
    const auto trained = ffn::check_gradients(net, x, y, ffn::training(6));
    CHECK(trained.max_relative_error < limit);
    CHECK(trained.tensors[4].analytic_norm == 0); // and in training mode they have none
    CHECK(trained.tensors[5].analytic_norm == 0);
}

TEST_CASE("batch_norm: dynamic sizes, softmax output, fit trains it and keeps statistics",
          "[layers]") {
    dynamic_bn_net net{2, 8, 8, 2};
    ffn::initialize(net, ffn::he_uniform{}, 2);
    const Eigen::MatrixXd x = Eigen::MatrixXd::Random(2, 6);
    Eigen::MatrixXd y = Eigen::MatrixXd::Zero(2, 6);
    y.row(0) << 1, 0, 1, 0, 1, 0;
    y.row(1) = 1.0 - y.row(0).array();
    CHECK(ffn::check_gradients(net, x, y, ffn::training(1)).max_relative_error < 1e-6);

    // Two features far from zero mean: the running mean must find them.
    Eigen::MatrixXd inputs(2, 200);
    Eigen::MatrixXd targets = Eigen::MatrixXd::Zero(2, 200);
    ffn::detail::random_engine engine(3);
    for (Eigen::Index j = 0; j < 200; ++j) {
        inputs(0, j) = 5.0 + engine.normal();
        inputs(1, j) = -3.0 + 2.0 * engine.normal();
        targets(inputs(0, j) - 5.0 > 0.5 * (inputs(1, j) + 3.0) ? 0 : 1, j) = 1.0;
    }
    ffn::adam opt(net, 0.01);
    const auto history = ffn::fit(net, opt, inputs, targets,
                                  {.batch_size = 20, .epochs = 40, .seed = 1, .accuracy = true});
    CHECK(history.epochs.back().training_loss < history.epochs.front().training_loss);
    CHECK(ffn::accuracy(net, inputs, targets) > 0.9);
    CHECK(net.layer<1>().num_batches_tracked() == 400);
    // The first layer's outputs have some mean; the running mean follows the batches'.
    const Eigen::MatrixXd sums = net.layer<0>().weights() * inputs;
    CHECK((net.layer<1>().running_mean() - sums.rowwise().mean()).cwiseAbs().maxCoeff() <
          0.5 * sums.rowwise().mean().cwiseAbs().maxCoeff() + 0.1);

    // A last batch of one sample cannot be normalised: refused before training.
    dynamic_bn_net other{2, 8, 8, 2};
    ffn::initialize(other, ffn::he_uniform{}, 2);
    ffn::adam opt2(other, 0.01);
    CHECK_THROWS_WITH(
        ffn::fit(other, opt2, inputs.leftCols(21), targets.leftCols(21),
                 {.batch_size = 10, .epochs = 1}),
        "ffn::fit: the network normalises with each batch's statistics, so every batch needs "
        "at least 2 samples; options.batch_size is 10 and the 21 training samples leave a last "
        "batch of 1 (choose a batch size that leaves none or at least 2)");
}
