// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::explain_gradient`: the chain rule that produced one parameter's gradient, written in
/// the lecture's notation with the numbers of the current sample(s).
///
/// For a weight of the output layer the chain has three factors, as the lecture writes for
/// \f$w_5\f$:
///
///     dE/dw5 = dE/doutput_o1 * doutput_o1/dsum_o1 * dsum_o1/dw5
///            = [out - target] * [out(1 - out)] * [output_h1]
///            = 0.68492 * 0.19480 * 0.60108
///            = 0.08020
///
/// For a weight of an earlier layer there is one term per path from the parameter to the
/// error through the later layers, and the gradient is their sum (the lecture's
/// \f$\partial E_1/\partial w_1 + \partial E_2/\partial w_1\f$). A bias is the same with
/// \f$\partial sum / \partial b = 1\f$ in place of the input; a bias shared by a layer's units
/// sums over those units.
///
/// The names of the factors come from the policies: an activation's
/// `static constexpr std::string_view derivative_notation` (`"out(1 - out)"`), a loss's
/// `gradient_notation` (`"out - target"`) and, for a loss fused with its output activation,
/// `error_signal_notation`. A policy without them is written `f'(sum)`, `dE/dout` and
/// `dE/dsum`.
///
/// The values are computed afresh from the workspace's sums and outputs and the policies, not
/// read from the backward pass, so the explanation checks the backward pass: its result is
/// reported beside the backward pass's gradient.

#include <cmath>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "ffn/concepts/activation.hpp"
#include "ffn/concepts/loss.hpp"
#include "ffn/concepts/scalar.hpp"
#include "ffn/detail/network_view.hpp"
#include "ffn/errors.hpp"
#include "ffn/layers/bias.hpp"

namespace ffn {

/// Which kind of parameter tensor a `parameter_position` points into.
enum class parameter_kind {
    weight, ///< an entry of a layer's weight matrix
    bias    ///< an entry of a layer's bias vector
};

/// One parameter of a network: a weight (layer, row, column), where row `j` of a layer's
/// weight matrix holds the weights into unit `j` and column `i` belongs to input `i`, or a
/// bias (layer, index). Layers, rows and columns count from 0.
struct parameter_position {
    std::size_t layer = 0;                        ///< the layer, input side first
    parameter_kind kind = parameter_kind::weight; ///< weight or bias
    Eigen::Index row = 0;                         ///< the unit (weights) or the bias index
    Eigen::Index col = 0;                         ///< the input (weights); 0 for a bias
};

/// The weight into unit `row` from input `col` of layer `layer` (the lecture's \f$w_5\f$ is
/// `weight_at(1, 0, 0)`, \f$w_1\f$ is `weight_at(0, 0, 0)`).
[[nodiscard]] constexpr parameter_position weight_at(std::size_t layer, Eigen::Index row,
                                                     Eigen::Index col) noexcept {
    return {layer, parameter_kind::weight, row, col};
}

/// Bias `index` of layer `layer` (0 for a shared bias).
[[nodiscard]] constexpr parameter_position bias_at(std::size_t layer,
                                                   Eigen::Index index = 0) noexcept {
    return {layer, parameter_kind::bias, index, 0};
}

/// One factor of a chain-rule product.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct chain_factor {
    /// The partial derivative, such as `dE/doutput_o1` or `dsum_o1/dw5`.
    std::string symbol;
    /// How it is computed, from the policies or the network: `out - target`, `out(1 - out)`,
    /// a weight's name such as `w5`, an input such as `output_h1`, or `1`.
    std::string notation;
    /// Its value for the sample.
    Scalar value{};
};

/// One term of the sum that makes up a gradient: the product along one path from the
/// parameter to the error.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct chain_term {
    /// The units of the later layers the path passes through, output side first, such as
    /// `{"o1"}`; empty when the parameter is in the output layer and there is one path. For a
    /// shared bias the last entry is the unit whose sum the bias enters.
    std::vector<std::string> path;
    /// The factors, from the error down to the parameter, as the lecture orders them.
    std::vector<chain_factor<Scalar>> factors;
    /// The product of the factors' values.
    Scalar product{};
};

