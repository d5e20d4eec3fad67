// SPDX-License-Identifier: MIT
// For every weight and bias of networks with several activations, in float and double, with
// fixed and dynamic sizes, one sample: the explanation's sum of products equals the backward
// pass's gradient. (Batches: explain_agreement_batch_test.cpp.)

#include <ffn/explain.hpp>

#include "unit/explain/agreement_cases.hpp"
#include "unit/explain/check.hpp"

using explain_test::dynamic_sizes;
using explain_test::fixed_sizes;
using explain_test::inputs;
using explain_test::targets;

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
