// SPDX-License-Identifier: MIT
#pragma once

// Random networks, inputs and targets for the gradient-check tests, and the check itself:
// every parameter tensor's backpropagated gradient within a relative error of 1e-6 of its
// central difference (in double).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>

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
#include <ffn/detail/random.hpp>
#include <ffn/gradient_check.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/losses/huber.hpp>
#include <ffn/losses/mean_squared_error.hpp>
#include <ffn/network.hpp>

// Every activation, for TEMPLATE_TEST_CASE.
#define GRADIENT_CHECK_ACTIVATIONS                                                                 \
    ffn::identity, ffn::sigmoid, ffn::tanh, ffn::relu, ffn::leaky_relu, ffn::elu, ffn::softplus,   \
        ffn::silu, ffn::gelu, ffn::softmax

namespace gradient_check_test {

template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

/// A matrix of values drawn uniformly from [low, high).
template <class Scalar>
matrix<Scalar> random_matrix(Eigen::Index rows, Eigen::Index cols,
                             ffn::detail::random_engine& engine, double low, double high) {
    matrix<Scalar> m(rows, cols);
    for (Eigen::Index c = 0; c < cols; ++c) {
        for (Eigen::Index r = 0; r < rows; ++r) {
            m(r, c) = static_cast<Scalar>(low + (high - low) * engine.uniform());
        }
    }
    return m;
}

/// True for the activations whose derivative jumps at 0 (elu's second derivative does,
/// unless alpha is 1).
template <class A>
constexpr bool kinked = std::is_same_v<A, ffn::relu> || std::is_same_v<A, ffn::leaky_relu> ||
                        std::is_same_v<A, ffn::elu>;

/// For each layer of `Net`, whether its activation is kinked.
template <class Net, std::size_t... I>
constexpr std::array<bool, Net::layer_count> kinked_layers(std::index_sequence<I...> /*unused*/) {
    return {kinked<typename Net::template layer_type<I>::activation_type>...};
}

/// Fills every parameter tensor of `net` with values uniform in [-1, 1), except the biases of
/// layers with a kinked activation, which are drawn from [0, 1) so that fewer relu units
/// start dead (a network whose every output unit is dead has no gradient to check).
template <class Net>
void randomize(Net& net, ffn::detail::random_engine& engine) {
    using scalar = typename Net::scalar_type;
    constexpr auto positive_bias = kinked_layers<Net>(std::make_index_sequence<Net::layer_count>{});
    net.visit_tensors(
        [&engine, &positive_bias](std::size_t layer, std::string_view name, auto& tensor, bool) {
            const double low = (name == "bias" && positive_bias[layer]) ? 0.0 : -1.0;
            for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
                for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
                    tensor(r, c) = static_cast<scalar>(low + (1 - low) * engine.uniform());
                }
            }
        });
}

/// Targets that suit the loss: probabilities for the cross-entropies (hard labels in the
/// first column, soft ones after), values in [-1, 1) for the squared errors, and in
/// [-2.5, 2.5) for Huber so that both of its branches are taken.
template <class Loss, class Scalar>
matrix<Scalar> make_target(Eigen::Index rows, Eigen::Index cols,
                           ffn::detail::random_engine& engine) {
    if constexpr (std::is_same_v<Loss, ffn::binary_cross_entropy>) {
        matrix<Scalar> t = random_matrix<Scalar>(rows, cols, engine, 0, 1);
        t.col(0) = t.col(0).array().round().matrix();
        return t;
    } else if constexpr (std::is_same_v<Loss, ffn::categorical_cross_entropy>) {
        matrix<Scalar> t = random_matrix<Scalar>(rows, cols, engine, 0.05, 1);
        for (Eigen::Index c = 0; c < cols; ++c) {
            t.col(c) /= t.col(c).sum();
        }
        t.col(0).setZero();
        t(static_cast<Eigen::Index>(engine.below(static_cast<std::uint64_t>(rows))), 0) = 1;
        return t;
    } else if constexpr (std::is_same_v<Loss, ffn::huber>) {
        return random_matrix<Scalar>(rows, cols, engine, -2.5, 2.5);
    } else {
        return random_matrix<Scalar>(rows, cols, engine, -1, 1);
    }
}

/// The smallest |sum| of the forward pass in `ws` over the layers of `Net` whose activation
/// has a kink at 0 (infinity if none has).
template <class Net, class Workspace, std::size_t... I>
double smallest_abs_kinked_sum(const Workspace& ws, std::index_sequence<I...> /*unused*/) {
    double smallest = std::numeric_limits<double>::infinity();
    const auto visit = [&](const auto& sum, bool has_kink) {
        if (has_kink) {
            smallest = std::min(smallest, static_cast<double>(sum.cwiseAbs().minCoeff()));
        }
    };
    (visit(ws.template layer<I>().sum,
           kinked<typename Net::template layer_type<I>::activation_type>),
     ...);
    return smallest;
}