/// The chain rule for one sample of the batch.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct sample_chain {
    /// The sample's column in the batch (from 0).
    Eigen::Index sample = 0;
    /// One term per path.
    std::vector<chain_term<Scalar>> terms;
    /// The sum of the terms' products: this sample's gradient.
    Scalar sum{};
};

/// How `gradient_explanation::format` writes numbers.
struct number_format {
    /// Digits after the point when `fixed`, significant digits otherwise.
    int digits = 6;
    /// A fixed number of digits after the point (as the lecture prints), or significant
    /// digits.
    bool fixed = false;
    /// Cut the digits off instead of rounding, as the lecture does (0.684928 is `0.68492`).
    bool truncate = false;
};

/// Settings of `explain_gradient`.
struct explain_options {
    /// The most terms per sample that are written out path by path. Where following every path
    /// to the loss would give more, paths stop at the first later layer where they would not,
    /// and that layer's error signal \f$\partial E/\partial sum\f$ stands as one factor; at
    /// the least they go one layer on.
    std::size_t max_paths = 64;
    /// The name of the weight (layer, row, column); unset, `w(o1,h1)` for the weight into
    /// `o1` from `h1`.
    std::function<std::string(std::size_t layer, Eigen::Index row, Eigen::Index col)> weight_name;
    /// The name of the bias (layer, index); unset, `b1`, `b2`, ... by layer for a shared bias
    /// and `b(h1)` for the bias of unit `h1`.
    std::function<std::string(std::size_t layer, Eigen::Index index)> bias_name;
};

/// The chain rule behind one parameter's gradient, sample by sample, and how the samples
/// combine. Made by `explain_gradient`.
/// @tparam Scalar the network's scalar type
template <scalar Scalar>
struct gradient_explanation {
    /// The parameter explained.
    parameter_position position;
    /// Its name, such as `w5` or `w(o1,h1)`.
    std::string parameter;
    /// One entry per sample of the batch.
    std::vector<sample_chain<Scalar>> samples;
    /// How the samples' gradients combine into the batch's: `"one sample"` or the mean.
    std::string batch_rule;
    /// The later layers whose paths are written out unit by unit; where this is less than the
    /// number of later layers, the next layer's error signal stands as one factor.
    std::size_t expanded_layers = 0;
    /// The number of later layers.
    std::size_t later_layers = 0;
    /// The explanation's gradient: the samples' sums combined by `batch_rule`.
    Scalar value{};
    /// The gradient the backward pass wrote for this parameter.
    Scalar backward_value{};

    /// The explanation as text, one line per step, in the lecture's notation.
    [[nodiscard]] std::string format(const number_format& numbers = {}) const {
        using detail::concat;
        const auto num = [&numbers](Scalar v) {
            return detail::format_digits(static_cast<double>(v), numbers.digits, numbers.fixed,
                                         numbers.truncate);
        };
        // Negative terms after the first in parentheses, as the lecture writes 0.00159 +
        // (-0.00049).
        const auto signed_num = [&num](Scalar v) {
            std::string text = num(v);
            return text.front() == '-' ? concat("(", text, ")") : text;
        };
        const std::string lhs = concat("dE/d", parameter);
        std::string out;
        const bool batch = samples.size() > 1;
        for (const auto& sample : samples) {
            const std::string indent = batch ? "  " : "";
            if (batch) {
                out += concat("sample ", std::to_string(sample.sample + 1), " of ",
                              std::to_string(samples.size()), ":\n");
            }
            const bool several = sample.terms.size() > 1;
            if (several) {
                out += concat(indent, lhs, " = the sum of ", std::to_string(sample.terms.size()),
                              " terms, one per path from ", parameter, " to the error\n");
            }
            for (const auto& term : sample.terms) {
                std::string head = indent;
                if (several) {
                    head += "  through ";
                    for (std::size_t k = 0; k < term.path.size(); ++k) {
                        head += concat(k == 0 ? "" : ", ", term.path[k]);
                    }
                    head += ": ";
                } else {
                    head += concat(lhs, " = ");
                }
                const std::string pad(head.size() - 2, ' ');
                std::string symbols;
                std::string notations;
                std::string values;
                for (std::size_t k = 0; k < term.factors.size(); ++k) {
                    const char* times = k == 0 ? "" : " * ";
                    symbols += concat(times, term.factors[k].symbol);
                    notations += concat(times, "[", term.factors[k].notation, "]");
                    values += k == 0 ? num(term.factors[k].value)
                                     : concat(times, signed_num(term.factors[k].value));
                }
                out += concat(head, symbols, "\n");
                out += concat(pad, "= ", notations, "\n");
                out += concat(pad, "= ", values, "\n");
                out += concat(pad, "= ", num(term.product), "\n");
            }
            if (several) {
                std::string terms;
                for (std::size_t k = 0; k < sample.terms.size(); ++k) {
                    terms += k == 0 ? num(sample.terms[k].product)
                                    : concat(" + ", signed_num(sample.terms[k].product));
                }
                const std::string pad(indent.size() + lhs.size() + 1, ' ');
                out += concat(indent, lhs, " = ", terms, "\n");
                out += concat(pad, "= ", num(sample.sum), "\n");
            }
        }
        if (expanded_layers < later_layers) {
            out += concat("(paths are written out through ", std::to_string(expanded_layers),
                          " of ", std::to_string(later_layers),
                          " later layers; beyond, a unit's error signal dE/dsum stands for all "
                          "its paths)\n");
        }
        if (batch) {
            std::string sums;
            for (std::size_t k = 0; k < samples.size(); ++k) {
                sums += k == 0 ? num(samples[k].sum) : concat(" + ", signed_num(samples[k].sum));
            }
            const std::string pad(lhs.size() + 1, ' ');
            out += concat(lhs, " = ", batch_rule, "\n");
            out += concat(pad, "= (", sums, ") / ", std::to_string(samples.size()), "\n");
            out += concat(pad, "= ", num(value), "\n");
        }
        out += concat("(the backward pass gives ", num(backward_value), ")\n");
        return out;
    }
};

