// SPDX-License-Identifier: MIT
// Explanations through a vector-valued activation, a loss fused with its activation, paths cut
// short by max_paths, other bias policies and their names, and the errors.

#include <stdexcept>
#include <string>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/explain.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

#include "unit/explain/check.hpp"
#include "unit/explain/policies.hpp"

namespace {

using explain_test::binary_cross_entropy;
using explain_test::softmax_activation;
using explain_test::tanh_activation;

template <class Net>
struct trained_once {
    Net net;
    ffn::workspace<Net, Eigen::Dynamic> ws;
    ffn::gradients<Net> grads;
    Eigen::MatrixXd target;

    trained_once(Net n, const Eigen::MatrixXd& input, const Eigen::MatrixXd& t)
        : net(std::move(n)), target(t) {
        explain_test::fill(net);
        net.forward(input, ws);
        net.backward(ws, target, grads);
    }
};

Eigen::MatrixXd columns(Eigen::Index rows, Eigen::Index cols, double offset) {
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r) {
        for (Eigen::Index c = 0; c < cols; ++c) {
            m(r, c) = 0.5 + 0.4 * std::sin(offset + 1.1 * static_cast<double>(r) +
                                           2.7 * static_cast<double>(c));
        }
    }
    return m;
}

} // namespace

TEST_CASE("explain: through a vector-valued activation, one term per output it feeds",
          "[explain]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 3, softmax_activation>,
                                  ffn::dense<3, 3, softmax_activation>>;
    const trained_once<net_type> run(net_type{}, columns(2, 2, 0.3), columns(3, 2, 1.9));
    CHECK(explain_test::check_every_parameter(run.net, run.ws, run.target, run.grads) ==
          6 + 3 + 9 + 3);
    // A weight of the output layer: dout_m/dsum_1 for each of the three outputs m.
    const auto out =
        ffn::explain_gradient(run.net, run.ws, run.target, run.grads, ffn::weight_at(1, 0, 2));
    REQUIRE(out.samples[0].terms.size() == 3);
    CHECK(out.samples[0].terms[1].path == std::vector<std::string>{"output_o2"});
    CHECK(out.samples[0].terms[1].factors[1].symbol == "doutput_o2/dsum_o1");
    CHECK(out.samples[0].terms[1].factors[1].notation == "out_m(delta_mj - out_j)");
    // A weight of the hidden layer: 3 outputs of its own layer, 3 sums of the next, 3 outputs.
    const auto hidden =
        ffn::explain_gradient(run.net, run.ws, run.target, run.grads, ffn::weight_at(0, 1, 0));
    CHECK(hidden.samples[0].terms.size() == 27);
}

TEST_CASE("explain: a loss fused with the output activation gives dE/dsum in one factor",
          "[explain]") {
    using net_type = ffn::network<binary_cross_entropy, ffn::dense<3, 2, tanh_activation>,
                                  ffn::dense<2, 2, ffn::sigmoid>>;
    static_assert(ffn::fused_with<binary_cross_entropy, ffn::sigmoid>);
    const trained_once<net_type> run(net_type{}, columns(3, 4, 0.1), columns(2, 4, 2.2));
    CHECK(explain_test::check_every_parameter(run.net, run.ws, run.target, run.grads) == 14);
    const auto e =
        ffn::explain_gradient(run.net, run.ws, run.target, run.grads, ffn::weight_at(1, 1, 0));
    REQUIRE(e.samples.size() == 4);
    const auto& f = e.samples[0].terms.at(0).factors;
    REQUIRE(f.size() == 2);
    CHECK(f[0].symbol == "dE/dsum_o2");
    CHECK(f[0].notation == "out - target");
    CHECK(f[0].value == run.ws.layer<1>().output(1, 0) - run.target(1, 0));
    CHECK(f[1].notation == "output_h1");
}

TEST_CASE("explain: beyond max_paths, an error signal stands for the paths behind it",
          "[explain]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 3, tanh_activation>,
                                  ffn::dense<3, 4, ffn::sigmoid>, ffn::dense<4, 5, tanh_activation>,
                                  ffn::dense<5, 2, ffn::sigmoid>>;
    const trained_once<net_type> run(net_type{}, columns(2, 2, 0.7), columns(2, 2, 1.3));
    const auto target = run.target;
    const auto explain = [&](std::size_t max_paths) {
        ffn::explain_options options;
        options.max_paths = max_paths;
        return ffn::explain_gradient(run.net, run.ws, target, run.grads, ffn::weight_at(0, 1, 1),
                                     options);
    };
    // Every path: 4 * 5 * 2 = 40.
    const auto all = explain(40);
    CHECK(all.samples[0].terms.size() == 40);
    CHECK(all.expanded_layers == 3);
    explain_test::check_agrees(all);
    // Up to 39: stopping at the output layer's error signals saves nothing, so the paths go
    // through layer 1 (4 units) and stop at the error signals of layer 2 (5 units each).
    const auto cut = explain(39);
    CHECK(cut.samples[0].terms.size() == 20);
    CHECK(cut.expanded_layers == 1);
    CHECK(cut.samples[0].terms[0].factors[0].symbol == "dE/dsum_h3_1");
    CHECK(cut.samples[0].terms[0].factors[0].notation == "error signal");
    CHECK(cut.samples[0].terms[0].path == std::vector<std::string>{"h3_1", "h2_1"});
    CHECK(cut.format().find("written out through 1 of 3 later layers") != std::string::npos);
    explain_test::check_agrees(cut);
    // At the least one layer on: the 4 units of layer 1, each with its error signal.
    const auto least = explain(1);
    CHECK(least.samples[0].terms.size() == 4);
    CHECK(least.expanded_layers == 0);
    CHECK(least.samples[0].terms[2].path == std::vector<std::string>{"h2_3"});
    explain_test::check_agrees(least);
    CHECK(explain_test::check_every_parameter(run.net, run.ws, target, run.grads) ==
          9 + 16 + 25 + 12);
}

