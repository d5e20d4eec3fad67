// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Metrics with scikit-learn's definitions: for regression `ffn::mean_absolute_error`,
/// `ffn::root_mean_squared_error` and `ffn::r2_score`; for classification
/// `ffn::confusion_matrix` and `ffn::classification_report`.
///
/// Every function comes in two forms: on values the caller already has (predictions and
/// targets, or predicted and true labels), and on a network, which is run over the inputs first
/// (in chunks, as `ffn::evaluate` does). As everywhere in ffn, the predictions come first and
/// the truth second; scikit-learn's functions take `(y_true, y_pred)`, the other way round.
///
/// Several outputs are averaged uniformly, as scikit-learn's `multioutput='uniform_average'`.
/// Classes are the indices 0 to k-1, all of them counted even when no sample has or gets one,
/// as scikit-learn does when it is given `labels=range(k)`; a division by zero gives 0, as its
/// `zero_division=0`.

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <limits>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "ffn/concepts/scalar.hpp"
#include "ffn/detail/data_checks.hpp"
#include "ffn/errors.hpp"
#include "ffn/network.hpp"
#include "ffn/train/evaluate.hpp"

namespace ffn {

namespace detail {

/// @throws std::invalid_argument naming `where` if `predictions` and `targets` differ in shape,
///         hold no samples (columns) or no outputs (rows), or hold a value that is NaN or
///         infinite.
template <class Predictions, class Targets>
void check_regression_data(std::string_view where,
                           const Eigen::MatrixBase<Predictions>& predictions,
                           const Eigen::MatrixBase<Targets>& targets) {
    const std::string prefix = std::string(where) + ": ";
    if (predictions.rows() != targets.rows() || predictions.cols() != targets.cols()) {
        detail::raise(std::invalid_argument(
            prefix + "the predictions are " + std::to_string(predictions.rows()) + " x " +
            std::to_string(predictions.cols()) + " (outputs x samples), but the targets are " +
            std::to_string(targets.rows()) + " x " + std::to_string(targets.cols())));
    }
    if (predictions.cols() == 0) {
        detail::raise(std::invalid_argument(
            prefix + "the predictions and targets have no columns (no samples)"));
    }
    if (predictions.rows() == 0) {
        detail::raise(std::invalid_argument(
            prefix + "the predictions and targets have no rows (no outputs)"));
    }
    check_finite(where, "predictions", predictions);
    check_finite(where, "targets", targets);
}

/// Runs `net` over the columns of `inputs` in chunks of `evaluator<Net>::chunk_size`, reusing
/// one inference workspace, and calls `f(first_sample, outputs)` for each chunk.
/// @pre the inputs fit the network.
template <class Net, class Inputs, class F>
void for_each_output_chunk(const Net& net, const Eigen::MatrixBase<Inputs>& inputs, F&& f) {
    constexpr Eigen::Index chunk_size = evaluator<Net>::chunk_size;
    inference_workspace<Net, Eigen::Dynamic> ws;
    for (Eigen::Index start = 0; start < inputs.cols(); start += chunk_size) {
        const Eigen::Index count = std::min(chunk_size, inputs.cols() - start);
        f(start, net.predict(inputs.middleCols(start, count), ws));
    }
}

/// The outputs of `net` for the inputs of a regression metric, after checking the network,
/// the inputs and the targets.
/// @throws std::invalid_argument naming `where` as `ffn::evaluate` does.
template <class Net, class Inputs, class Targets>
[[nodiscard]] Eigen::Matrix<typename Net::scalar_type, Eigen::Dynamic, Eigen::Dynamic>
predictions_for(std::string_view where, const Net& net, const Eigen::MatrixBase<Inputs>& inputs,
                const Eigen::MatrixBase<Targets>& targets) {
    using scalar_type = typename Net::scalar_type;
    static_assert(std::is_same_v<typename Inputs::Scalar, scalar_type> &&
                      std::is_same_v<typename Targets::Scalar, scalar_type>,
                  "ffn: a metric's inputs and targets must have the network's scalar type "
                  "(convert them with .template cast<Scalar>()).");
    net.check_shapes(where);
    check_data(where, "inputs", "targets", inputs, targets, net.inputs(), net.outputs());
    Eigen::Matrix<scalar_type, Eigen::Dynamic, Eigen::Dynamic> predictions(net.outputs(),
                                                                           inputs.cols());
    for_each_output_chunk(net, inputs, [&predictions](Eigen::Index start, const auto& outputs) {
        predictions.middleCols(start, outputs.cols()) = outputs;
    });
    return predictions;
}

/// The labels of a label range as `Eigen::Index`es.
/// @throws std::invalid_argument naming `where`, `what` ("true label", ...) and the sample of
///         the first label that is negative or too large for an `Eigen::Index`.
template <label_range Labels>
[[nodiscard]] std::vector<Eigen::Index> label_values(std::string_view where, std::string_view what,
                                                     const Labels& labels) {
    std::vector<Eigen::Index> values;
    values.reserve(static_cast<std::size_t>(std::ranges::size(labels)));
    for (const auto label : labels) {
        if constexpr (std::is_signed_v<std::remove_cvref_t<decltype(label)>>) {
            if (label < 0) {
                detail::raise(std::invalid_argument(
                    std::string(where) + ": " + std::string(what) + " " + std::to_string(label) +
                    " of sample " + std::to_string(values.size()) +
                    " is negative; labels are class indices from 0"));
            }
        }
        if (static_cast<unsigned long long>(label) >
            static_cast<unsigned long long>(std::numeric_limits<Eigen::Index>::max())) {
            detail::raise(std::invalid_argument(
                std::string(where) + ": " + std::string(what) + " " + std::to_string(label) +
                " of sample " + std::to_string(values.size()) + " is too large for a class index"));
        }
        values.push_back(static_cast<Eigen::Index>(label));
    }
    return values;
}

/// Predicted and true labels checked against each other and a class count.
struct checked_labels {
    std::vector<Eigen::Index> predicted; ///< one class per sample
    std::vector<Eigen::Index> truth;     ///< one class per sample
    Eigen::Index class_count = 0;        ///< above every label
};

/// @throws std::invalid_argument naming `where` if the label counts differ or are zero, a
///         label is negative or not below `class_count`, or `class_count` is not positive.
template <label_range Predicted, label_range Truth>
[[nodiscard]] checked_labels check_labels(std::string_view where, const Predicted& predicted,
                                          const Truth& truth,
                                          std::optional<Eigen::Index> class_count) {
    const std::string prefix = std::string(where) + ": ";
    // Eigen's vectors give signed sizes, the standard containers unsigned ones.
    const auto predicted_count = static_cast<Eigen::Index>(std::ranges::size(predicted));
    const auto true_count = static_cast<Eigen::Index>(std::ranges::size(truth));
    if (predicted_count != true_count) {
        detail::raise(std::invalid_argument(
            prefix + "there are " + std::to_string(predicted_count) + " predicted labels but " +
            std::to_string(true_count) + " true labels; both need one label per sample"));
    }
    if (true_count == 0) {
        detail::raise(std::invalid_argument(prefix + "there are no labels (no samples)"));
    }
    if (class_count && *class_count <= 0) {
        detail::raise(std::invalid_argument(prefix + "the class count must be positive, got " +
                                            std::to_string(*class_count)));
    }
    checked_labels result{label_values(where, "predicted label", predicted),
                          label_values(where, "true label", truth), 0};
    if (class_count) {
        result.class_count = *class_count;
        const auto classes = [count = *class_count] {
            return "with " + std::to_string(count) + " classes the labels run from 0 to " +
                   std::to_string(count - 1);
        };
        check_label_range(where, "predicted label", result.predicted, *class_count, classes);
        check_label_range(where, "true label", result.truth, *class_count, classes);
    } else {
        result.class_count =
            1 + std::max(std::ranges::max(result.predicted), std::ranges::max(result.truth));
    }
    return result;
}

/// The classes `net` gives the inputs, and the true labels, after checking them as
/// `ffn::accuracy` does; the class count is the network's number of outputs, or 2 for one
/// output.
/// @throws std::invalid_argument naming `where` if the network is empty, the inputs do not fit
///         it or hold no samples or a value that is NaN or infinite, the number of labels
///         differs from the number of samples, or a label is out of range.
template <class Net, class Inputs, label_range Labels>
[[nodiscard]] checked_labels classify(std::string_view where, const Net& net,
                                      const Eigen::MatrixBase<Inputs>& inputs,
                                      const Labels& labels) {
    static_assert(std::is_same_v<typename Inputs::Scalar, typename Net::scalar_type>,
                  "ffn: a metric's inputs must have the network's scalar type (convert them "
                  "with .template cast<Scalar>()).");
    const std::string prefix = std::string(where) + ": ";
    net.check_shapes(where);
    if (inputs.rows() != net.inputs()) {
        detail::raise(
            std::invalid_argument(prefix + "the inputs have " + std::to_string(inputs.rows()) +
                                  " rows, but the network takes " + std::to_string(net.inputs()) +
                                  " inputs (one row each)"));
    }
    if (inputs.cols() == 0) {
        detail::raise(std::invalid_argument(prefix + "the inputs have no columns (no samples)"));
    }
    const auto label_count = static_cast<Eigen::Index>(std::ranges::size(labels));
    if (label_count != inputs.cols()) {
        detail::raise(std::invalid_argument(prefix + "there are " + std::to_string(label_count) +
                                            " labels for " + std::to_string(inputs.cols()) +
                                            " samples (input columns)"));
    }
    check_finite(where, "inputs", inputs);
    checked_labels result{{}, label_values(where, "label", labels), 0};
    const Eigen::Index output_count = net.outputs();
    result.class_count = output_count == 1 ? 2 : output_count;
    check_label_range(where, "label", result.truth, result.class_count,
                      [output_count] { return network_classes(output_count); });
    result.predicted.reserve(result.truth.size());
    for_each_output_chunk(net, inputs, [&result](Eigen::Index /*start*/, const auto& outputs) {
        for (Eigen::Index j = 0; j < outputs.cols(); ++j) {
            result.predicted.push_back(class_of(outputs.col(j)));
        }
    });
    return result;
}

/// The regression metrics' values in double precision, with the argument's rows. Its type
/// depends on the argument's, so the code that uses it is compiled only in a program that
/// calls the metric, not in every program that includes this header.
template <class Matrix>
using double_matrix = Eigen::Matrix<double, Matrix::RowsAtCompileTime, Eigen::Dynamic>;

/// Row = true class, column = predicted class. (A template, so that only a program that counts
/// classes compiles Eigen's code for integer matrices.)
template <class Count = long long>
[[nodiscard]] Eigen::MatrixX<Count> count_classes(const checked_labels& labels) {
    Eigen::MatrixX<Count> counts =
        Eigen::MatrixX<Count>::Zero(labels.class_count, labels.class_count);
    for (std::size_t i = 0; i < labels.truth.size(); ++i) {
        ++counts(labels.truth[i], labels.predicted[i]);
    }
    return counts;
}

/// `value` with `digits` digits after the point.
[[nodiscard]] inline std::string format_fixed(double value, int digits) {
    char buffer[64];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, digits);
    return std::string(buffer, result.ptr);
}

/// `text` right-aligned in `width` characters (never cut).
[[nodiscard]] inline std::string align_right(const std::string& text, std::size_t width) {
    // Appended, not added: g++ 12 at -O3 warns wrongly about a string added to a temporary.
    std::string out;
    if (text.size() < width) {
        out.assign(width - text.size(), ' ');
    }
    out += text;
    return out;
}

} // namespace detail