namespace detail {

template <class A>
std::string derivative_notation_of() {
    if constexpr (requires { A::derivative_notation; }) {
        return std::string(A::derivative_notation);
    } else {
        return "f'(sum)";
    }
}

template <class L>
std::string gradient_notation_of() {
    if constexpr (requires { L::gradient_notation; }) {
        return std::string(L::gradient_notation);
    } else {
        return "dE/dout";
    }
}

template <class L>
std::string error_signal_notation_of() {
    if constexpr (requires { L::error_signal_notation; }) {
        return std::string(L::error_signal_notation);
    } else {
        return "dE/dsum";
    }
}

/// A network's forward pass for one explanation, copied into dynamic matrices so that the
/// paths can be followed with run-time layer indices.
template <class Scalar>
struct explain_model {
    using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

    struct layer_data {
        matrix weights; // units x inputs
        bool elementwise = true;
        matrix derivative; // element-wise: dout_j/dsum_j, units x batch
        // vector-valued: per sample, jacobian(m, j) = dout_m/dsum_j
        std::vector<matrix> jacobian;
        std::string derivative_notation;
        matrix delta; // dE/dsum of each sample alone (no batch factor), units x batch
        matrix input; // the layer's inputs, inputs x batch
    };

    std::vector<layer_data> layers;
    bool fused = false;
    matrix loss_gradient; // dE/dout of each sample alone (non-fused), units x batch
    std::string loss_notation;
    std::size_t max_paths = 0;

    std::size_t last() const { return layers.size() - 1; }
    Eigen::Index units(std::size_t l) const { return layers[l].weights.rows(); }

    std::string unit(std::size_t l, Eigen::Index j) const { return unit_name(l, j, layers.size()); }

    // Paths from sum_j of layer l to the error, each listing its factors from the error down
    // to dout/dsum of layer l. `stop` is the first layer whose error signal stands as a
    // factor instead of being followed (layers.size() when every path is followed).
    struct path {
        std::vector<std::string> via;
        std::vector<chain_factor<Scalar>> factors;
    };

    std::size_t count_from_sum(std::size_t l, std::size_t stop) const {
        if (l == last() && fused) {
            return 1;
        }
        const auto fan = layers[l].elementwise ? 1 : static_cast<std::size_t>(units(l));
        return fan * count_from_output(l, stop);
    }

