// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Measuring a network on a data set: `ffn::evaluate` (the mean loss) and `ffn::accuracy`
/// (the fraction of decisions the network gets right).
///
/// Accuracy needs class scores, so it is defined only for networks whose output activation
/// is `ffn::softmax` or `ffn::sigmoid`:
/// - softmax outputs: one decision per sample, the class with the largest output;
/// - sigmoid outputs, measured against a targets matrix: one decision per output, each its own
///   yes/no (`output >= 0.5` against `target >= 0.5`), so the accuracy is the correct outputs
///   over outputs times samples (with one output, the correct samples over the samples);
/// - against integer labels (one class per sample): the class with the largest output, or with
///   one output 1 when it is at least 0.5, else 0.
/// For any other output activation `ffn::accuracy` does not compile and `ffn::fit` with
/// `accuracy` set throws before training.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <ranges>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include "ffn/activations/sigmoid.hpp"
#include "ffn/activations/softmax.hpp"
#include "ffn/detail/data_checks.hpp"
#include "ffn/detail/output_layer.hpp"
#include "ffn/errors.hpp"
#include "ffn/network.hpp"

namespace ffn {

namespace detail {

/// The class an output column (or a target column) stands for: the index of its largest
/// value when it has several rows; 1 if its only value is at least 0.5, else 0.
template <class Column>
[[nodiscard]] Eigen::Index class_of(const Eigen::MatrixBase<Column>& column) {
    using scalar = typename Column::Scalar;
    if (column.rows() == 1) {
        return column.coeff(0, 0) >= scalar(0.5) ? 1 : 0;
    }
    Eigen::Index index = 0;
    column.col(0).maxCoeff(&index);
    return index;
}

/// The activation of the output layer of `Net` (`void` if the layer names none).
template <class Net>
using output_activation_t =
    layer_activation_t<typename Net::template layer_type<Net::layer_count - 1>>;

/// True when the outputs of `Net` are class scores that accuracy can read: softmax or sigmoid.
template <class Net>
inline constexpr bool gives_class_scores = std::is_same_v<output_activation_t<Net>, softmax> ||
                                           std::is_same_v<output_activation_t<Net>, sigmoid>;

/// True when each output of `Net` is its own yes/no decision (sigmoid outputs).
template <class Net>
inline constexpr bool decides_each_output = std::is_same_v<output_activation_t<Net>, sigmoid>;

/// Refuses, at compile time, a network whose outputs are not class scores; both forms of
/// `ffn::accuracy` start with it. `consteval`, so that it is instantiated where it is called
/// and its message comes before any other error.
template <class Net>
consteval void require_class_scores() {
    static_assert(gives_class_scores<Net>,
                  "ffn::accuracy: accuracy needs class scores, so the output layer's activation "
                  "must be ffn::softmax or ffn::sigmoid; measure other outputs with "
                  "ffn::evaluate (the mean loss).");
}

/// Throws unless accuracy means something for `Net` (see the file comment). Decided by the
/// types alone, so it costs nothing where accuracy applies.
/// @param where the caller, first in the message ("ffn::fit")
/// @throws std::invalid_argument naming the output layer's activation.
template <class Net>
void check_accuracy_applies(std::string_view where) {
    if constexpr (!gives_class_scores<Net>) {
        using activation = output_activation_t<Net>;
        std::string name = "none named";
        if constexpr (!std::is_void_v<activation>) {
            name = activation::name;
        }
        detail::raise(std::invalid_argument(
            std::string(where) +
            ": accuracy needs class scores: the output layer's "
            "activation is '" +
            name + "' (use softmax or sigmoid outputs, or turn accuracy off)"));
    }
}

/// The number of decisions accuracy makes per sample: each output for sigmoid outputs, one
/// class otherwise.
template <class Net>
[[nodiscard]] Eigen::Index decisions_per_sample(const Net& net) {
    return decides_each_output<Net> ? net.outputs() : 1;
}

/// How many decisions of `outputs` agree with `targets` (both one column per sample): for
/// sigmoid outputs each element, `output >= 0.5` against `target >= 0.5`; otherwise each
/// column, its class (`class_of`) against the target's. Allocates nothing.
template <class Net, class Outputs, class Targets>
[[nodiscard]] Eigen::Index correct_decisions(const Eigen::MatrixBase<Outputs>& outputs,
                                             const Eigen::MatrixBase<Targets>& targets) {
    using scalar = typename Outputs::Scalar;
    Eigen::Index hits = 0;
    if constexpr (decides_each_output<Net>) {
        for (Eigen::Index j = 0; j < outputs.cols(); ++j) {
            for (Eigen::Index k = 0; k < outputs.rows(); ++k) {
                const bool said_yes = outputs.coeff(k, j) >= scalar(0.5);
                const bool is_yes = targets.coeff(k, j) >= scalar(0.5);
                hits += said_yes == is_yes ? 1 : 0;
            }
        }
    } else {
        for (Eigen::Index j = 0; j < outputs.cols(); ++j) {
            hits += class_of(outputs.col(j)) == class_of(targets.col(j)) ? 1 : 0;
        }
    }
    return hits;
}

/// Runs a network over a data set in chunks of `chunk_size` samples, reusing its workspaces,
/// so that measuring after every epoch allocates nothing once the sizes are known and memory
/// stays bounded for large data sets.
template <class Net>
class evaluator {
public:
    using scalar_type = typename Net::scalar_type;
    static constexpr Eigen::Index chunk_size = 256;

