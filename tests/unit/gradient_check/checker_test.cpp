// SPDX-License-Identifier: MIT
// ffn::check_gradients itself: it catches a wrong derivative and says where, leaves the
// network unchanged, works in float, and refuses bad arguments.

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "gradient_check_support.hpp"

namespace {

/// tanh with a deliberately wrong derivative: 1 - out instead of 1 - out^2.
struct wrong_tanh {
    static constexpr std::string_view name = "wrong_tanh";
    template <class Sum>
    auto value(const Eigen::ArrayBase<Sum>& sum) const {
        return sum.tanh();
    }
    template <class Sum, class Output>
    auto derivative(const Eigen::ArrayBase<Sum>& /*sum*/,
                    const Eigen::ArrayBase<Output>& output) const {
        using scalar = typename Output::Scalar;
        return scalar(1) - output;
    }
};

using matrix = gradient_check_test::matrix<double>;

} // namespace

TEST_CASE("a wrong derivative makes the gradient check fail, in the layers it reaches",
          "[gradient_check]") {
    // The wrong activation is in layer 0 only, so layer 1's gradients stay right and layer 0's
    // are wrong.
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<3, 4, wrong_tanh>,
                                  ffn::dense<4, 2, ffn::sigmoid>>;
    net_type net;
    ffn::detail::random_engine engine(1234);
    gradient_check_test::randomize(net, engine);
    const matrix input = gradient_check_test::random_matrix<double>(3, 5, engine, -1, 1);
    const matrix target = gradient_check_test::random_matrix<double>(2, 5, engine, 0, 1);

    const ffn::gradient_check_result result = ffn::check_gradients(net, input, target);
    INFO(result.to_string());
    REQUIRE(result.tensors.size() == 4);
    CHECK(result.tensors[0].layer == 0);
    CHECK(result.tensors[0].tensor == "weights");
    CHECK(result.tensors[0].relative_error > 1e-2);
    CHECK(result.tensors[1].relative_error > 1e-2);
    CHECK(result.tensors[2].layer == 1);
    CHECK(result.tensors[2].relative_error < 1e-6);
    CHECK(result.tensors[3].relative_error < 1e-6);
    CHECK(result.max_relative_error > 1e-2);
    CHECK(result.max_relative_error ==
          std::max(result.tensors[0].relative_error, result.tensors[1].relative_error));
}

TEST_CASE("the gradient check leaves the network as it was, frozen tensors included",
          "[gradient_check]") {
    using net_type = ffn::network<ffn::mean_squared_error, ffn::dense<2, 3, ffn::tanh>,
                                  ffn::dense<3, 2, ffn::identity>>;
    net_type net;
    ffn::detail::random_engine engine(77);
    gradient_check_test::randomize(net, engine);
    net.layer<0>().freeze_bias();
    const net_type before = net;
    const matrix input = gradient_check_test::random_matrix<double>(2, 3, engine, -1, 1);
    const matrix target = gradient_check_test::random_matrix<double>(2, 3, engine, -1, 1);
    const ffn::gradient_check_result result = ffn::check_gradients(net, input, target);
    CHECK(net == before);
    REQUIRE(result.tensors.size() == 4);
    CHECK(result.tensors[1].relative_error < 1e-6); // the frozen bias is checked too
    CHECK(result.max_relative_error < 1e-6);
}

TEST_CASE("the gradient check works in float, with a looser agreement", "[gradient_check]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<3, 4, ffn::tanh, float>,
                                  ffn::dense<4, 2, ffn::sigmoid, float>>;
    CHECK(ffn::default_gradient_check_step<float>() == Approx(4.92e-3).epsilon(1e-2));
    CHECK(ffn::default_gradient_check_step<double>() == Approx(6.06e-6).epsilon(1e-2));
    // float carries about 7 digits, so the central differences agree to about 1e-3.
    const ffn::gradient_check_result result =
        gradient_check_test::check_random_network(net_type{}, 3, 55, 1e-2);
    CHECK(result.max_relative_error > 0);
}

TEST_CASE("the gradient check refuses a bad step and bad shapes", "[gradient_check]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid>>;
    net_type net;
    net.layer<0>().weights() << 1, 2, 3, 4;
    const Eigen::Vector2d input(0.1, 0.5);
    const Eigen::Vector2d target(0.05, 0.95);
    CHECK_THROWS_WITH(ffn::check_gradients(net, input, target, 0.0),
                      Catch::Contains("ffn::check_gradients: the step must be positive"));
    CHECK_THROWS_AS(
        ffn::check_gradients(net, input, target, std::numeric_limits<double>::quiet_NaN()),
        std::invalid_argument);
    CHECK_THROWS_WITH(ffn::check_gradients(net, input, target, 1e-30),
                      Catch::Contains("is too small to change layer 0's weights(0, 0)"));
    const Eigen::MatrixXd wrong_input = Eigen::MatrixXd::Constant(3, 1, 0.1);
    CHECK_THROWS_WITH(ffn::check_gradients(net, wrong_input, target),
                      Catch::StartsWith("ffn::check_gradients: ffn::network::forward: the "
                                        "input has 3 rows"));
    const Eigen::MatrixXd wrong_target = Eigen::MatrixXd::Constant(3, 1, 0.1);
    CHECK_THROWS_WITH(ffn::check_gradients(net, input, wrong_target),
                      Catch::Contains("the target has 3 rows"));
}

TEST_CASE("the gradient check says where the loss stops being finite", "[gradient_check]") {
    using net_type = ffn::network<ffn::mean_squared_error, ffn::dense<1, 1, ffn::identity>>;
    net_type net;
    const Eigen::Matrix<double, 1, 1> input = Eigen::Matrix<double, 1, 1>::Constant(1);
    const Eigen::Matrix<double, 1, 1> target = Eigen::Matrix<double, 1, 1>::Zero();
    // The loss is w^2: just below the largest double (1.797e308 = (1.3407808e154)^2) at the
    // parameters, infinite once w grows by the step (a factor 1 + 6e-6).
    net.layer<0>().weights() << 1.34078e154;
    CHECK_THROWS_WITH(ffn::check_gradients(net, input, target),
                      Catch::Contains("the loss is not finite with layer 0's weights(0, 0) "
                                      "moved by +h"));
    net.layer<0>().weights() << 1e155;
    CHECK_THROWS_WITH(ffn::check_gradients(net, input, target),
                      Catch::Contains("the loss is not finite at the network's parameters"));
}