    std::size_t count_from_output(std::size_t l, std::size_t stop) const {
        if (l == last()) {
            return 1;
        }
        const auto next = static_cast<std::size_t>(units(l + 1));
        return next * (l + 1 == stop ? 1 : count_from_sum(l + 1, stop));
    }

    std::vector<path> from_sum(std::size_t l, Eigen::Index j, Eigen::Index s,
                               std::size_t stop) const {
        if (l == last() && fused) {
            return {
                path{{}, {{concat("dE/dsum_", unit(l, j)), loss_notation, layers[l].delta(j, s)}}}};
        }
        std::vector<path> result;
        const auto& data = layers[l];
        for (Eigen::Index m = 0; m < units(l); ++m) {
            if (data.elementwise && m != j) {
                continue;
            }
            const Scalar slope = data.elementwise
                                     ? data.derivative(j, s)
                                     : data.jacobian[static_cast<std::size_t>(s)](m, j);
            chain_factor<Scalar> factor{concat("doutput_", unit(l, m), "/dsum_", unit(l, j)),
                                        data.derivative_notation, slope};
            for (auto& p : from_output(l, m, s, stop)) {
                if (!data.elementwise) {
                    p.via.push_back(concat("output_", unit(l, m)));
                }
                p.factors.push_back(factor);
                result.push_back(std::move(p));
            }
        }
        return result;
    }

    std::vector<path> from_output(std::size_t l, Eigen::Index m, Eigen::Index s,
                                  std::size_t stop) const {
        if (l == last()) {
            return {path{
                {}, {{concat("dE/doutput_", unit(l, m)), loss_notation, loss_gradient(m, s)}}}};
        }
        std::vector<path> result;
        const auto& next = layers[l + 1];
        for (Eigen::Index k = 0; k < units(l + 1); ++k) {
            chain_factor<Scalar> weight{concat("dsum_", unit(l + 1, k), "/doutput_", unit(l, m)),
                                        weight_names(l + 1, k, m), next.weights(k, m)};
            if (l + 1 == stop) {
                path p{{unit(l + 1, k)},
                       {{concat("dE/dsum_", unit(l + 1, k)), "error signal", next.delta(k, s)}}};
                p.factors.push_back(std::move(weight));
                result.push_back(std::move(p));
                continue;
            }
            for (auto& p : from_sum(l + 1, k, s, stop)) {
                p.via.push_back(unit(l + 1, k));
                p.factors.push_back(weight);
                result.push_back(std::move(p));
            }
        }
        return result;
    }

    std::function<std::string(std::size_t, Eigen::Index, Eigen::Index)> weight_name;

    std::string weight_names(std::size_t l, Eigen::Index row, Eigen::Index col) const {
        if (weight_name) {
            return weight_name(l, row, col);
        }
        const std::string from = l == 0 ? input_name(col) : unit(l - 1, col);
        return concat("w(", unit(l, row), ",", from, ")");
    }