/// Precision, recall, F1 score and support of one class, or their average over the classes.
struct class_scores {
    /// Of the samples predicted as the class, the fraction that are: \f$TP / (TP + FP)\f$, 0
    /// when none is predicted as it.
    double precision = 0;
    /// Of the samples of the class, the fraction predicted as it: \f$TP / (TP + FN)\f$, 0 when
    /// no sample is of the class.
    double recall = 0;
    /// The harmonic mean of precision and recall, \f$2 TP / (2 TP + FP + FN)\f$, 0 when that
    /// is 0 / 0.
    double f1 = 0;
    /// The number of samples of the class (for an average, all samples).
    long long support = 0;
};

/// What `ffn::classification_report` measures: the scores of every class, the accuracy, and
/// two averages of the scores.
struct classification_scores {
    /// One entry per class, class 0 first.
    std::vector<class_scores> classes;
    /// The fraction of samples predicted as their true class.
    double accuracy = 0;
    /// The plain mean over the classes, each class counting once (a class without samples
    /// too): scikit-learn's "macro avg".
    class_scores macro_average;
    /// The mean over the classes weighted by their support: scikit-learn's "weighted avg".
    class_scores weighted_average;

    /// A table like scikit-learn's `classification_report`: a row per class with its
    /// precision, recall, F1 score and support, then the accuracy and the two averages.
    /// @param class_names one name per class for the rows; empty: the class indices
    /// @param digits      digits after the point, 0 to 17
    /// @throws std::invalid_argument if `class_names` is neither empty nor one per class, or
    ///         `digits` is out of range.
    [[nodiscard]] std::string to_string(const std::vector<std::string>& class_names = {},
                                        int digits = 2) const {
        const std::string where = "ffn::classification_scores::to_string: ";
        if (!class_names.empty() && class_names.size() != classes.size()) {
            detail::raise(std::invalid_argument(
                where + "there are " + std::to_string(class_names.size()) + " class names for " +
                std::to_string(classes.size()) + " classes"));
        }
        if (digits < 0 || digits > 17) {
            detail::raise(std::invalid_argument(where + "the digits must be from 0 to 17, got " +
                                                std::to_string(digits)));
        }
        std::vector<std::string> names;
        for (std::size_t c = 0; c < classes.size(); ++c) {
            names.push_back(class_names.empty() ? std::to_string(c) : class_names[c]);
        }
        std::size_t name_width = std::string_view("weighted avg").size();
        for (const auto& name : names) {
            name_width = std::max(name_width, name.size());
        }
        // Each column is a space and a right-aligned field wide enough for "precision" and for
        // a score (`1.` and its digits).
        const auto field_width = std::max<std::size_t>(9, static_cast<std::size_t>(digits) + 2);
        // The table is appended piece by piece (g++ 12 at -O3 warns wrongly about chains of
        // string additions).
        std::string out;
        const auto cell = [&out, field_width](const std::string& text) {
            out += ' ';
            out += detail::align_right(text, field_width);
        };
        const auto row = [&](const std::string& name, const class_scores& s) {
            out += detail::align_right(name, name_width);
            out += ' ';
            cell(detail::format_fixed(s.precision, digits));
            cell(detail::format_fixed(s.recall, digits));
            cell(detail::format_fixed(s.f1, digits));
            cell(std::to_string(s.support));
            out += '\n';
        };
        out.append(name_width, ' ');
        out += ' ';
        cell("precision");
        cell("recall");
        cell("f1-score");
        cell("support");
        out += "\n\n";
        for (std::size_t c = 0; c < classes.size(); ++c) {
            row(names[c], classes[c]);
        }
        out += '\n';
        out += detail::align_right("accuracy", name_width);
        out += ' ';
        cell("");
        cell("");
        cell(detail::format_fixed(accuracy, digits));
        cell(std::to_string(macro_average.support));
        out += '\n';
        row("macro avg", macro_average);
        row("weighted avg", weighted_average);
        return out;
    }
};

