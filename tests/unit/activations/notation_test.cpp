// SPDX-License-Identifier: MIT
// Every activation states its derivative, and every loss its gradient, as text in the
// lecture's notation.

#include <string_view>

#include <catch2/catch.hpp>

#include <ffn/activations/elu.hpp>
#include <ffn/activations/gelu.hpp>
#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/silu.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/activations/softplus.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/losses/huber.hpp>
#include <ffn/losses/mean_squared_error.hpp>

using namespace std::string_view_literals;

TEST_CASE("activations state d out / d sum in the lecture's notation", "[activation]") {
    CHECK(ffn::identity::derivative_notation == "1"sv);
    CHECK(ffn::sigmoid::derivative_notation == "out(1 - out)"sv);
    CHECK(ffn::tanh::derivative_notation == "1 - out^2"sv);
    CHECK(ffn::relu::derivative_notation == "(sum > 0 ? 1 : 0)"sv);
    CHECK(ffn::leaky_relu::derivative_notation == "(sum > 0 ? 1 : slope)"sv);
    CHECK(ffn::elu::derivative_notation == "(sum > 0 ? 1 : alpha e^sum)"sv);
    CHECK(ffn::softplus::derivative_notation == "1 / (1 + e^(-sum))"sv);
    CHECK(ffn::silu::derivative_notation == "s(1 + sum(1 - s)), s = 1 / (1 + e^(-sum))"sv);
    CHECK(ffn::gelu::derivative_notation == "Phi(sum) + sum phi(sum)"sv);
    CHECK(ffn::softmax::derivative_notation == "out_k(delta_kj - out_j)"sv);
}

TEST_CASE("losses state d E / d out in the lecture's notation", "[loss]") {
    CHECK(ffn::half_squared_error::gradient_notation == "out - target"sv);
    CHECK(ffn::mean_squared_error::gradient_notation == "2(out - target) / n"sv);
    CHECK(ffn::huber::gradient_notation == "clamp(out - target, -delta, delta) / n"sv);
    CHECK(ffn::binary_cross_entropy::gradient_notation == "(out - target) / (n out(1 - out))"sv);
    CHECK(ffn::binary_cross_entropy::error_signal_notation == "(out - target) / n"sv);
    CHECK(ffn::categorical_cross_entropy::gradient_notation == "-target / out"sv);
    CHECK(ffn::categorical_cross_entropy::error_signal_notation == "out - target"sv);
}
