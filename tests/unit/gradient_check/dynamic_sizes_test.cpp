// SPDX-License-Identifier: MIT
// ffn::check_gradients on networks whose sizes are given at run time, on batches of several
// samples, and with activation and loss settings that are not the defaults.

#include "gradient_check_support.hpp"

namespace {

template <class Loss, class Hidden>
void check_dynamic_network(std::uint64_t seed) {
    using out = gradient_check_test::output_of<Loss, Hidden>;
    constexpr Eigen::Index dynamic = Eigen::Dynamic;
    using net_type = ffn::network<Loss, ffn::dense<dynamic, dynamic, Hidden>,
                                  ffn::dense<dynamic, dynamic, Hidden>,
                                  ffn::dense<dynamic, dynamic, typename out::activation>>;
    INFO("hidden activation " << Hidden::name);
    const net_type net({4, 6, 3, out::size});
    gradient_check_test::check_random_network(net, 7, seed);
}

} // namespace

TEMPLATE_TEST_CASE("gradient check with dynamic sizes and a batch of 7, half_squared_error",
                   "[gradient_check]", GRADIENT_CHECK_ACTIVATIONS) {
    check_dynamic_network<ffn::half_squared_error, TestType>(606);
}

TEMPLATE_TEST_CASE("gradient check with dynamic sizes and a batch of 7, cross-entropies",
                   "[gradient_check]", ffn::tanh, ffn::relu, ffn::softmax) {
    check_dynamic_network<ffn::binary_cross_entropy, TestType>(707);
    check_dynamic_network<ffn::categorical_cross_entropy, TestType>(808);
}

TEST_CASE("gradient check with non-default slope, alpha and delta", "[gradient_check]") {
    using net_type = ffn::network<ffn::huber, ffn::dense<3, 4, ffn::leaky_relu>,
                                  ffn::dense<4, 4, ffn::elu>, ffn::dense<4, 2, ffn::identity>>;
    const net_type net(
        ffn::huber(0.3), ffn::dense<3, 4, ffn::leaky_relu>(3, 4, ffn::leaky_relu(0.2)),
        ffn::dense<4, 4, ffn::elu>(4, 4, ffn::elu(0.5)), ffn::dense<4, 2, ffn::identity>());
    REQUIRE(net.layer<0>().activation().slope() == 0.2);
    REQUIRE(net.layer<1>().activation().alpha() == 0.5);
    REQUIRE(net.loss_function().delta() == 0.3);
    gradient_check_test::check_random_network(net, 5, 909);
}