namespace detail {

/// The scores of every class from a confusion matrix (row = true class, column = predicted).
template <class Counts>
[[nodiscard]] classification_scores scores_of(const Eigen::MatrixBase<Counts>& counts) {
    classification_scores result;
    const long long total = counts.sum();
    const auto ratio = [](long long numerator, long long denominator) {
        return denominator == 0 ? 0.0
                                : static_cast<double>(numerator) / static_cast<double>(denominator);
    };
    long long correct = 0;
    for (Eigen::Index c = 0; c < counts.rows(); ++c) {
        const long long hits = counts(c, c);
        const long long predicted = counts.col(c).sum();
        const long long support = counts.row(c).sum();
        correct += hits;
        result.classes.push_back({ratio(hits, predicted), ratio(hits, support),
                                  ratio(2 * hits, predicted + support), support});
    }
    const auto classes = static_cast<double>(result.classes.size());
    auto& macro = result.macro_average;
    auto& weighted = result.weighted_average;
    for (const auto& s : result.classes) {
        const double weight = ratio(s.support, total);
        macro.precision += s.precision / classes;
        macro.recall += s.recall / classes;
        macro.f1 += s.f1 / classes;
        weighted.precision += s.precision * weight;
        weighted.recall += s.recall * weight;
        weighted.f1 += s.f1 * weight;
    }
    macro.support = total;
    weighted.support = total;
    result.accuracy = ratio(correct, total);
    return result;
}

} // namespace detail