    std::string input_value_name(std::size_t l, Eigen::Index i) const {
        return l == 0 ? input_name(i) : concat("output_", unit(l - 1, i));
    }
};

/// Copies layer `I`'s part of the forward pass into `model`; for the output layer also each
/// sample's loss gradient (or fused error signal). False if the trace has the wrong shape.
template <std::size_t I, class Net, class Workspace, class Target, class Scalar>
bool explain_collect_layer(const Net& net, const Workspace& ws,
                           const Eigen::MatrixBase<Target>& target, Eigen::Index batch,
                           explain_model<Scalar>& model) {
    using matrix = typename explain_model<Scalar>::matrix;
    using scalar_type = Scalar;
    constexpr std::size_t layer_count = Net::layer_count;
    const auto& layer = net.template layer<I>();
    const auto& trace = ws.template layer<I>();
    using layer_t = typename Net::template layer_type<I>;
    using activation_t = typename layer_t::activation_type;
    auto& data = model.layers[I];
    data.weights = layer.weights();
    if (trace.sum.rows() != layer.outputs() || trace.sum.cols() != batch) {
        return false;
    }
    if constexpr (I == 0) {
        data.input = ws.input();
    } else {
        data.input = ws.template layer<I - 1>().output;
    }
    data.derivative_notation = derivative_notation_of<activation_t>();
    if constexpr (elementwise_activation<activation_t>) {
        data.elementwise = true;
        data.derivative =
            layer.activation().derivative(trace.sum.array(), trace.output.array()).matrix();
    } else {
        data.elementwise = false;
        const Eigen::Index n = layer.outputs();
        for (Eigen::Index s = 0; s < batch; ++s) {
            const matrix sum = trace.sum.col(s);
            const matrix output = trace.output.col(s);
            matrix jacobian(n, n);
            for (Eigen::Index m = 0; m < n; ++m) {
                matrix signal = matrix::Zero(n, 1);
                signal(m) = scalar_type(1);
                // backward turns the signal into J^T signal: row m of the Jacobian.
                layer.activation().backward(sum, output, signal);
                jacobian.row(m) = signal.transpose();
            }
            data.jacobian.push_back(std::move(jacobian));
        }
    }
    if constexpr (I + 1 == layer_count) {
        const auto& loss = net.loss_function();
        using loss_t = typename Net::loss_type;
        const Eigen::Index n = layer.outputs();
        if constexpr (fused_with<loss_t, activation_t>) {
            model.fused = true;
            model.loss_notation = error_signal_notation_of<loss_t>();
            data.delta.resize(n, batch);
            for (Eigen::Index s = 0; s < batch; ++s) {
                data.delta.col(s) = loss.error_signal(layer.activation(), trace.sum.col(s),
                                                      trace.output.col(s), target.col(s));
            }
        } else {
            model.loss_notation = gradient_notation_of<loss_t>();
            model.loss_gradient.resize(n, batch);
            for (Eigen::Index s = 0; s < batch; ++s) {
                model.loss_gradient.col(s) = loss.gradient(trace.output.col(s), target.col(s));
            }
        }
    }
    return true;
}

[[noreturn]] inline void explain_error(const std::string& what) {
    detail::raise(std::invalid_argument(concat("ffn::explain_gradient: ", what)));
}

} // namespace detail