TEST_CASE("explain: per-unit biases, names given by the caller, and no bias", "[explain]") {
    using net_type =
        ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, double, ffn::no_bias>,
                     ffn::dense<2, 1, ffn::sigmoid>>;
    const trained_once<net_type> run(net_type{}, columns(2, 1, 0.2), columns(1, 1, 0.4));
    ffn::explain_options options;
    options.weight_name = [](std::size_t layer, Eigen::Index row, Eigen::Index col) {
        return ffn::detail::concat("v", std::to_string(layer), std::to_string(row),
                                   std::to_string(col));
    };
    options.bias_name = [](std::size_t layer, Eigen::Index index) {
        return ffn::detail::concat("c", std::to_string(layer), std::to_string(index));
    };
    const auto w = ffn::explain_gradient(run.net, run.ws, run.target, run.grads,
                                         ffn::weight_at(0, 1, 0), options);
    CHECK(w.parameter == "v010");
    CHECK(w.samples[0].terms[0].factors[2].notation == "v101");
    const auto b =
        ffn::explain_gradient(run.net, run.ws, run.target, run.grads, ffn::bias_at(1, 0), options);
    CHECK(b.parameter == "c10");
    explain_test::check_agrees(b);
    CHECK_THROWS_WITH(
        ffn::explain_gradient(run.net, run.ws, run.target, run.grads, ffn::bias_at(0)),
        Catch::Contains("layer 0 has no bias") && Catch::Contains("'none'"));
}

TEST_CASE("explain: a parameter that does not exist, or a pass that was not run, is an error",
          "[explain]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 3, ffn::sigmoid>,
                                  ffn::dense<3, 1, ffn::sigmoid>>;
    const trained_once<net_type> run(net_type{}, columns(2, 2, 0.2), columns(1, 2, 0.4));
    const auto explain = [&](const ffn::parameter_position& which) {
        return ffn::explain_gradient(run.net, run.ws, run.target, run.grads, which);
    };
    CHECK_THROWS_WITH(explain(ffn::weight_at(2, 0, 0)),
                      Catch::Contains("there is no layer 2; the network has 2 layers"));
    CHECK_THROWS_WITH(explain(ffn::weight_at(0, 3, 0)),
                      Catch::Contains("layer 0 has no weight (3, 0); its weights are 3 x 2"));
    CHECK_THROWS_WITH(explain(ffn::weight_at(1, 0, -1)), Catch::Contains("has no weight"));
    CHECK_THROWS_WITH(explain(ffn::bias_at(1, 1)), Catch::Contains("layer 1 has no bias 1"));
    CHECK_THROWS_AS(explain(ffn::bias_at(1, 1)), std::invalid_argument);

    const Eigen::MatrixXd wrong_target = Eigen::MatrixXd::Zero(2, 2);
    CHECK_THROWS_WITH(
        ffn::explain_gradient(run.net, run.ws, wrong_target, run.grads, ffn::weight_at(0, 0, 0)),
        Catch::Contains("the target is 2 x 2, but the forward pass gave 1 x 2"));

    const ffn::workspace<net_type> fresh;
    CHECK_THROWS_WITH(ffn::explain_gradient(run.net, fresh, run.target.col(0), run.grads,
                                            ffn::weight_at(0, 0, 0)),
                      Catch::Contains("the workspace holds no forward pass"));

    using dynamic_net = ffn::network<ffn::half_squared_error,
                                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;
    const dynamic_net net({2, 1});
    ffn::workspace<dynamic_net> ws;
    net.forward(Eigen::Vector2d(0.1, 0.2), ws);
    const ffn::gradients<dynamic_net> not_run;
    CHECK_THROWS_WITH(ffn::explain_gradient(net, ws, Eigen::Matrix<double, 1, 1>(0.5), not_run,
                                            ffn::weight_at(0, 0, 1)),
                      Catch::Contains("run backward first"));
}