/// The mean absolute error, \f$\frac{1}{n}\sum_s |prediction_s - target_s|\f$, averaged over
/// the outputs (scikit-learn's `mean_absolute_error`).
/// @param predictions one column per sample, one row per output
/// @param targets     the same shape
/// @throws std::invalid_argument if the shapes differ, there are no samples or no outputs, or
///         a value is NaN or infinite (naming the sample and row).
template <class Predictions, class Targets>
[[nodiscard]] double mean_absolute_error(const Eigen::MatrixBase<Predictions>& predictions,
                                         const Eigen::MatrixBase<Targets>& targets) {
    static_assert(scalar<typename Predictions::Scalar> && scalar<typename Targets::Scalar>,
                  "ffn::mean_absolute_error: predictions and targets must hold floating-point "
                  "values.");
    detail::check_regression_data("ffn::mean_absolute_error", predictions, targets);
    // Every output has the same number of samples, so the mean of the outputs' means is the
    // mean of all values.
    return (predictions.template cast<double>() - targets.template cast<double>())
        .cwiseAbs()
        .mean();
}

/// The root of the mean squared error, \f$\sqrt{\frac{1}{n}\sum_s (prediction_s -
/// target_s)^2}\f$, for each output, then averaged over the outputs (scikit-learn's
/// `root_mean_squared_error`: the mean of the roots, not the root of the mean).
/// @param predictions one column per sample, one row per output
/// @param targets     the same shape
/// @throws std::invalid_argument if the shapes differ, there are no samples or no outputs, or
///         a value is NaN or infinite (naming the sample and row).
template <class Predictions, class Targets>
[[nodiscard]] double root_mean_squared_error(const Eigen::MatrixBase<Predictions>& predictions,
                                             const Eigen::MatrixBase<Targets>& targets) {
    static_assert(scalar<typename Predictions::Scalar> && scalar<typename Targets::Scalar>,
                  "ffn::root_mean_squared_error: predictions and targets must hold "
                  "floating-point values.");
    detail::check_regression_data("ffn::root_mean_squared_error", predictions, targets);
    const detail::double_matrix<Predictions> errors =
        predictions.template cast<double>() - targets.template cast<double>();
    return errors.array().square().rowwise().mean().sqrt().mean();
}

