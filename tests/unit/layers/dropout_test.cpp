// SPDX-License-Identifier: MIT
// ffn::dropout: inverted dropout in training mode, the identity in inference mode.

#include <cmath>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>

namespace {

template <class Scalar, Eigen::Index Units>
using dropout_net =
    ffn::network<ffn::half_squared_error, ffn::dense<3, Units, ffn::tanh, Scalar>,
                 ffn::dropout<Units, Scalar>, ffn::dense<Units, 2, ffn::identity, Scalar>>;

using dynamic_dropout_net =
    ffn::network<ffn::half_squared_error, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::tanh>,
                 ffn::dropout<Eigen::Dynamic>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::identity>>;

} // namespace

TEST_CASE("dropout: a hand-set mask zeroes and scales, forward and backward", "[layers]") {
    const ffn::dropout<4> layer(0.5);
    ffn::dropout<4>::trace_type<1> t;
    const Eigen::Vector4d input(1, 2, 3, 4);
    // Training mode as a pass leaves it: units 1 and 3 dropped, the others scaled by 1/(1-p).
    t.mask << 2, 0, 2, 0;
    t.masked = true;
    t.output = input.array() * t.mask.array();
    CHECK(t.output == Eigen::Vector4d(2, 0, 6, 0));
    t.error_signal << 1, 1, 1, 1;
    Eigen::MatrixXd dest;
    layer.input_gradient(t, dest);
    CHECK(dest == Eigen::Vector4d(2, 0, 2, 0));

    // Inference mode: the identity, and the gradient passes through unchanged.
    layer.forward(input, t);
    CHECK(t.output == input);
    CHECK_FALSE(t.masked);
    t.error_signal << 1, -2, 3, -4;
    layer.input_gradient(t, dest);
    CHECK(dest == Eigen::Vector4d(1, -2, 3, -4));
}

TEST_CASE("dropout: a training pass draws its mask from the pass's stream, sample by sample",
          "[layers]") {
    const ffn::dropout<5> layer(0.3);
    ffn::dropout<5>::trace_type<Eigen::Dynamic> t;
    const Eigen::MatrixXd input = Eigen::MatrixXd::Constant(5, 4, 2.0);
    ffn::training_pass pass(11, 0, 1);
    layer.forward(input, t, pass);
    REQUIRE(t.masked);
    // The documented draw order: column by column, then row by row, one uniform each; a value
    // is dropped when its uniform is below p.
    ffn::training_pass again(11, 0, 1);
    for (Eigen::Index c = 0; c < 4; ++c) {
        for (Eigen::Index r = 0; r < 5; ++r) {
            const double expected = again.uniform() < 0.3 ? 0.0 : 1.0 / 0.7;
            CHECK(t.mask(r, c) == expected);
            CHECK(t.output(r, c) == 2.0 * expected);
        }
    }
}

TEST_CASE("dropout: drops a fraction p of the values, and keeps the mean", "[layers]") {
    const ffn::dropout<Eigen::Dynamic> layer(100, 100, 0.25);
    ffn::dropout<Eigen::Dynamic>::trace_type<Eigen::Dynamic> t;
    const Eigen::MatrixXd input = Eigen::MatrixXd::Ones(100, 400);
    ffn::training mode(5);
    ffn::training_pass pass = mode.layer_pass(0);
    layer.forward(input, t, pass);
    const auto dropped = static_cast<double>((t.mask.array() == 0.0).count());
    const double n = 40000.0;
    // Binomial(40000, 0.25): standard deviation about 87; five of them either side.
    CHECK(std::abs(dropped - 0.25 * n) < 5 * std::sqrt(n * 0.25 * 0.75));
    CHECK(std::abs(t.output.mean() - 1.0) < 0.02);
}

TEST_CASE("dropout: p = 0 passes everything, p = 1 zeroes everything", "[layers]") {
    const Eigen::Vector3d input(1, -2, 3);
    ffn::dropout<3>::trace_type<1> t;
    ffn::training_pass pass(1, 0, 0);
    ffn::dropout<3>(0.0).forward(input, t, pass);
    CHECK(t.output == input);
    ffn::dropout<3>(1.0).forward(input, t, pass);
    CHECK(t.output == Eigen::Vector3d::Zero());
    CHECK(t.output.allFinite());
}

