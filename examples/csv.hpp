// SPDX-License-Identifier: MIT
#pragma once

// What the example programs share: reading a labelled or a regression CSV data set, splitting
// it and standardising its features, one-hot targets, the command line, and writing the
// per-epoch history as CSV. Errors in the command line or the data end the program through
// `examples::fail` (program.hpp). This is example code, not part of the library.

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <Eigen/Core>

#include <ffn/train/history.hpp>
#include <ffn/train/split.hpp>

#include "program.hpp"

namespace examples {

namespace detail {

/// Ends the program on an error at line `line` of the file `path`.
[[noreturn]] inline void csv_fail(const std::string& path, std::size_t line,
                                  const std::string& what) {
    fail(path + ":" + std::to_string(line) + ": " + what);
}

/// The comma-separated fields of a line (no quoting).
inline std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, ',')) {
        fields.push_back(field);
    }
    return fields;
}

/// The finite number that `text` (a field of line `line` of `path`) holds; trailing spaces and
/// a carriage return are allowed.
/// Ends the program naming the file and line if it holds anything else.
inline double csv_number(const std::string& path, std::size_t line, const std::string& text) {
    // As std::stod reads numbers (it calls std::strtod): leading spaces are skipped, and a
    // number out of the range of double is refused.
    const char* const begin = text.c_str();
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(begin, &end);
    const auto used = static_cast<std::size_t>(end - begin);
    if (used == 0 || errno == ERANGE || text.find_first_not_of(" \r", used) != std::string::npos ||
        !std::isfinite(value)) {
        csv_fail(path, line, "'" + text + "' is not a finite number");
    }
    return value;
}

} // namespace detail

/// A labelled data set: one column of features per sample and one integer label each.
struct labelled_data {
    Eigen::MatrixXd features;
    std::vector<int> labels;
    std::vector<std::string> class_names; // empty when the file has no header
};

/// Reads a CSV file whose lines hold the features and then an integer class label. With
/// `has_header`, the first line is `n_samples,n_features,class_name_0,...` and the counts are
/// checked against the data.
/// Ends the program naming the file and line if it cannot be read or parsed.
inline labelled_data read_labelled_csv(const std::string& path, bool has_header) {
    std::ifstream file(path);
    if (!file) {
        fail("cannot open '" + path + "' (give the data file's path as the first argument)");
    }
    const auto split = [](const std::string& line) { return detail::csv_fields(line); };
    const auto number = [&path](const std::string& text, std::size_t line) {
        return detail::csv_number(path, line, text);
    };

    labelled_data data;
    std::string line;
    std::size_t line_number = 0;
    long expected_samples = -1;
    long expected_features = -1;
    if (has_header) {
        if (!std::getline(file, line)) {
            detail::csv_fail(path, 1, "the file is empty");
        }
        line_number = 1;
        const auto fields = split(line);
        if (fields.size() < 4) {
            detail::csv_fail(path, 1, "the header must be n_samples,n_features,class names...");
        }
        expected_samples = static_cast<long>(number(fields[0], 1));
        expected_features = static_cast<long>(number(fields[1], 1));
        data.class_names.assign(fields.begin() + 2, fields.end());
        for (auto& name : data.class_names) {
            if (!name.empty() && name.back() == '\r') {
                name.pop_back();
            }
        }
    }
    std::vector<std::vector<double>> rows;
    while (std::getline(file, line)) {
        ++line_number;
        if (line.empty() || line == "\r") {
            continue;
        }
        const auto fields = split(line);
        if (fields.size() < 2) {
            detail::csv_fail(path, line_number, "a line needs at least one feature and a label");
        }
        if (!rows.empty() && fields.size() - 1 != rows.front().size()) {
            detail::csv_fail(path, line_number,
                             "expected " + std::to_string(rows.front().size()) +
                                 " features, found " + std::to_string(fields.size() - 1));
        }
        std::vector<double> values;
        for (std::size_t i = 0; i + 1 < fields.size(); ++i) {
            values.push_back(number(fields[i], line_number));
        }
        const double label = number(fields.back(), line_number);
        if (label < 0 || label != std::floor(label)) {
            detail::csv_fail(path, line_number, "the label must be a non-negative integer");
        }
        rows.push_back(std::move(values));
        data.labels.push_back(static_cast<int>(label));
    }
    if (rows.empty()) {
        detail::csv_fail(path, line_number, "the file holds no samples");
    }
    const auto features = static_cast<Eigen::Index>(rows.front().size());
    const auto samples = static_cast<Eigen::Index>(rows.size());
    if (has_header && (expected_samples != samples || expected_features != features)) {
        detail::csv_fail(path, 1,
                         "the header announces " + std::to_string(expected_samples) +
                             " samples of " + std::to_string(expected_features) +
                             " features, the file holds " + std::to_string(samples) + " of " +
                             std::to_string(features));
    }
    data.features.resize(features, samples);
    for (Eigen::Index j = 0; j < samples; ++j) {
        for (Eigen::Index i = 0; i < features; ++i) {
            data.features(i, j) = rows[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)];
        }
    }
    return data;
}