namespace detail {

/// `explain_gradient` once the types are known to fit.
template <class Net, class Workspace, class Target>
[[nodiscard]] gradient_explanation<typename Net::scalar_type> explain_checked_gradient(
    const Net& net, const Workspace& ws, const Eigen::MatrixBase<Target>& target,
    const typename Net::gradient_type& grads, const parameter_position& which,
    const explain_options& options = {}) {
    using scalar_type = typename Net::scalar_type;
    using model_type = detail::explain_model<scalar_type>;
    using matrix = typename model_type::matrix;
    constexpr std::size_t layer_count = Net::layer_count;

    // The arguments.
    const Eigen::Index batch = ws.batch_size();
    if (batch == 0) {
        detail::explain_error("the workspace holds no forward pass; call forward and backward "
                              "first");
    }
    if (ws.input().rows() != net.inputs()) {
        detail::explain_error("the workspace's forward pass was run on a network of another "
                              "shape");
    }
    if (target.rows() != net.outputs() || target.cols() != batch) {
        detail::explain_error("the target is " + std::to_string(target.rows()) + " x " +
                              std::to_string(target.cols()) + ", but the forward pass gave " +
                              std::to_string(net.outputs()) + " x " + std::to_string(batch) +
                              " outputs");
    }
    if (which.layer >= layer_count) {
        detail::explain_error("there is no layer " + std::to_string(which.layer) +
                              "; the network has " + std::to_string(layer_count) +
                              " layers, counted from 0");
    }

    model_type model;
    model.max_paths = options.max_paths;
    model.weight_name = options.weight_name;
    model.layers.resize(layer_count);
    bool shapes_ok = true;
    detail::for_each_layer_index<layer_count>([&](auto index) {
        shapes_ok =
            detail::explain_collect_layer<decltype(index)::value>(net, ws, target, batch, model) &&
            shapes_ok;
    });
    if (!shapes_ok) {
        detail::explain_error("the workspace's forward pass was run on a network of another "
                              "shape");
    }

    // The error signals of each sample alone, from the output layer down. The matrices are
    // small: coefficient-wise products (lazyProduct) spare every program that explains a
    // gradient the compilation of Eigen's blocked matrix-product kernels.
    for (std::size_t l = layer_count; l-- > 0;) {
        auto& data = model.layers[l];
        if (l == model.last() && model.fused) {
            continue;
        }
        const matrix upstream = l == model.last()
                                    ? model.loss_gradient
                                    : matrix(model.layers[l + 1].weights.transpose().lazyProduct(
                                          model.layers[l + 1].delta));
        if (data.elementwise) {
            data.delta = upstream.cwiseProduct(data.derivative);
        } else {
            data.delta.resize(upstream.rows(), batch);
            for (Eigen::Index s = 0; s < batch; ++s) {
                data.delta.col(s) =
                    data.jacobian[static_cast<std::size_t>(s)].transpose().lazyProduct(
                        upstream.col(s));
            }
        }
    }

    // The parameter, its name and the backward pass's value.
    gradient_explanation<scalar_type> result;
    result.position = which;
    const std::size_t l = which.layer;
    const auto& data = model.layers[l];
    const Eigen::Index units = data.weights.rows();
    bool shared = false;
    detail::with_layer_index<layer_count>(l, [&](auto index) {
        constexpr std::size_t I = decltype(index)::value;
        using layer_t = typename Net::template layer_type<I>;
        using bias_t = typename layer_t::bias_type;
        const auto& g = grads.template layer<I>();
        const auto& layer = net.template layer<I>();
        const auto check_grad = [&](Eigen::Index rows, Eigen::Index cols, Eigen::Index want_rows,
                                    Eigen::Index want_cols, const char* what) {
            if (rows != want_rows || cols != want_cols) {
                detail::explain_error("the gradients of layer " + std::to_string(I) + "'s " + what +
                                      " are " + std::to_string(rows) + " x " +
                                      std::to_string(cols) + ", but the " + what + " are " +
                                      std::to_string(want_rows) + " x " +
                                      std::to_string(want_cols) + "; run backward first");
            }
        };
        if (which.kind == parameter_kind::weight) {
            if (which.row < 0 || which.row >= layer.outputs() || which.col < 0 ||
                which.col >= layer.inputs()) {
                detail::explain_error("layer " + std::to_string(I) + " has no weight (" +
                                      std::to_string(which.row) + ", " + std::to_string(which.col) +
                                      "); its weights are " + std::to_string(layer.outputs()) +
                                      " x " + std::to_string(layer.inputs()));
            }
            check_grad(g.weights.rows(), g.weights.cols(), layer.outputs(), layer.inputs(),
                       "weights");
            result.backward_value = g.weights(which.row, which.col);
            result.parameter = model.weight_names(l, which.row, which.col);
        } else {
            const Eigen::Index size = layer.bias().size();
            if (size == 0) {
                detail::explain_error("layer " + std::to_string(I) +
                                      " has no bias (its bias "
                                      "policy is '" +
                                      std::string(bias_t::name) + "')");
            }
            if (which.row < 0 || which.row >= size || which.col != 0) {
                detail::explain_error("layer " + std::to_string(I) + " has no bias " +
                                      std::to_string(which.row) + "; it has " +
                                      std::to_string(size));
            }
            if constexpr (std::is_same_v<bias_t, shared_bias>) {
                shared = true;
            } else if constexpr (!std::is_same_v<bias_t, per_unit_bias>) {
                if (size != layer.outputs()) {
                    detail::explain_error("layer " + std::to_string(I) + "'s bias policy '" +
                                          std::string(bias_t::name) +
                                          "' is neither per unit nor shared by the layer");
                }
            }
            check_grad(g.bias.rows(), g.bias.cols(), size, 1, "bias");
            result.backward_value = g.bias(which.row);
            if (options.bias_name) {
                result.parameter = options.bias_name(l, which.row);
            } else {
                result.parameter = shared ? detail::concat("b", std::to_string(l + 1))
                                          : detail::concat("b(", model.unit(l, which.row), ")");
            }
        }
    });

    // How far to follow the paths: as far as max_paths allows, and at least one layer on.
    const std::size_t later = layer_count - 1 - l;
    result.later_layers = later;
    std::size_t stop = layer_count;
    const auto per_unit = static_cast<std::size_t>(shared ? units : 1);
    if (later > 0) {
        stop = l + 1;
        for (std::size_t candidate = layer_count; candidate > l + 1; --candidate) {
            if (per_unit * model.count_from_sum(l, candidate) <= options.max_paths) {
                stop = candidate;
                break;
            }
        }
    }
    result.expanded_layers = stop == layer_count ? later : stop - (l + 1);

    // The terms, sample by sample.
    const std::string param = result.parameter;
    for (Eigen::Index s = 0; s < batch; ++s) {
        sample_chain<scalar_type> sample;
        sample.sample = s;
        const Eigen::Index first = which.kind == parameter_kind::weight || !shared ? which.row : 0;
        const Eigen::Index end =
            which.kind == parameter_kind::weight || !shared ? which.row + 1 : units;
        for (Eigen::Index j = first; j < end; ++j) {
            chain_factor<scalar_type> last_factor;
            if (which.kind == parameter_kind::weight) {
                last_factor = {detail::concat("dsum_", model.unit(l, j), "/d", param),
                               model.input_value_name(l, which.col), data.input(which.col, s)};
            } else {
                last_factor = {detail::concat("dsum_", model.unit(l, j), "/d", param), "1",
                               scalar_type(1)};
            }
            for (auto& p : model.from_sum(l, j, s, stop)) {
                if (shared) {
                    p.via.push_back(model.unit(l, j));
                }
                chain_term<scalar_type> term;
                term.path = std::move(p.via);
                term.factors = std::move(p.factors);
                term.factors.push_back(last_factor);
                term.product = scalar_type(1);
                for (const auto& factor : term.factors) {
                    term.product *= factor.value;
                }
                sample.sum += term.product;
                sample.terms.push_back(std::move(term));
            }
        }
        result.value += sample.sum;
        result.samples.push_back(std::move(sample));
    }
    if (batch == 1) {
        result.batch_rule = "one sample";
    } else {
        result.value /= static_cast<scalar_type>(batch);
        result.batch_rule = "the mean over the batch's " + std::to_string(batch) +
                            " samples (ffn's losses average over the batch)";
    }
    return result;
}

} // namespace detail