/// The coefficient of determination, \f$R^2 = 1 - SS_{res} / SS_{tot}\f$ with
/// \f$SS_{res} = \sum_s (target_s - prediction_s)^2\f$ and
/// \f$SS_{tot} = \sum_s (target_s - \bar{target})^2\f$, for each output, then averaged over
/// the outputs (scikit-learn's `r2_score`). 1 is a perfect fit, 0 no better than predicting
/// the mean, and it can be negative. For an output whose targets are all equal (\f$SS_{tot} =
/// 0\f$) it is 1 if the predictions equal them and 0 otherwise, as scikit-learn's
/// `force_finite=True`; the targets are compared with each other for this, so that rounding in
/// their mean cannot make a constant output look varied.
/// @param predictions one column per sample, one row per output
/// @param targets     the same shape
/// @throws std::invalid_argument if the shapes differ, there are fewer than two samples (where
///         scikit-learn answers NaN) or no outputs, or a value is NaN or infinite (naming the
///         sample and row).
template <class Predictions, class Targets>
[[nodiscard]] double r2_score(const Eigen::MatrixBase<Predictions>& predictions,
                              const Eigen::MatrixBase<Targets>& targets) {
    static_assert(scalar<typename Predictions::Scalar> && scalar<typename Targets::Scalar>,
                  "ffn::r2_score: predictions and targets must hold floating-point values.");
    const std::string_view where = "ffn::r2_score";
    detail::check_regression_data(where, predictions, targets);
    if (targets.cols() < 2) {
        detail::raise(std::invalid_argument(std::string(where) +
                                            ": R^2 needs at least two samples (columns), got 1"));
    }
    const detail::double_matrix<Predictions> p = predictions.template cast<double>();
    const detail::double_matrix<Predictions> t = targets.template cast<double>();
    double total = 0;
    for (Eigen::Index k = 0; k < t.rows(); ++k) {
        const double residual = (t.row(k) - p.row(k)).squaredNorm();
        if ((t.row(k).array() == t(k, 0)).all()) {
            total += residual == 0 ? 1.0 : 0.0;
        } else {
            total += 1.0 - residual / (t.row(k).array() - t.row(k).mean()).square().sum();
        }
    }
    return total / static_cast<double>(t.rows());
}

