// SPDX-License-Identifier: MIT
// For every weight and bias of networks with several activations, in float and double, with
// fixed and dynamic sizes, batches of 3: the explanation's sum of products equals the backward
// pass's gradient. (One sample: explain_agreement_test.cpp.)

#include <ffn/explain.hpp>

#include "unit/explain/agreement_cases.hpp"
#include "unit/explain/check.hpp"

using explain_test::dynamic_sizes;
using explain_test::fixed_sizes;
using explain_test::inputs;
using explain_test::targets;

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
