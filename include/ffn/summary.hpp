// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::summary`: a network as a table, one row per layer, with its parameter counts and the
/// memory it needs, as Keras's `model.summary()` prints a model.

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ffn/concepts/settings.hpp"
#include "ffn/detail/format.hpp"
#include "ffn/errors.hpp"
#include "ffn/network.hpp"

namespace ffn {

namespace detail {

/// `name(setting=value, ...)` for a policy with settings, `name` for one without.
template <class P>
[[nodiscard]] std::string policy_description(std::string_view name, const P& policy) {
    constexpr auto names = setting_names<P>();
    const auto values = settings_of(policy);
    std::string text(name);
    for (std::size_t i = 0; i < names.size(); ++i) {
        text += (i == 0 ? "(" : ", ");
        text += names[i];
        text += "=";
        text += format_number(values[i]);
    }
    return text + (names.empty() ? "" : ")");
}

/// Whether `name` is one of layer type `L`'s buffers: tensors that no optimizer changes and
/// that are not parameters (batch normalisation's running statistics).
template <class L>
[[nodiscard]] constexpr bool is_buffer(std::string_view name) noexcept {
    if constexpr (requires { L::buffer_names; }) {
        for (const std::string_view buffer : L::buffer_names) {
            if (buffer == name) {
                return true;
            }
        }
    }
    return false;
}

/// What a summary shows of one layer.
struct layer_summary {
    std::string kind;                        ///< the layer's name, such as `dense`
    std::string activation;                  ///< with its settings; `-` for a layer without one
    std::string bias;                        ///< the bias policy; `-` for a layer without one
    Eigen::Index units = 0;                  ///< number of outputs
    Eigen::Index parameters = 0;             ///< weights and biases
    Eigen::Index frozen = 0;                 ///< parameters that optimizers leave unchanged
    std::vector<std::string> frozen_tensors; ///< the names of its frozen tensors
    /// The values its trace holds for `units` outputs and `batch` samples.
    Eigen::Index (*trace_values)(Eigen::Index units, Eigen::Index batch) = nullptr;
};

/// The values a trace of layer type `L` holds: `L::trace_values(units, batch)` if the layer
/// says, else the three matrices `sum`, `output` and `error_signal`.
template <class L>
[[nodiscard]] Eigen::Index trace_values_of(Eigen::Index units, Eigen::Index batch) {
    if constexpr (requires { L::trace_values(units, batch); }) {
        return L::trace_values(units, batch);
    } else {
        return 3 * units * batch;
    }
}

template <std::size_t I, class Net>
[[nodiscard]] layer_summary summarize_layer(const Net& net) {
    using layer_type = typename Net::template layer_type<I>;
    const auto& l = net.template layer<I>();
    layer_summary s;
    s.kind = std::string(layer_type::name);
    constexpr auto setting_keys = layer_setting_names<layer_type>();
    const auto setting_values = layer_settings_of(l);
    for (std::size_t i = 0; i < setting_keys.size(); ++i) {
        s.kind += i == 0 ? "(" : ", ";
        s.kind += setting_keys[i];
        s.kind += "=";
        s.kind += format_number(setting_values[i]);
        s.kind += i + 1 == setting_keys.size() ? ")" : "";
    }
    s.activation = std::string("-");
    if constexpr (requires(const layer_type& x) {
                      layer_type::activation_type::name;
                      x.activation();
                  }) {
        s.activation = policy_description(layer_type::activation_type::name, l.activation());
    }
    s.bias = std::string("-");
    if constexpr (requires { layer_type::bias_type::name; }) {
        s.bias = std::string(layer_type::bias_type::name);
    }
    s.units = l.outputs();
    s.parameters = l.parameter_count();
    s.trace_values = &trace_values_of<layer_type>;
    // Frozen parameters; a layer's buffers (running statistics) are not parameters.
    l.visit_tensors([&s](std::string_view name, const auto& tensor, bool trainable) {
        if (!trainable && tensor.size() > 0 && !is_buffer<layer_type>(name)) {
            s.frozen += tensor.size();
            s.frozen_tensors.emplace_back(name);
        }
    });
    return s;
}

template <class Net, std::size_t... I>
[[nodiscard]] std::vector<layer_summary> summarize_layers(const Net& net,
                                                          std::index_sequence<I...> /*unused*/) {
    return {summarize_layer<I>(net)...};
}

/// `text` padded with spaces to `width` characters, on the right (`left`) or on the left.
[[nodiscard]] inline std::string padded(const std::string& text, std::size_t width, bool left) {
    if (text.size() >= width) {
        return text;
    }
    const std::string fill(width - text.size(), ' ');
    return left ? text + fill : fill + text;
}

/// The name of a scalar type, for the summary.
template <class Scalar>
[[nodiscard]] constexpr std::string_view scalar_type_name() noexcept {
    if constexpr (std::is_same_v<Scalar, float>) {
        return "float";
    } else if constexpr (std::is_same_v<Scalar, double>) {
        return "double";
    } else {
        return "long double";
    }
}

} // namespace detail

/// A table of `net`, one row per layer, then its loss, its parameter counts and the memory its
/// values take, as Keras's `model.summary()` prints a model:
///
///     layer  kind   activation  bias    units x batch  parameters  frozen
///     -----------------------------------------------------------------------
///     0      dense  sigmoid     shared  2 x 1                   5  bias frozen
///     ...
///
/// Each row gives the layer's index, kind, activation (with its settings, as
/// `leaky_relu(slope=0.1)`), bias policy, the shape of its output matrix as ffn holds it (one
/// row per unit, one column per sample: the transpose of Keras's `(batch, units)`), its number
/// of parameters, and which of its tensors are frozen (`weights frozen`, `bias frozen`,
/// `weights and bias frozen`, or `-`). The lines after the table give the number of inputs,
/// the loss (with its settings), the scalar type, the total number of parameters and how many
/// of them are trainable and frozen, and two sizes in bytes:
/// - the parameters: their number times the size of the scalar;
/// - a workspace for batches of `batch` samples (`ffn::workspace<Net, Eigen::Dynamic>` after a
///   forward pass of that many, or `ffn::workspace<Net, batch>`): the copy of the input
///   (inputs x batch values) and each layer's sums, outputs and error signals (3 x units x
///   batch values), times the size of the scalar.
/// Both count values only, not the few bytes of the objects that hold them. Training needs on
/// top of these a set of gradients, as many bytes as the parameters, and the optimizer's
/// state.
///
/// @param net   the network (fixed or dynamic sizes)
/// @param batch the number of samples the workspace's size is given for
/// @throws std::invalid_argument if `net` is empty (a default-constructed network with dynamic
///         sizes) or its layers' sizes do not chain, or `batch` is not positive.
template <class Loss, class... Layers>
[[nodiscard]] std::string summary(const network<Loss, Layers...>& net, Eigen::Index batch = 1) {
    using net_type = network<Loss, Layers...>;
    using scalar_type = typename net_type::scalar_type;
    net.check_shapes("ffn::summary");
    if (batch <= 0) {
        detail::raise(std::invalid_argument("ffn::summary: the batch size must be positive, got " +
                                            std::to_string(batch)));
    }

    std::vector<detail::layer_summary> layers =
        detail::summarize_layers(net, std::make_index_sequence<net_type::layer_count>{});

    // The cells, header first; only the parameter counts are right-aligned.
    std::vector<std::array<std::string, 7>> rows{
        {"layer", "kind", "activation", "bias", "units x batch", "parameters", "frozen"}};
    const std::array<bool, 7> left{true, true, true, true, true, false, true};
    Eigen::Index frozen = 0;
    Eigen::Index workspace_values = net.inputs() * batch;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto& l = layers[i];
        std::string frozen_cell = "-";
        if (!l.frozen_tensors.empty()) {
            frozen_cell.clear();
            for (std::size_t k = 0; k < l.frozen_tensors.size(); ++k) {
                frozen_cell += (k == 0 ? "" : " and ") + l.frozen_tensors[k];
            }
            frozen_cell += " frozen";
        }
        rows.push_back({std::to_string(i), l.kind, l.activation, l.bias,
                        std::to_string(l.units) + " x " + std::to_string(batch),
                        std::to_string(l.parameters), frozen_cell});
        frozen += l.frozen;
        workspace_values += l.trace_values(l.units, batch);
    }

