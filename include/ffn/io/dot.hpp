// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Graphviz export: a network as a DOT graph, with its units as nodes, its weights on the
/// edges and, optionally, the gradients of a backward pass beside them. Render it with
/// `dot -Tsvg network.dot -o network.svg`.
///
/// Units are named as in the lecture: inputs `i1, i2, ...`, hidden units `h1, h2, ...`
/// (`h1_1, h2_1, ...` with several hidden layers) and outputs `o1, o2, ...`. A bias shared by a
/// layer is a node of its own with an edge to each unit, as the lecture draws `b1` and `b2`; a
/// bias per unit is written inside its unit.

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include <Eigen/Core>

#include "ffn/concepts/settings.hpp"
#include "ffn/detail/network_view.hpp"
#include "ffn/errors.hpp"
#include "ffn/layers/bias.hpp"

namespace ffn {

/// Settings of the Graphviz export.
struct dot_options {
    /// The graph's name (a DOT identifier: letters, digits and `_`).
    std::string graph_name = "network";
    /// Significant digits of the numbers on the graph.
    int digits = 4;
    /// Write each weight's value on its edge.
    bool show_weights = true;
    /// Draw the biases (as nodes when shared by a layer, inside the units otherwise).
    bool show_bias = true;
    /// The name of the weight (layer, row, column); unset, the weight is written `w`.
    std::function<std::string(std::size_t layer, Eigen::Index row, Eigen::Index col)> weight_name;
    /// The name of the bias (layer, index); unset, `b1`, `b2`, ... for a bias shared by layer
    /// 1, 2, ... and `b` for a bias per unit.
    std::function<std::string(std::size_t layer, Eigen::Index index)> bias_name;
};

namespace detail {

/// `text` as the inside of a DOT string: backslashes and quotes escaped.
inline std::string dot_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

/// A layer that works value by value (dropout, batch normalisation): its units, each fed by
/// the unit of the same index before it; batch normalisation's edges carry \f$\gamma\f$ and
/// \f$\beta\f$ (and their gradients).
template <std::size_t I, std::size_t LayerCount, class Layer, class Grads>
void write_elementwise_layer(std::ostream& out, const Layer& layer, const Grads* grads,
                             const dot_options& options) {
    const auto num = [&options](double v) {
        return format_digits(v, options.digits, false, false);
    };
    const auto unit = [](std::size_t layer_index, Eigen::Index j) {
        return unit_name(layer_index, j, LayerCount);
    };
    std::string title = concat("layer ", std::to_string(I), ": ", dot_escape(Layer::name));
    constexpr auto setting_keys = layer_setting_names<Layer>();
    const auto setting_values = layer_settings_of(layer);
    for (std::size_t k = 0; k < setting_keys.size(); ++k) {
        title += concat(k == 0 ? "(" : ", ", std::string(setting_keys[k]), "=",
                        num(setting_values[k]), k + 1 == setting_keys.size() ? ")" : "");
    }
    if constexpr (requires { Layer::activation_type::name; }) {
        title += concat(", ", dot_escape(Layer::activation_type::name));
    }
    out << "  subgraph cluster_layer_" << I << " {\n    label=\"" << title
        << "\";\n    color=lightgrey;\n";
    for (Eigen::Index j = 0; j < layer.outputs(); ++j) {
        out << "    " << unit(I, j) << " [label=\"" << unit(I, j) << "\"];\n";
    }
    out << "  }\n";
    for (Eigen::Index j = 0; j < layer.outputs(); ++j) {
        out << "  " << (I == 0 ? input_name(j) : unit(I - 1, j)) << " -> " << unit(I, j);
        if constexpr (requires { layer.weight(); }) {
            std::string label;
            if (options.show_weights) {
                label = concat("gamma = ", num(static_cast<double>(layer.weight()(j))),
                               "\\nbeta = ", num(static_cast<double>(layer.bias()(j))));
            }
            if (grads != nullptr) {
                const auto& g = grads->template layer<I>();
                label += concat(label.empty() ? "" : "\\n",
                                "dE/dgamma = ", num(static_cast<double>(g.weight(j))),
                                "\\ndE/dbeta = ", num(static_cast<double>(g.bias(j))));
            }
            if (!label.empty()) {
                out << " [label=\"" << label << "\"]";
            }
        }
        out << ";\n";
    }
}

template <class Net, class Grads>
void write_dot(std::ostream& out, const Net& net, const Grads* grads, const dot_options& options) {
    constexpr std::size_t layer_count = Net::layer_count;
    if constexpr (requires { net.check_shapes(std::string_view{}); }) {
        net.check_shapes("ffn::write_dot"); // an empty network has no graph to draw
    }
    for (const char c : options.graph_name) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
            detail::raise(
                std::invalid_argument(concat("ffn::write_dot: the graph name '", options.graph_name,
                                             "' may hold only letters, digits and '_'")));
        }
    }
    if (options.graph_name.empty() || options.digits < 1 || options.digits > 17) {
        detail::raise(
            std::invalid_argument(concat("ffn::write_dot: the graph name must not be empty and "
                                         "the digits must lie in [1, 17], got ",
                                         std::to_string(options.digits), " digits")));
    }
    const auto num = [&options](double v) {
        return format_digits(v, options.digits, false, false);
    };
    const auto unit = [](std::size_t layer, Eigen::Index j) {
        return unit_name(layer, j, layer_count);
    };