/// A regression data set: one column of features per sample and one real target each.
struct regression_data {
    Eigen::MatrixXd features;               // one row per feature, one column per sample
    Eigen::MatrixXd targets;                // 1 x samples
    std::vector<std::string> feature_names; // from the header
    std::string target_name;                // from the header
};

/// Reads a CSV file whose first line names the columns (the features, then the target) and
/// whose other lines hold the features and then the target, all finite numbers.
/// Ends the program naming the file and line if it cannot be read or parsed.
inline regression_data read_regression_csv(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        fail("cannot open '" + path + "' (give the data file's path as the first argument)");
    }
    std::string line;
    if (!std::getline(file, line)) {
        detail::csv_fail(path, 1, "the file is empty");
    }
    regression_data data;
    data.feature_names = detail::csv_fields(line);
    for (auto& name : data.feature_names) {
        if (!name.empty() && name.back() == '\r') {
            name.pop_back();
        }
    }
    if (data.feature_names.size() < 2) {
        detail::csv_fail(path, 1, "the header must name the features and the target");
    }
    data.target_name = data.feature_names.back();
    data.feature_names.pop_back();
    const std::size_t columns = data.feature_names.size() + 1;

    std::vector<double> values; // sample by sample, the target last
    std::size_t line_number = 1;
    while (std::getline(file, line)) {
        ++line_number;
        if (line.empty() || line == "\r") {
            continue;
        }
        const auto fields = detail::csv_fields(line);
        if (fields.size() != columns) {
            detail::csv_fail(path, line_number,
                             "the header names " + std::to_string(columns) +
                                 " columns, the line holds " + std::to_string(fields.size()));
        }
        for (const auto& field : fields) {
            values.push_back(detail::csv_number(path, line_number, field));
        }
    }
    if (values.empty()) {
        detail::csv_fail(path, line_number, "the file holds no samples");
    }
    const auto rows = static_cast<Eigen::Index>(columns);
    const Eigen::Map<const Eigen::MatrixXd> table(values.data(), rows,
                                                  static_cast<Eigen::Index>(values.size()) / rows);
    data.features = table.topRows(rows - 1);
    data.targets = table.bottomRows(1);
    return data;
}

/// The labels of the samples `indices`, in that order.
inline std::vector<int> select(const std::vector<int>& labels,
                               const std::vector<Eigen::Index>& indices) {
    std::vector<int> out;
    out.reserve(indices.size());
    for (const Eigen::Index i : indices) {
        out.push_back(labels[static_cast<std::size_t>(i)]);
    }
    return out;
}

/// Shifts and scales each feature (row) to mean 0 and standard deviation 1 over the
/// training samples; the same shift and scale are then applied to other samples, so that
/// nothing about the test samples leaks into training. A constant feature is only shifted.
class standardizer {
public:
    explicit standardizer(const Eigen::MatrixXd& training) {
        mean_ = training.rowwise().mean();
        const Eigen::MatrixXd centred = training.colwise() - mean_;
        scale_ = (centred.array().square().rowwise().sum() / static_cast<double>(training.cols()))
                     .sqrt()
                     .matrix();
        for (Eigen::Index i = 0; i < scale_.size(); ++i) {
            if (scale_(i) == 0) {
                scale_(i) = 1;
            }
        }
    }
    [[nodiscard]] Eigen::MatrixXd apply(const Eigen::MatrixXd& samples) const {
        return ((samples.colwise() - mean_).array().colwise() / scale_.array()).matrix();
    }
    /// The inverse of `apply`: standardised values back in the original units (to report a
    /// regression network's predictions of a standardised target).
    [[nodiscard]] Eigen::MatrixXd restore(const Eigen::MatrixXd& standardized) const {
        return (standardized.array().colwise() * scale_.array()).matrix().colwise() + mean_;
    }

private:
    Eigen::VectorXd mean_;
    Eigen::VectorXd scale_;
};

/// One column per label with a 1 in row `label` and 0 elsewhere.
inline Eigen::MatrixXd one_hot(const std::vector<int>& labels, Eigen::Index classes) {
    Eigen::MatrixXd targets =
        Eigen::MatrixXd::Zero(classes, static_cast<Eigen::Index>(labels.size()));
    for (std::size_t j = 0; j < labels.size(); ++j) {
        targets(labels[j], static_cast<Eigen::Index>(j)) = 1;
    }
    return targets;
}

/// A 1 x n row of the labels (for a network with one sigmoid output).
inline Eigen::MatrixXd label_row(const std::vector<int>& labels) {
    Eigen::MatrixXd targets(1, static_cast<Eigen::Index>(labels.size()));
    for (std::size_t j = 0; j < labels.size(); ++j) {
        targets(0, static_cast<Eigen::Index>(j)) = labels[j];
    }
    return targets;
}