/// `ffn::mean_absolute_error` of `net`'s outputs for `inputs` against `targets`.
/// @param net     the network (not changed)
/// @param inputs  one column per sample, `net.inputs()` rows
/// @param targets one column per sample, `net.outputs()` rows
/// @throws std::invalid_argument if the network is empty, a shape does not fit it, there are
///         no samples, the column counts differ, or a value is NaN or infinite.
template <class Loss, class... Layers, class Inputs, class Targets>
[[nodiscard]] double mean_absolute_error(const network<Loss, Layers...>& net,
                                         const Eigen::MatrixBase<Inputs>& inputs,
                                         const Eigen::MatrixBase<Targets>& targets) {
    return mean_absolute_error(
        detail::predictions_for("ffn::mean_absolute_error", net, inputs, targets), targets);
}

/// `ffn::root_mean_squared_error` of `net`'s outputs for `inputs` against `targets`.
/// @param net     the network (not changed)
/// @param inputs  one column per sample, `net.inputs()` rows
/// @param targets one column per sample, `net.outputs()` rows
/// @throws std::invalid_argument if the network is empty, a shape does not fit it, there are
///         no samples, the column counts differ, or a value is NaN or infinite.
template <class Loss, class... Layers, class Inputs, class Targets>
[[nodiscard]] double root_mean_squared_error(const network<Loss, Layers...>& net,
                                             const Eigen::MatrixBase<Inputs>& inputs,
                                             const Eigen::MatrixBase<Targets>& targets) {
    return root_mean_squared_error(
        detail::predictions_for("ffn::root_mean_squared_error", net, inputs, targets), targets);
}

/// `ffn::r2_score` of `net`'s outputs for `inputs` against `targets`.
/// @param net     the network (not changed)
/// @param inputs  one column per sample, `net.inputs()` rows
/// @param targets one column per sample, `net.outputs()` rows
/// @throws std::invalid_argument if the network is empty, a shape does not fit it, there are
///         fewer than two samples, the column counts differ, or a value is NaN or infinite.
template <class Loss, class... Layers, class Inputs, class Targets>
[[nodiscard]] double r2_score(const network<Loss, Layers...>& net,
                              const Eigen::MatrixBase<Inputs>& inputs,
                              const Eigen::MatrixBase<Targets>& targets) {
    return r2_score(detail::predictions_for("ffn::r2_score", net, inputs, targets), targets);
}

