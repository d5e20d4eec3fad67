// SPDX-License-Identifier: MIT
#pragma once

// Checks shared by the explanation tests.

#include <cmath>
#include <iomanip>
#include <type_traits>

#include <catch2/catch.hpp>

#include <ffn/explain.hpp>

namespace explain_test {

/// The explanation's gradient equals the backward pass's, relative to the size of the terms
/// (1e-12 in double; 1e-5 in float, whose sums are rounded in another order).
template <class Scalar>
void check_agrees(const ffn::gradient_explanation<Scalar>& e) {
    double magnitude = std::abs(static_cast<double>(e.backward_value));
    double terms = 0;
    for (const auto& sample : e.samples) {
        for (const auto& term : sample.terms) {
            terms += std::abs(static_cast<double>(term.product));
        }
    }
    magnitude = std::max(magnitude, terms / static_cast<double>(e.samples.size()));
    const double relative = std::is_same_v<Scalar, double> ? 1e-12 : 1e-5;
    INFO(e.parameter << ": explained " << std::setprecision(17) << static_cast<double>(e.value)
                     << ", backward pass " << static_cast<double>(e.backward_value));
    CHECK(std::abs(static_cast<double>(e.value - e.backward_value)) <=
          relative * magnitude + 1e-300);
    // The sample sums are the sums of their terms, and the terms the products of their
    // factors.
    for (const auto& sample : e.samples) {
        Scalar sum{};
        for (const auto& term : sample.terms) {
            Scalar product(1);
            for (const auto& factor : term.factors) {
                product *= factor.value;
            }
            CHECK(term.product == product);
            sum += term.product;
        }
        CHECK(sample.sum == sum);
    }
}

/// Explains every weight and bias of every layer and checks each against the backward pass.
/// Returns the number of parameters explained.
template <class Net, class Workspace, class Target>
int check_every_parameter(const Net& net, const Workspace& ws, const Target& target,
                          const typename Net::gradient_type& grads,
                          const ffn::explain_options& options = {}) {
    int explained = 0;
    ffn::detail::for_each_layer_index<Net::layer_count>([&](auto index) {
        constexpr std::size_t I = decltype(index)::value;
        const auto& layer = net.template layer<I>();
        for (Eigen::Index r = 0; r < layer.outputs(); ++r) {
            for (Eigen::Index c = 0; c < layer.inputs(); ++c) {
                check_agrees(ffn::explain_gradient(net, ws, target, grads, ffn::weight_at(I, r, c),
                                                   options));
                ++explained;
            }
        }
        for (Eigen::Index b = 0; b < layer.bias().size(); ++b) {
            check_agrees(
                ffn::explain_gradient(net, ws, target, grads, ffn::bias_at(I, b), options));
            ++explained;
        }
    });
    return explained;
}

} // namespace explain_test