/// The command line of an example: `[DATA_FILE] [--csv FILE] [--seed N]`.
struct arguments {
    std::string data_path;
    std::string csv_path; // empty: no history file
    std::uint64_t seed = 0;
};

/// Ends the program on an unknown or incomplete option.
inline arguments parse_arguments(int argc, char** argv, const std::string& default_data,
                                 std::uint64_t default_seed) {
    arguments args{default_data, {}, default_seed};
    bool data_given = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--csv") {
            if (i + 1 >= argc) {
                fail("--csv needs a file name");
            }
            args.csv_path = argv[++i];
        } else if (arg == "--seed") {
            const std::string value = i + 1 < argc ? argv[++i] : "";
            if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) {
                fail("--seed needs a non-negative integer");
            }
            if (std::from_chars(value.data(), value.data() + value.size(), args.seed).ec !=
                std::errc{}) {
                fail("--seed needs a non-negative integer below 2^64");
            }
        } else if (!arg.empty() && arg[0] == '-') {
            fail("unknown option '" + arg + "'; usage: " + argv[0] +
                 " [DATA_FILE] [--csv FILE] [--seed N]");
        } else if (!data_given) {
            args.data_path = arg;
            data_given = true;
        } else {
            fail("unexpected argument '" + arg + "'");
        }
    }
    return args;
}

/// Writes one line per epoch: epoch, learning rate, training loss and accuracy, validation
/// loss and accuracy (empty fields for what was not measured).
/// Ends the program if the file cannot be written.
inline void write_history_csv(const std::string& path, const ffn::history<double>& history) {
    std::ofstream out(path);
    if (!out) {
        fail("cannot write '" + path + "'");
    }
    out << "epoch,learning_rate,training_loss,training_accuracy,validation_loss,"
           "validation_accuracy\n";
    out.precision(9);
    for (const auto& r : history.epochs) {
        out << r.epoch << ',' << r.learning_rate << ',' << r.training_loss << ',';
        if (r.training_accuracy) {
            out << *r.training_accuracy;
        }
        out << ',';
        if (r.validation_loss) {
            out << *r.validation_loss;
        }
        out << ',';
        if (r.validation_accuracy) {
            out << *r.validation_accuracy;
        }
        out << '\n';
    }
    out.close();
    if (!out) {
        fail("writing '" + path + "' failed");
    }
}

/// Prints a split so that a run can be reproduced and compared: the seed, the sizes, and the
/// first test indices.
inline void print_split(const ffn::index_split& split, std::uint64_t seed) {
    std::printf("split (seed %llu): %zu training samples, %zu test samples; test indices",
                static_cast<unsigned long long>(seed), split.kept.size(), split.held_out.size());
    const std::size_t shown = split.held_out.size() < 12 ? split.held_out.size() : 12;
    for (std::size_t i = 0; i < shown; ++i) {
        std::printf("%s%ld", i == 0 ? " " : ",", static_cast<long>(split.held_out[i]));
    }
    std::printf("%s\n", shown < split.held_out.size() ? ",..." : "");
}

/// A data set split into training and test samples, both standardised with the training
/// samples' statistics only.
struct train_test {
    Eigen::MatrixXd train_x;
    Eigen::MatrixXd test_x;
    std::vector<int> train_labels;
    std::vector<int> test_labels;
};

/// Splits `data` as `split` says (kept for training, held out for testing), standardises the
/// features with the training samples' statistics, and prints the split so that a run can be
/// reproduced and compared: the seed, the sizes, and the first test indices.
inline train_test split_and_standardize(const labelled_data& data, const ffn::index_split& split,
                                        std::uint64_t seed) {
    print_split(split, seed);
    const Eigen::MatrixXd raw_train = data.features(Eigen::all, split.kept);
    const standardizer standardize(raw_train);
    return {standardize.apply(raw_train),
            standardize.apply(data.features(Eigen::all, split.held_out)),
            select(data.labels, split.kept), select(data.labels, split.held_out)};
}

/// A regression data set split into training and test samples; the features are standardised
/// with the training samples' statistics only, the targets are as in the file.
struct regression_train_test {
    Eigen::MatrixXd train_x;
    Eigen::MatrixXd test_x;
    Eigen::MatrixXd train_y; // 1 x training samples
    Eigen::MatrixXd test_y;  // 1 x test samples
};

/// Splits `data` as `split` says, standardises the features with the training samples'
/// statistics, and prints the split as the labelled `split_and_standardize` does.
inline regression_train_test split_and_standardize(const regression_data& data,
                                                   const ffn::index_split& split,
                                                   std::uint64_t seed) {
    print_split(split, seed);
    const Eigen::MatrixXd raw_train = data.features(Eigen::all, split.kept);
    const standardizer standardize(raw_train);
    return {standardize.apply(raw_train),
            standardize.apply(data.features(Eigen::all, split.held_out)),
            data.targets(Eigen::all, split.kept), data.targets(Eigen::all, split.held_out)};
}

} // namespace examples