/// Checks `net` (with parameters drawn from `seed`) on a random batch of `batch` samples:
/// every tensor's relative error below `tolerance`. Sums are required to stay away from 0
/// (the relu's kink) and Huber errors away from delta, where central differences are not
/// derivatives.
template <class Net>
ffn::gradient_check_result check_random_network(Net net, Eigen::Index batch, std::uint64_t seed,
                                                double tolerance = 1e-6) {
    using scalar = typename Net::scalar_type;
    using loss = typename Net::loss_type;
    ffn::detail::random_engine engine(seed);
    randomize(net, engine);
    const matrix<scalar> input = random_matrix<scalar>(net.inputs(), batch, engine, -1, 1);
    const matrix<scalar> target = make_target<loss, scalar>(net.outputs(), batch, engine);

    ffn::workspace<Net, Eigen::Dynamic> ws;
    net.forward(input, ws);
    // A step moves a sum by about 1e-5 at most here.
    REQUIRE(smallest_abs_kinked_sum<Net>(ws, std::make_index_sequence<Net::layer_count>{}) > 1e-4);
    if constexpr (std::is_same_v<loss, ffn::huber>) {
        const double delta = net.loss_function().delta();
        REQUIRE(((ws.output() - target).cwiseAbs().array().template cast<double>() - delta)
                    .abs()
                    .minCoeff() > 1e-4);
    }

    const ffn::gradient_check_result result = ffn::check_gradients(net, input, target);
    INFO(loss::name << ", batch " << batch << ", seed " << seed << ":\n" << result.to_string());
    REQUIRE(result.tensors.size() == 2 * Net::layer_count);
    double largest = 0;
    for (std::size_t i = 0; i < result.tensors.size(); ++i) {
        const auto& t = result.tensors[i];
        CHECK(t.layer == i / 2);
        CHECK(t.tensor == (i % 2 == 0 ? "weights" : "bias"));
        CHECK(t.relative_error < tolerance);
        // Not vacuous: every tensor has a gradient to compare.
        CHECK(t.numeric_norm > 0);
        largest = std::max(largest, t.relative_error);
    }
    CHECK(result.max_relative_error == largest);
    return result;
}

/// The output layer each loss is checked with: the hidden activation itself for the
/// regression losses, sigmoid with one output for binary cross-entropy, softmax with three
/// outputs for categorical cross-entropy.
template <class Loss, class Hidden>
struct output_of {
    using activation = Hidden;
    static constexpr Eigen::Index size = 2;
};
template <class Hidden>
struct output_of<ffn::binary_cross_entropy, Hidden> {
    using activation = ffn::sigmoid;
    static constexpr Eigen::Index size = 1;
};
template <class Hidden>
struct output_of<ffn::categorical_cross_entropy, Hidden> {
    using activation = ffn::softmax;
    static constexpr Eigen::Index size = 3;
};

/// A 3-layer network (3 inputs, 5 and 4 hidden units, the middle layer with one shared bias),
/// fixed sizes, double, on a batch of 4 samples and on one sample. Three layers take every
/// path a gradient can: into the output layer, through a hidden layer into another, and into
/// the first layer (whose input gradient is never computed).
///
/// Before a softmax a shared bias shifts every sum of a column equally, which changes no
/// output: its true gradient is 0 and the relative error of a zero against rounding noise is
/// about 1. So the middle layer of a softmax network has a bias per unit.
template <class Loss, class Hidden>
void check_fixed_networks(std::uint64_t seed) {
    using out = output_of<Loss, Hidden>;
    using middle_bias = std::conditional_t<std::is_same_v<Hidden, ffn::softmax>, ffn::per_unit_bias,
                                           ffn::shared_bias>;
    using three_layers =
        ffn::network<Loss, ffn::dense<3, 5, Hidden>, ffn::dense<5, 4, Hidden, double, middle_bias>,
                     ffn::dense<4, out::size, typename out::activation>>;
    INFO("hidden activation " << Hidden::name);
    SECTION("a batch of 4") { check_random_network(three_layers{}, 4, seed); }
    // One sample can leave every relu unit dead (with seed + 1 the mean_squared_error relu
    // network has no gradient at all), and the check requires a gradient in every tensor.
    SECTION("one sample") { check_random_network(three_layers{}, 1, seed + 2); }
}

} // namespace gradient_check_test