    /// The mean loss over all samples (each chunk's mean weighted by its size).
    /// @pre the shapes were checked (see `check_data`).
    template <class Inputs, class Targets>
    [[nodiscard]] scalar_type mean_loss(const Net& net, const Eigen::MatrixBase<Inputs>& inputs,
                                        const Eigen::MatrixBase<Targets>& targets) {
        double total = 0;
        for (Eigen::Index start = 0; start < inputs.cols(); start += chunk_size) {
            const Eigen::Index count = std::min(chunk_size, inputs.cols() - start);
            auto& ws = workspace_for(count);
            net.forward(inputs.middleCols(start, count), ws);
            total += static_cast<double>(net.loss(ws, targets.middleCols(start, count))) *
                     static_cast<double>(count);
        }
        return static_cast<scalar_type>(total / static_cast<double>(inputs.cols()));
    }

    /// How many samples the network puts in the class `label_of(sample)`.
    /// @pre the shapes were checked.
    template <class Inputs, class LabelOf>
    [[nodiscard]] Eigen::Index correct(const Net& net, const Eigen::MatrixBase<Inputs>& inputs,
                                       const LabelOf& label_of) {
        Eigen::Index hits = 0;
        for (Eigen::Index start = 0; start < inputs.cols(); start += chunk_size) {
            const Eigen::Index count = std::min(chunk_size, inputs.cols() - start);
            auto& ws = workspace_for(count);
            const auto& outputs = net.forward(inputs.middleCols(start, count), ws);
            for (Eigen::Index j = 0; j < count; ++j) {
                hits += class_of(outputs.col(j)) == label_of(start + j) ? 1 : 0;
            }
        }
        return hits;
    }

    /// How many decisions the network gets right against `targets` (see
    /// `correct_decisions`).
    /// @pre the shapes were checked.
    template <class Inputs, class Targets>
    [[nodiscard]] Eigen::Index correct_decisions(const Net& net,
                                                 const Eigen::MatrixBase<Inputs>& inputs,
                                                 const Eigen::MatrixBase<Targets>& targets) {
        Eigen::Index hits = 0;
        for (Eigen::Index start = 0; start < inputs.cols(); start += chunk_size) {
            const Eigen::Index count = std::min(chunk_size, inputs.cols() - start);
            auto& ws = workspace_for(count);
            const auto& outputs = net.forward(inputs.middleCols(start, count), ws);
            hits += detail::correct_decisions<Net>(outputs, targets.middleCols(start, count));
        }
        return hits;
    }

private:
    // Two workspaces, so that a last, smaller chunk does not resize (reallocate) the one used
    // for full chunks.
    workspace<Net, Eigen::Dynamic>& workspace_for(Eigen::Index count) {
        return count == chunk_size ? full_ : rest_;
    }