/// How many samples of each true class were predicted as each class: entry \f$(i, j)\f$
/// counts the samples of true class \f$i\f$ predicted as class \f$j\f$ (scikit-learn's
/// orientation: rows are the truth, columns the predictions), so the diagonal holds the
/// correct predictions.
/// @param predicted_labels one integer class per sample (any sized random-access range)
/// @param true_labels      one integer class per sample
/// @param class_count      the number of classes k; unset, 1 + the largest label
/// @return a k x k matrix
/// @throws std::invalid_argument if the label counts differ or are zero, a label is negative
///         or not below `class_count` (naming it and its sample), or `class_count` is not
///         positive.
template <detail::label_range Predicted, detail::label_range Truth>
[[nodiscard]] Eigen::MatrixX<long long> confusion_matrix(
    const Predicted& predicted_labels, const Truth& true_labels,
    std::optional<Eigen::Index> class_count = std::nullopt) {
    return detail::count_classes(
        detail::check_labels("ffn::confusion_matrix", predicted_labels, true_labels, class_count));
}

/// The confusion matrix of the classes `net` gives `inputs` against `labels`, as `ffn::accuracy`
/// classifies: the largest of several outputs, or for one output class 1 when it is at least
/// 0.5. The matrix has a row and a column per class: `net.outputs()`, or 2 for one output.
/// @param net    the network (not changed)
/// @param inputs one column per sample, `net.inputs()` rows
/// @param labels one integer class per sample
/// @throws std::invalid_argument if the network is empty, the inputs do not fit it, there are
///         no samples, the number of labels differs from the number of samples, a label is out
///         of range, or an input is NaN or infinite (each naming the sample).
template <class Loss, class... Layers, class Inputs, detail::label_range Labels>
[[nodiscard]] Eigen::MatrixX<long long> confusion_matrix(const network<Loss, Layers...>& net,
                                                         const Eigen::MatrixBase<Inputs>& inputs,
                                                         const Labels& labels) {
    return detail::count_classes(detail::classify("ffn::confusion_matrix", net, inputs, labels));
}

/// Precision, recall, F1 score and support of every class, the accuracy, and the macro and
/// weighted averages, with scikit-learn's definitions (see `class_scores`); print them with
/// `to_string()`.
/// @param predicted_labels one integer class per sample (any sized random-access range)
/// @param true_labels      one integer class per sample
/// @param class_count      the number of classes; unset, 1 + the largest label
/// @throws std::invalid_argument as `ffn::confusion_matrix` does.
template <detail::label_range Predicted, detail::label_range Truth>
[[nodiscard]] classification_scores classification_report(
    const Predicted& predicted_labels, const Truth& true_labels,
    std::optional<Eigen::Index> class_count = std::nullopt) {
    return detail::scores_of(detail::count_classes(detail::check_labels(
        "ffn::classification_report", predicted_labels, true_labels, class_count)));
}

/// The classification report of the classes `net` gives `inputs` against `labels`, classified
/// as `ffn::confusion_matrix` on a network does.
/// @param net    the network (not changed)
/// @param inputs one column per sample, `net.inputs()` rows
/// @param labels one integer class per sample
/// @throws std::invalid_argument as `ffn::confusion_matrix` on a network does.
template <class Loss, class... Layers, class Inputs, detail::label_range Labels>
[[nodiscard]] classification_scores classification_report(const network<Loss, Layers...>& net,
                                                          const Eigen::MatrixBase<Inputs>& inputs,
                                                          const Labels& labels) {
    return detail::scores_of(
        detail::count_classes(detail::classify("ffn::classification_report", net, inputs, labels)));
}

} // namespace ffn