    std::array<std::size_t, 7> width{};
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            width[c] = std::max(width[c], row[c].size());
        }
    }
    std::size_t line_width = 0;
    for (std::size_t c = 0; c < width.size(); ++c) {
        line_width += width[c] + (c == 0 ? 0 : 2);
    }
    const std::string rule = std::string(line_width, '-') + "\n";
    std::string out;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::string line;
        for (std::size_t c = 0; c < width.size(); ++c) {
            // The last column is not padded, so that no line ends in spaces.
            const bool last = c + 1 == width.size();
            const std::string& text = rows[r][c];
            line += (c == 0 ? "" : "  ") + (last ? text : detail::padded(text, width[c], left[c]));
        }
        out += line + "\n";
        if (r == 0) {
            out += rule;
        }
    }
    out += rule;

    const Eigen::Index total = net.parameter_count();
    const auto bytes = [](Eigen::Index values) {
        return std::to_string(values * static_cast<Eigen::Index>(sizeof(scalar_type)));
    };
    const std::string batch_label = "workspace bytes, batch " + std::to_string(batch) + ":";
    const std::array<std::pair<std::string, std::string>, 8> facts{{
        {"inputs:", std::to_string(net.inputs())},
        {"loss:", detail::policy_description(Loss::name, net.loss_function())},
        {"scalar:", std::string(detail::scalar_type_name<scalar_type>()) + " (" +
                        std::to_string(sizeof(scalar_type)) + " bytes)"},
        {"total parameters:", std::to_string(total)},
        {"trainable parameters:", std::to_string(total - frozen)},
        {"frozen parameters:", std::to_string(frozen)},
        {"parameter bytes:", bytes(total)},
        {batch_label, bytes(workspace_values)},
    }};
    std::size_t label_width = 0;
    for (const auto& fact : facts) {
        label_width = std::max(label_width, fact.first.size());
    }
    for (const auto& fact : facts) {
        out += detail::padded(fact.first, label_width + 1, true) + fact.second + "\n";
    }
    return out;
}

} // namespace ffn