    workspace<Net, Eigen::Dynamic> full_;
    workspace<Net, Eigen::Dynamic> rest_;
};

/// Labels given to `ffn::accuracy`: a sized random-access range of integers
/// (`std::vector<int>`, `Eigen::VectorXi`, `std::span<const long>`, ...).
template <class Labels>
concept label_range =
    std::ranges::random_access_range<const Labels&> && std::ranges::sized_range<const Labels&> &&
    std::integral<std::ranges::range_value_t<const Labels&>>;

/// Which classes a network with `outputs` outputs tells apart, for the message of a label out
/// of range: "a network with one output tells classes 0 and 1 apart", "the network's 3
/// outputs stand for classes 0 to 2".
[[nodiscard]] inline std::string network_classes(Eigen::Index outputs) {
    return outputs == 1 ? std::string("a network with one output tells classes 0 and 1 apart")
                        : "the network's " + std::to_string(outputs) +
                              " outputs stand for classes 0 to " + std::to_string(outputs - 1);
}

/// Checks that every label is a class from 0 to `class_count - 1`.
/// @param where   the caller, first in the message ("ffn::accuracy")
/// @param what    what a label is called in the message ("label", "true label")
/// @param classes called only for the message: a `std::string` that says which classes there
///                are (`network_classes`), so that labels in range build no string
/// @throws std::invalid_argument for the first label that is negative or not below
///         `class_count`: "ffn::accuracy: label 3 of sample 2 is out of range; " and
///         `classes()`.
template <label_range Labels, std::invocable Classes>
void check_label_range(std::string_view where, std::string_view what, const Labels& labels,
                       Eigen::Index class_count, const Classes& classes) {
    const auto first = std::ranges::begin(labels);
    const auto count = static_cast<Eigen::Index>(std::ranges::size(labels));
    for (Eigen::Index i = 0; i < count; ++i) {
        const auto label = first[static_cast<std::ptrdiff_t>(i)];
        bool in_range = false;
        if constexpr (std::is_signed_v<std::remove_cvref_t<decltype(label)>>) {
            in_range = label >= 0 && static_cast<long long>(label) < class_count;
        } else {
            in_range = static_cast<unsigned long long>(label) <
                       static_cast<unsigned long long>(class_count);
        }
        if (!in_range) {
            detail::raise(std::invalid_argument(
                std::string(where) + ": " + std::string(what) + " " + std::to_string(label) +
                " of sample " + std::to_string(i) + " is out of range; " + classes()));
        }
    }
}

} // namespace detail

/// The mean loss of `net` over a data set: \f$\frac{1}{n}\sum_s E(output_s, target_s)\f$ with
/// the network's loss policy, the same quantity training minimises. The samples are run in
/// chunks, so the data set may be large.
/// @param net     the network to measure (not changed)
/// @param inputs  one column per sample, `net.inputs()` rows
/// @param targets one column per sample, `net.outputs()` rows
/// @throws std::invalid_argument if a shape does not fit the network, there are no samples,
///         the column counts differ, or a value is NaN or infinite (naming the sample and
///         row).
template <class Loss, class... Layers, class Inputs, class Targets>
[[nodiscard]] typename network<Loss, Layers...>::scalar_type evaluate(
    const network<Loss, Layers...>& net, const Eigen::MatrixBase<Inputs>& inputs,
    const Eigen::MatrixBase<Targets>& targets) {
    using scalar_type = typename network<Loss, Layers...>::scalar_type;
    static_assert(std::is_same_v<typename Inputs::Scalar, scalar_type> &&
                      std::is_same_v<typename Targets::Scalar, scalar_type>,
                  "ffn::evaluate: the inputs' and targets' scalar types must be the network's "
                  "scalar type (convert them with .template cast<Scalar>()).");
    detail::check_data("ffn::evaluate", "inputs", "targets", inputs, targets, net.inputs(),
                       net.outputs());
    detail::evaluator<network<Loss, Layers...>> run;
    return run.mean_loss(net, inputs, targets);
}

/// The fraction of samples that `net` classifies as their label, one class per sample. With
/// several outputs the predicted class is the index of the largest output (softmax, or
/// several sigmoid outputs read as one class out of several); with one output it is 1 when
/// the output is at least 0.5, else 0 (a sigmoid's probability). For multi-label targets,
/// where each sigmoid output is its own yes/no, give the targets matrix instead (the overload
/// below).
/// @param net    the network to measure (not changed); its output activation must be
///               `ffn::softmax` or `ffn::sigmoid` (checked at compile time)
/// @param inputs one column per sample, `net.inputs()` rows
/// @param labels one integer class per sample: 0 to `net.outputs() - 1`, or 0 and 1 for a
///               network with one output
/// @throws std::invalid_argument if the inputs do not fit the network, there are no samples,
///         the number of labels differs from the number of samples, a label is out of range,
///         or an input is NaN or infinite (each naming the sample).
template <class Loss, class... Layers, class Inputs, detail::label_range Labels>
[[nodiscard]] double accuracy(const network<Loss, Layers...>& net,
                              const Eigen::MatrixBase<Inputs>& inputs, const Labels& labels) {
    using net_type = network<Loss, Layers...>;
    using scalar_type = typename net_type::scalar_type;
    detail::require_class_scores<net_type>();
    static_assert(std::is_same_v<typename Inputs::Scalar, scalar_type>,
                  "ffn::accuracy: the inputs' scalar type must be the network's scalar type "
                  "(convert them with .template cast<Scalar>()).");
    const std::string where = "ffn::accuracy";
    if (inputs.rows() != net.inputs()) {
        detail::raise(
            std::invalid_argument(where + ": the inputs have " + std::to_string(inputs.rows()) +
                                  " rows, but the network takes " + std::to_string(net.inputs()) +
                                  " inputs (one row each)"));
    }
    if (inputs.cols() == 0) {
        detail::raise(std::invalid_argument(where + ": the inputs have no columns (no samples)"));
    }
    const auto label_count = static_cast<Eigen::Index>(std::ranges::size(labels));
    if (label_count != inputs.cols()) {
        detail::raise(std::invalid_argument(where + ": there are " + std::to_string(label_count) +
                                            " labels for " + std::to_string(inputs.cols()) +
                                            " samples (input columns)"));
    }
    detail::check_finite(where, "inputs", inputs);
    const Eigen::Index output_count = net.outputs();
    detail::check_label_range(where, "label", labels, output_count == 1 ? 2 : output_count,
                              [output_count] { return detail::network_classes(output_count); });
    const auto first = std::ranges::begin(labels);
    detail::evaluator<network<Loss, Layers...>> run;
    const Eigen::Index hits = run.correct(net, inputs, [&](Eigen::Index i) {
        return static_cast<Eigen::Index>(first[static_cast<std::ptrdiff_t>(i)]);
    });
    return static_cast<double>(hits) / static_cast<double>(inputs.cols());
}

/// The fraction of decisions that `net` gets right against a targets matrix, the targets
/// `ffn::fit` trains on. For sigmoid outputs every output is its own yes/no decision,
/// `output >= 0.5` against `target >= 0.5`, so the accuracy is
/// \f$\text{correct outputs} / (\text{outputs} \times \text{samples})\f$ (multi-label; with
/// one output, the fraction of samples). For softmax outputs each sample is one decision: the
/// index of the largest output against the index of the largest target.
/// @param net     the network to measure (not changed); its output activation must be
///                `ffn::softmax` or `ffn::sigmoid` (checked at compile time)
/// @param inputs  one column per sample, `net.inputs()` rows
/// @param targets one column per sample, `net.outputs()` rows, of the network's scalar type
///                (probabilities or 0/1 labels; one-hot columns for softmax)
/// @throws std::invalid_argument if a shape does not fit the network, there are no samples,
///         the column counts differ, or a value is NaN or infinite (naming the sample and
///         row).
template <class Loss, class... Layers, class Inputs, class Targets>
requires std::floating_point<typename Targets::Scalar>
[[nodiscard]] double accuracy(const network<Loss, Layers...>& net,
                              const Eigen::MatrixBase<Inputs>& inputs,
                              const Eigen::MatrixBase<Targets>& targets) {
    using net_type = network<Loss, Layers...>;
    using scalar_type = typename net_type::scalar_type;
    detail::require_class_scores<net_type>();
    static_assert(std::is_same_v<typename Inputs::Scalar, scalar_type> &&
                      std::is_same_v<typename Targets::Scalar, scalar_type>,
                  "ffn::accuracy: the inputs' and targets' scalar types must be the network's "
                  "scalar type (convert them with .template cast<Scalar>()).");
    detail::check_data("ffn::accuracy", "inputs", "targets", inputs, targets, net.inputs(),
                       net.outputs());
    detail::evaluator<net_type> run;
    const Eigen::Index hits = run.correct_decisions(net, inputs, targets);
    return static_cast<double>(hits) / (static_cast<double>(detail::decisions_per_sample(net)) *
                                        static_cast<double>(inputs.cols()));
}

} // namespace ffn
