// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::initialize`: draws a network's parameters from initializers, reproducibly.

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <Eigen/Core>

#include "ffn/concepts/initializer.hpp"
#include "ffn/concepts/network.hpp"
#include "ffn/detail/random.hpp"
#include "ffn/errors.hpp"
#include "ffn/init/constant.hpp"
#include "ffn/init/distribution.hpp"

namespace ffn {

namespace detail {

/// Whether layer type `L` sets its own fresh parameters.
template <class L>
inline constexpr bool resets_itself = requires(L& l) {
    l.reset_parameters();
};

/// For each layer of `Net`, whether it sets its own fresh parameters (`reset_parameters()`, as
/// batch normalisation does) rather than taking them from the initializers.
template <class Net>
[[nodiscard]] constexpr auto layers_reset_themselves() {
    if constexpr (requires { typename Net::layers_type; }) {
        return []<std::size_t... I>(std::index_sequence<I...>) {
            return std::array<bool, sizeof...(I)>{
                resets_itself<typename Net::template layer_type<I>>...};
        }
        (std::make_index_sequence<Net::layer_count>{});
    } else {
        return std::array<bool, 0>{};
    }
}

/// Calls `f(layer, tensor_index, tensor, dist)` for every trainable tensor of `net`, with
/// `tensor_index` counted within the layer (frozen tensors count too) and `dist` the
/// distribution its initializer asks for.
template <class Net, class Weights, class Bias, class F>
void visit_initialized_tensors(Net& net, const Weights& weights, const Bias& bias, F&& f) {
    std::size_t current_layer = 0;
    std::size_t tensor_index = 0;
    bool first = true;
    bool have_fans = false;
    fans layer_fans{};
    constexpr auto reset_themselves = layers_reset_themselves<Net>();
    net.visit_tensors([&](std::size_t layer, std::string_view name, auto& tensor, bool trainable) {
        if (layer < reset_themselves.size() && reset_themselves[layer]) {
            return;
        }
        if (first || layer != current_layer) {
            first = false;
            current_layer = layer;
            tensor_index = 0;
            have_fans = false;
        } else {
            ++tensor_index;
        }
        const bool is_bias = name == "bias";
        if (!is_bias) {
            // A weight tensor is rows x cols = units x inputs.
            layer_fans = fans{tensor.cols(), tensor.rows()};
            have_fans = true;
        }
        if (!trainable) {
            return;
        }
        if (is_bias) {
            if (!have_fans) {
                detail::raise(std::invalid_argument("ffn::initialize: layer " +
                                                    std::to_string(layer) +
                                                    " has a bias but no weight tensor before it to "
                                                    "take the fans from"));
            }
            f(layer, tensor_index, tensor, bias.distribution_for(layer_fans));
        } else {
            f(layer, tensor_index, tensor, weights.distribution_for(layer_fans));
        }
    });
}

} // namespace detail

/// Sets every trainable parameter tensor of `net` afresh: the weights drawn from the
/// distribution `weights` asks for, the biases from the one `bias` asks for (by default
/// `ffn::constant(0)`: biases set to zero, as is usual). Frozen tensors are left as they are.
/// A layer that knows its own fresh state (`ffn::batch_norm`: \f$\gamma = 1\f$,
/// \f$\beta = 0\f$, running mean 0 and variance 1) is reset by its `reset_parameters()`
/// instead, and draws nothing.
///
/// Fans: a weight tensor of `rows x cols` (a dense layer's `outputs x inputs`) has
/// \f$fan_{in} = cols\f$ and \f$fan_{out} = rows\f$; a bias gets the fans of its layer's
/// weights (as PyTorch's `nn.Linear` scales its bias by the weights' fan-in).
///
/// Reproducible: every tensor draws from its own stream of ffn's random engine, derived from
/// `seed`, the layer's index and the tensor's index within the layer (stream
/// \f$layer \cdot 2^{32} + tensor\f$), filling it row by row (the weights into unit 0 first).
/// So the same seed gives the same parameters on every platform, compiler and standard
/// library (see detail/portable_math.hpp for the exact conditions), adding a layer at the end
/// does not change the earlier layers, and freezing one tensor does not change the others.
/// Values are drawn in double precision and rounded to the network's scalar type, so a
/// `float` network gets the `double` network's values rounded to `float`.
///
/// Strong guarantee: every initializer is asked for its distributions before anything is
/// drawn, so if one throws, `net` is unchanged.
///
/// @param net     the network to initialize
/// @param weights the initializer for weight tensors (`ffn::he_normal{}`, ...)
/// @param seed    the seed; the same seed gives the same parameters
/// @param bias    the initializer for bias tensors
/// @throws std::invalid_argument if an initializer rejects a tensor's fans, or if the network is
///         empty (dynamic sizes, default-constructed) or its shapes do not chain.
template <trainable_network Net, initializer Weights, initializer Bias = constant>
void initialize(Net& net, const Weights& weights, std::uint64_t seed, const Bias& bias = Bias{}) {
    if constexpr (requires { net.check_shapes(std::string_view{}); }) {
        net.check_shapes("ffn::initialize"); // an empty network has nothing to initialize
    }
    // First pass: ask for every distribution (an initializer may throw), change nothing.
    detail::visit_initialized_tensors(
        net, weights, bias,
        [](std::size_t, std::size_t, const auto& /*tensor*/, const distribution& /*dist*/) {});
    detail::visit_initialized_tensors(
        net, weights, bias,
        [seed](std::size_t layer, std::size_t tensor_index, auto& tensor,
               const distribution& dist) {
            using scalar_type = typename std::remove_cvref_t<decltype(tensor)>::Scalar;
            if (dist.kind() == distribution::family::constant) {
                tensor.setConstant(static_cast<scalar_type>(dist.value()));
                return;
            }
            const std::uint64_t stream = (static_cast<std::uint64_t>(layer) << 32U) +
                                         static_cast<std::uint64_t>(tensor_index);
            detail::random_engine engine(seed, stream);
            for (Eigen::Index row = 0; row < tensor.rows(); ++row) {
                for (Eigen::Index col = 0; col < tensor.cols(); ++col) {
                    tensor(row, col) = static_cast<scalar_type>(dist.draw(engine));
                }
            }
        });
    if constexpr (requires { typename Net::layers_type; }) {
        [&net]<std::size_t... I>(std::index_sequence<I...>) {
            (
                [&] {
                    auto& layer = net.template layer<I>();
                    if constexpr (requires { layer.reset_parameters(); }) {
                        layer.reset_parameters();
                    }
                }(),
                ...);
        }
        (std::make_index_sequence<Net::layer_count>{});
    }
}

} // namespace ffn
