// SPDX-License-Identifier: MIT
// ffn::check_gradients on random fixed-size networks trained with categorical_cross_entropy, for every
// activation as the hidden activation.

#include "gradient_check_support.hpp"

TEMPLATE_TEST_CASE(
    "backpropagation agrees with central differences under categorical_cross_entropy",
    "[gradient_check]", GRADIENT_CHECK_ACTIVATIONS) {
    gradient_check_test::check_fixed_networks<ffn::categorical_cross_entropy, TestType>(505);
}