TEST_CASE("dropout: refuses a probability outside [0, 1] and sizes that differ", "[layers]") {
    CHECK_THROWS_WITH(ffn::dropout<3>(1.5),
                      "ffn::dropout: the probability p must be in [0, 1], got 1.500000");
    CHECK_THROWS_WITH(ffn::dropout<3>(std::nan("")),
                      Catch::Matchers::StartsWith("ffn::dropout: the probability p must be"));
    CHECK_THROWS_WITH((ffn::dropout<Eigen::Dynamic>(3, 4)),
                      "ffn::dropout: a dropout layer has as many outputs as inputs, and at "
                      "least one; got 3 inputs and 4 outputs");
    CHECK_THROWS_WITH((ffn::dropout<3>(4, 4)),
                      "ffn::dropout: a dropout layer has as many outputs as inputs (3), and at "
                      "least one; got 4 inputs and 4 outputs");
}

TEST_CASE("dropout in a network: inference is the identity, masks repeat with the seed",
          "[layers]") {
    dropout_net<double, 6> net;
    ffn::initialize(net, ffn::glorot_uniform{}, 3);
    net.layer<1>().set_probability(0.5);
    const Eigen::Matrix<double, 3, 4> x = Eigen::Matrix<double, 3, 4>::Random();

    // Inference: as if the dropout layer were not there.
    ffn::network<ffn::half_squared_error, ffn::dense<3, 6, ffn::tanh>,
                 ffn::dense<6, 2, ffn::identity>>
        without(net.layer<0>(), net.layer<2>());
    CHECK(net.predict(x) == without.predict(x));

    ffn::workspace<dropout_net<double, 6>, 4> ws;
    ffn::training a(9);
    ffn::training b(9);
    const Eigen::Matrix<double, 2, 4> first = net.forward(x, ws, a);
    CHECK(a.passes() == 1);
    CHECK(net.forward(x, ws, b) == first); // the same seed and pass: the same mask
    CHECK(net.forward(x, ws, a) != first); // the next pass: another mask
    ffn::training c(10);
    CHECK(net.forward(x, ws, c) != first); // another seed: another mask
}

TEMPLATE_TEST_CASE("dropout: gradients check in training and inference mode", "[layers]", float,
                   double) {
    dropout_net<TestType, 5> net;
    ffn::initialize(net, ffn::glorot_uniform{}, 4);
    net.template layer<1>().set_probability(0.4);
    using matrix = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
    const matrix x = matrix::Random(3, 6);
    const matrix y = matrix::Random(2, 6);
    const double limit = std::is_same_v<TestType, float> ? 2e-2 : 1e-7;
    CHECK(ffn::check_gradients(net, x, y).max_relative_error < limit);
    const auto trained = ffn::check_gradients(net, x, y, ffn::training(2));
    CHECK(trained.max_relative_error < limit);
}

TEST_CASE("dropout with dynamic sizes: built from unit counts, checked, gradients", "[layers]") {
    dynamic_dropout_net net{3, 5, 5, 2};
    ffn::initialize(net, ffn::glorot_uniform{}, 4);
    CHECK(net.layer<1>().inputs() == 5);
    CHECK(net.layer<1>().probability() == 0.5);
    const Eigen::MatrixXd x = Eigen::MatrixXd::Random(3, 6);
    const Eigen::MatrixXd y = Eigen::MatrixXd::Random(2, 6);
    CHECK(ffn::check_gradients(net, x, y, ffn::training(2)).max_relative_error < 1e-7);
    CHECK_THROWS_WITH((dynamic_dropout_net{3, 5, 4, 2}),
                      "ffn::network: layer 1: ffn::dropout: a dropout layer has as many outputs "
                      "as inputs, and at least one; got 5 inputs and 4 outputs");
    dynamic_dropout_net empty;
    CHECK_THROWS_WITH(empty.predict(x), Catch::Matchers::StartsWith(
                                            "ffn::network::predict: layer 0: the layer is empty"));
}
