// SPDX-License-Identifier: MIT
// ffn::check_gradients on networks with three sigmoid outputs trained with binary_cross_entropy
// (multi-label): fixed sizes for every hidden activation, and dynamic sizes.

#include <type_traits>

#include "gradient_check_support.hpp"

namespace {

/// 3 inputs, 5 and 4 hidden units, 3 sigmoid outputs. Before a softmax a shared bias has a
/// gradient of 0 (see check_fixed_networks), so a softmax middle layer has a bias per unit.
template <class Hidden>
using multi_label_net =
    ffn::network<ffn::binary_cross_entropy, ffn::dense<3, 5, Hidden>,
                 ffn::dense<5, 4, Hidden, double,
                            std::conditional_t<std::is_same_v<Hidden, ffn::softmax>,
                                               ffn::per_unit_bias, ffn::shared_bias>>,
                 ffn::dense<4, 3, ffn::sigmoid>>;

using dynamic_multi_label_net =
    ffn::network<ffn::binary_cross_entropy, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::tanh>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;

} // namespace

static_assert(multi_label_net<ffn::tanh>::output_size == 3);

TEMPLATE_TEST_CASE("backpropagation agrees with central differences under binary_cross_entropy "
                   "with three sigmoid outputs",
                   "[gradient_check]", GRADIENT_CHECK_ACTIVATIONS) {
    INFO("hidden activation " << TestType::name);
    SECTION("a batch of 4") {
        gradient_check_test::check_random_network(multi_label_net<TestType>{}, 4, 808);
    }
    SECTION("one sample") {
        gradient_check_test::check_random_network(multi_label_net<TestType>{}, 1, 810);
    }
}

TEST_CASE("backpropagation agrees with central differences under binary_cross_entropy with "
          "three sigmoid outputs of dynamic size",
          "[gradient_check]") {
    const dynamic_multi_label_net net({3, 6, 3});
    REQUIRE(net.outputs() == 3);
    gradient_check_test::check_random_network(net, 5, 909);
}
