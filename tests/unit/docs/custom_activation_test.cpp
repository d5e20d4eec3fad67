// SPDX-License-Identifier: MIT
// docs/extending.md quotes this file whole: a custom activation and a custom loss, used in a
// network, checked against finite differences and explained in their own notation.

#include <cmath>
#include <string_view>

#include <catch2/catch.hpp>

#include <ffn/explain.hpp>
#include <ffn/ffn.hpp>

// softsign(x) = x / (1 + |x|), with derivative 1 / (1 + |x|)^2. Element-wise, so it provides
// value(sum) and derivative(sum, output), each an Eigen array expression.
struct softsign {
    static constexpr std::string_view name = "softsign";
    static constexpr std::string_view derivative_notation = "1 / (1 + |sum|)^2";

    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return sum / (scalar(1) + sum.abs());
    }

    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return (scalar(1) + sum.abs()).square().inverse();
    }
};

// E = sum_k 1/4 (target_k - output_k)^4 per sample, the mean over the batch, as every ffn
// loss reduces over the batch. Its gradient carries the 1/batch factor.
struct quartic_error {
    static constexpr std::string_view name = "quartic_error";
    static constexpr std::string_view gradient_notation = "(out - target)^3";

    template <class Output, class Target>
    [[nodiscard]] typename Output::Scalar value(const Eigen::MatrixBase<Output>& output,
                                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return (output - target).array().square().square().sum() /
               (scalar(4) * static_cast<scalar>(output.cols()));
    }

    template <class Output, class Target>
    [[nodiscard]] auto gradient(const Eigen::MatrixBase<Output>& output,
                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return ((output - target).array().cube() / static_cast<scalar>(output.cols())).matrix();
    }
};

static_assert(ffn::activation<softsign>);
static_assert(ffn::loss<quartic_error>);

using net_type =
    ffn::network<quartic_error, ffn::dense<2, 3, softsign>, ffn::dense<3, 1, ffn::sigmoid>>;

TEST_CASE("docs: a custom activation and loss train, match finite differences and explain "
          "themselves",
          "[docs]") {
    net_type net;
    net.layer<0>().weights() << 0.5, -0.4, 0.3, 0.8, -0.6, 0.2;
    net.layer<0>().bias() << 0.1, -0.1, 0.05;
    net.layer<1>().weights() << 0.7, -0.5, 0.9;

    const Eigen::Vector2d input(0.4, -0.7);
    const Eigen::Matrix<double, 1, 1> target(0.9);
    ffn::workspace<net_type> ws;
    ffn::gradients<net_type> grads;
    net.forward(input, ws);
    net.backward(ws, target, grads);

    // The backward pass agrees with a central difference of the loss.
    const double h = 1e-6;
    net_type moved = net;
    moved.layer<0>().weights()(1, 0) += h;
    moved.forward(input, ws);
    const double above = moved.loss(ws, target);
    moved.layer<0>().weights()(1, 0) -= 2 * h;
    moved.forward(input, ws);
    const double below = moved.loss(ws, target);
    CHECK(grads.layer<0>().weights(1, 0) == Approx((above - below) / (2 * h)).epsilon(1e-6));

    // The explanation names the factors with the policies' notations.
    net.forward(input, ws);
    const auto e = ffn::explain_gradient(net, ws, target, grads, ffn::weight_at(0, 1, 0));
    const auto& factors = e.samples.at(0).terms.at(0).factors;
    CHECK(factors.at(0).notation == "(out - target)^3");
    CHECK(factors.at(3).notation == "1 / (1 + |sum|)^2");
    CHECK(e.value == Approx(e.backward_value).epsilon(1e-12));

    // Training lowers the loss.
    const double before = net.loss(ws, target);
    ffn::sgd optimizer(net, 0.5);
    for (int step = 0; step < 200; ++step) {
        net.forward(input, ws);
        net.backward(ws, target, grads);
        optimizer.step(net, grads);
    }
    net.forward(input, ws);
    CHECK(net.loss(ws, target) < before / 10);
}