    out << "digraph " << options.graph_name << " {\n"
        << "  graph [rankdir=LR, splines=line, nodesep=0.5, ranksep=2.2];\n"
        << "  node [shape=circle, fontname=\"Helvetica\", fontsize=11];\n"
        << "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.6, decorate=true];\n";

    out << "  subgraph cluster_inputs {\n    label=\"inputs\";\n    color=lightgrey;\n";
    for (Eigen::Index i = 0; i < net.inputs(); ++i) {
        out << "    " << input_name(i) << " [label=\"" << input_name(i) << "\"];\n";
    }
    out << "  }\n";

    for_each_layer_index<layer_count>([&](auto index) {
        constexpr std::size_t I = decltype(index)::value;
        using layer_t = typename Net::template layer_type<I>;
        const auto& layer = net.template layer<I>();
        if constexpr (!requires { layer.weights(); }) {
            write_elementwise_layer<I, layer_count>(out, layer, grads, options);
        } else {
            const auto& weights = layer.weights();
            const auto& bias = layer.bias();
            constexpr bool shared = std::is_same_v<typename layer_t::bias_type, shared_bias>;
            const bool per_unit = !shared && bias.size() == layer.outputs();
            const auto bias_label = [&](Eigen::Index b) {
                std::string name;
                if (options.bias_name) {
                    name = options.bias_name(I, b);
                } else {
                    name = shared ? concat("b", std::to_string(I + 1)) : std::string("b");
                }
                std::string text =
                    concat(dot_escape(name), " = ", num(static_cast<double>(bias(b))));
                if (grads != nullptr) {
                    const auto& g = grads->template layer<I>().bias;
                    text +=
                        concat("\\ndE/d", dot_escape(name), " = ", num(static_cast<double>(g(b))));
                }
                return text;
            };

            out << "  subgraph cluster_layer_" << I << " {\n    label=\"layer " << I << ": "
                << dot_escape(layer_t::name) << ", " << dot_escape(layer_t::activation_type::name)
                << "\";\n    color=lightgrey;\n";
            for (Eigen::Index j = 0; j < layer.outputs(); ++j) {
                out << "    " << unit(I, j) << " [label=\"" << unit(I, j);
                if (options.show_bias && per_unit) {
                    out << "\\n" << bias_label(j);
                }
                out << "\"" << (per_unit && options.show_bias ? ", shape=ellipse" : "") << "];\n";
            }
            out << "  }\n";
            if (options.show_bias && shared) {
                const std::string node = concat("bias_", std::to_string(I + 1));
                out << "  " << node << " [shape=box, style=rounded, label=\"" << bias_label(0)
                    << "\"];\n";
                for (Eigen::Index j = 0; j < layer.outputs(); ++j) {
                    out << "  " << node << " -> " << unit(I, j) << " [style=dashed];\n";
                }
            }
            for (Eigen::Index j = 0; j < weights.rows(); ++j) {
                for (Eigen::Index i = 0; i < weights.cols(); ++i) {
                    const std::string from = I == 0 ? input_name(i) : unit(I - 1, i);
                    out << "  " << from << " -> " << unit(I, j);
                    const std::string name =
                        options.weight_name ? dot_escape(options.weight_name(I, j, i)) : "w";
                    std::string label;
                    if (options.show_weights) {
                        label = concat(name, " = ", num(static_cast<double>(weights(j, i))));
                    }
                    if (grads != nullptr) {
                        const auto& g = grads->template layer<I>().weights;
                        label += concat(label.empty() ? "" : "\\n", "dE/d", name, " = ",
                                        num(static_cast<double>(g(j, i))));
                    }
                    if (!label.empty()) {
                        out << " [label=\"" << label << "\"]";
                    }
                    out << ";\n";
                }
            }
        }
    });
    out << "}\n";
}