/// Explains the gradient of one parameter of `net`: the chain rule, factor by factor, with
/// the values of the forward pass in `ws`, for every sample of the batch, and how the batch
/// combines them. Call it after `net.forward(input, ws)` and `net.backward(ws, target,
/// grads)`, with the same network, workspace, target and gradients.
///
/// @tparam Net a `ffn::network` whose layers hold a weight matrix, a bias and an activation
///             (as `ffn::dense` does)
/// @param net      the network, as it was for the forward pass (before an optimizer step)
/// @param ws       the workspace of the forward and backward pass
/// @param target   the targets of the backward pass (one column per sample)
/// @param grads    the gradients of the backward pass
/// @param which    the parameter: `weight_at(layer, row, col)` or `bias_at(layer, index)`
/// @param options  names of weights and biases, and how many paths to write out
/// @return the explanation; its `value` is the gradient it computes and `backward_value` the
///         backward pass's, which agree up to rounding
/// @throws std::invalid_argument if the parameter does not exist (layer, row or column out of
///         range, or a bias of a layer without one), `ws` holds no forward pass or one of
///         another shape, `target` does not match the outputs, or `grads` does not have the
///         parameters' shapes
template <class Net, class Workspace, class Target>
[[nodiscard]] gradient_explanation<typename Net::scalar_type> explain_gradient(
    const Net& net, const Workspace& ws, const Eigen::MatrixBase<Target>& target,
    const typename Net::gradient_type& grads, const parameter_position& which,
    const explain_options& options = {}) {
    using scalar_type = typename Net::scalar_type;
    constexpr bool weighted = []<std::size_t... I>(std::index_sequence<I...> /*unused*/) {
        return (detail::weighted_layer<typename Net::template layer_type<I>> && ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    static_assert(weighted, "ffn::explain_gradient: every layer of the network must have a "
                            "weight matrix, a bias and an activation, as ffn::dense has.");
    constexpr bool same_scalar = std::is_same_v<typename Target::Scalar, scalar_type>;
    static_assert(same_scalar, "ffn::explain_gradient: the target's scalar type must be the "
                               "network's scalar type.");
    if constexpr (weighted && same_scalar) {
        return detail::explain_checked_gradient(net, ws, target, grads, which, options);
    } else {
        return {}; // reported above, once
    }
}

} // namespace ffn
