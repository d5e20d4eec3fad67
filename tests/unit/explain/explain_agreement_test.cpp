// SPDX-License-Identifier: MIT
// For every weight and bias of networks with several activations, in float and double, with
// fixed and dynamic sizes, one sample and batches: the explanation's sum of products equals
// the backward pass's gradient.

#include <ffn/activations/sigmoid.hpp>
#include <ffn/explain.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

#include "unit/explain/check.hpp"
#include "unit/explain/policies.hpp"

namespace {

using explain_test::softplus_activation;
using explain_test::tanh_activation;

// 3 inputs, then tanh (4 units), softplus (3 units), sigmoid (2 outputs).
template <class Scalar>
struct fixed_sizes {
    using scalar = Scalar;
    using net_type =
        ffn::network<ffn::half_squared_error, ffn::dense<3, 4, tanh_activation, Scalar>,
                     ffn::dense<4, 3, softplus_activation, Scalar>,
                     ffn::dense<3, 2, ffn::sigmoid, Scalar>>;
    static net_type make() { return net_type{}; }
};

template <class Scalar>
struct dynamic_sizes {
    using scalar = Scalar;
    using net_type =
        ffn::network<ffn::half_squared_error,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, tanh_activation, Scalar>,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, softplus_activation, Scalar>,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, Scalar>>;
    static net_type make() { return net_type({3, 4, 3, 2}); }
};

template <class Scalar>
Eigen::Matrix<Scalar, 3, 3> inputs() {
    Eigen::Matrix<Scalar, 3, 3> x;
    x << Scalar(0.1), Scalar(-0.7), Scalar(0.4), Scalar(0.5), Scalar(0.2), Scalar(-0.3),
        Scalar(-0.9), Scalar(0.6), Scalar(0.8);
    return x;
}

template <class Scalar>
Eigen::Matrix<Scalar, 2, 3> targets() {
    Eigen::Matrix<Scalar, 2, 3> t;
    t << Scalar(0.05), Scalar(0.9), Scalar(0.3), Scalar(0.95), Scalar(0.2), Scalar(0.6);
    return t;
}

} // namespace

TEMPLATE_TEST_CASE("explain: every parameter agrees with the backward pass, one sample",
                   "[explain]", fixed_sizes<float>, fixed_sizes<double>, dynamic_sizes<float>,
                   dynamic_sizes<double>) {
    using scalar = typename TestType::scalar;
    using net_type = typename TestType::net_type;
    net_type net = TestType::make();
    explain_test::fill(net);
    ffn::workspace<net_type> ws;
    ffn::gradients<net_type> grads;
    const Eigen::Matrix<scalar, 3, 1> x = inputs<scalar>().col(1);
    const Eigen::Matrix<scalar, 2, 1> t = targets<scalar>().col(1);
    net.forward(x, ws);
    net.backward(ws, t, grads);
    // 4*3 + 4 + 3*4 + 3 + 2*3 + 2 parameters.
    CHECK(explain_test::check_every_parameter(net, ws, t, grads) == 39);

    // A weight of the first layer reaches the error through 3 * 2 paths, each with the
    // notation of every activation on its way.
    const auto e = ffn::explain_gradient(net, ws, t, grads, ffn::weight_at(0, 2, 1));
    CHECK(e.parameter == "w(h1_3,i2)");
    REQUIRE(e.samples.size() == 1);
    REQUIRE(e.samples[0].terms.size() == 6);
    const auto& term = e.samples[0].terms[4];
    CHECK(term.path == std::vector<std::string>{"o1", "h2_3"});
    REQUIRE(term.factors.size() == 7);
    CHECK(term.factors[0].notation == "out - target");
    CHECK(term.factors[1].notation == "out(1 - out)");
    CHECK(term.factors[2].symbol == "dsum_o1/doutput_h2_3");
    CHECK(term.factors[3].notation == "f'(sum)"); // softplus states no notation
    CHECK(term.factors[4].notation == "w(h2_3,h1_3)");
    CHECK(term.factors[5].notation == "1 - out^2");
    CHECK(term.factors[6].notation == "i2");
    CHECK(e.expanded_layers == 2);
    CHECK(e.later_layers == 2);
}

TEMPLATE_TEST_CASE("explain: every parameter agrees with the backward pass, a batch of 3",
                   "[explain]", fixed_sizes<float>, fixed_sizes<double>, dynamic_sizes<float>,
                   dynamic_sizes<double>) {
    using scalar = typename TestType::scalar;
    using net_type = typename TestType::net_type;
    net_type net = TestType::make();
    explain_test::fill(net);
    ffn::gradients<net_type> grads;

    SECTION("a workspace for batches of exactly 3") {
        ffn::workspace<net_type, 3> ws;
        net.forward(inputs<scalar>(), ws);
        net.backward(ws, targets<scalar>(), grads);
        CHECK(explain_test::check_every_parameter(net, ws, targets<scalar>(), grads) == 39);
    }
    SECTION("a workspace for batches of any size") {
        ffn::workspace<net_type, Eigen::Dynamic> ws;
        net.forward(inputs<scalar>(), ws);
        net.backward(ws, targets<scalar>(), grads);
        CHECK(explain_test::check_every_parameter(net, ws, targets<scalar>(), grads) == 39);
        const auto e = ffn::explain_gradient(net, ws, targets<scalar>(), grads, ffn::bias_at(1, 2));
        CHECK(e.parameter == "b(h2_3)");
        REQUIRE(e.samples.size() == 3);
        CHECK(e.batch_rule ==
              "the mean over the batch's 3 samples (ffn's losses average over the batch)");
        const scalar mean = (e.samples[0].sum + e.samples[1].sum + e.samples[2].sum) / scalar(3);
        CHECK(e.value == mean);
        const std::string text = e.format();
        CHECK(text.find("sample 3 of 3:\n") != std::string::npos);
        CHECK(text.find("dE/db(h2_3) = the mean over the batch's 3 samples") != std::string::npos);
    }
}