template <class Net, class Grads>
void check_gradient_shapes(const Net& net, const Grads& grads) {
    for_each_layer_index<Net::layer_count>([&](auto index) {
        constexpr std::size_t I = decltype(index)::value;
        const auto& layer = net.template layer<I>();
        const auto& g = grads.template layer<I>();
        bool same = true;
        if constexpr (requires { layer.weights(); }) {
            same = g.weights.rows() == layer.weights().rows() &&
                   g.weights.cols() == layer.weights().cols() &&
                   g.bias.size() == layer.bias().size();
        } else if constexpr (requires { layer.weight(); }) {
            same = g.weight.size() == layer.weight().size() && g.bias.size() == layer.bias().size();
        }
        if (!same) {
            detail::raise(std::invalid_argument(
                concat("ffn::write_dot: the gradients of layer ", std::to_string(I),
                       " do not have the shape of its parameters; run "
                       "backward first")));
        }
    });
}

template <class Net, class Grads>
void save_dot(const std::filesystem::path& path, const Net& net, const Grads* grads,
              const dot_options& options) {
    // Write the whole graph first, so that a failure leaves an existing file as it was.
    std::ostringstream text;
    write_dot(text, net, grads, options);
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        if (!file) {
            detail::raise(std::invalid_argument(concat(
                "ffn::save_dot: cannot write '", temporary.string(), "': ", std::strerror(errno))));
        }
        file << text.str();
        file.flush();
        if (!file) {
            file.close();
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            detail::raise(std::invalid_argument(
                concat("ffn::save_dot: writing '", temporary.string(), "' failed")));
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        detail::raise(std::invalid_argument(
            concat("ffn::save_dot: cannot replace '", path.string(), "': ", error.message())));
    }
}

} // namespace detail

/// Writes `net` as a Graphviz DOT graph to `out`: one node per input and unit, grouped by
/// layer, one edge per weight labelled with its value, and the biases.
/// @throws std::invalid_argument if `options.graph_name` is not a DOT identifier,
///         `options.digits` is not in [1, 17], or the network is empty (dynamic sizes,
///         default-constructed) or its shapes do not chain.
template <class Net>
void write_dot(std::ostream& out, const Net& net, const dot_options& options = {}) {
    detail::write_dot(out, net, static_cast<const typename Net::gradient_type*>(nullptr), options);
}

/// As `write_dot(out, net, options)`, with each weight's and bias's gradient from `grads`
/// (after a backward pass) written under its value as \f$dE/dw\f$.
/// @throws std::invalid_argument as the other overload, or if `grads` does not have the
///         parameters' shapes.
template <class Net>
void write_dot(std::ostream& out, const Net& net, const typename Net::gradient_type& grads,
               const dot_options& options = {}) {
    detail::check_gradient_shapes(net, grads);
    detail::write_dot(out, net, &grads, options);
}

/// The DOT graph of `net` as a string; see `write_dot`.
template <class Net>
[[nodiscard]] std::string to_dot(const Net& net, const dot_options& options = {}) {
    std::ostringstream out;
    write_dot(out, net, options);
    return out.str();
}

/// The DOT graph of `net` with the gradients `grads` as a string; see `write_dot`.
template <class Net>
[[nodiscard]] std::string to_dot(const Net& net, const typename Net::gradient_type& grads,
                                 const dot_options& options = {}) {
    std::ostringstream out;
    write_dot(out, net, grads, options);
    return out.str();
}

/// Writes the DOT graph of `net` to the file `path`. The graph goes to `path` + ".tmp" first
/// and then replaces `path`, so a failure never leaves a half-written or lost file.
/// @throws std::invalid_argument if the file cannot be written (the message names it and the
///         reason), or as `write_dot`.
template <class Net>
void save_dot(const std::filesystem::path& path, const Net& net, const dot_options& options = {}) {
    detail::save_dot(path, net, static_cast<const typename Net::gradient_type*>(nullptr), options);
}

/// Writes the DOT graph of `net` with the gradients `grads` to the file `path`; see the other
/// overload.
template <class Net>
void save_dot(const std::filesystem::path& path, const Net& net,
              const typename Net::gradient_type& grads, const dot_options& options = {}) {
    detail::check_gradient_shapes(net, grads);
    detail::save_dot(path, net, &grads, options);
}

} // namespace ffn
