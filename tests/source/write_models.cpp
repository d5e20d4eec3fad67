// SPDX-License-Identifier: MIT
// Writes four networks as C++ headers with ffn::write_source into the folder given as the
// first argument (model_a.hpp ... model_d.hpp, defining model_a() ... model_d()), and
// expected.hpp beside them: for each network, fixed inputs and targets and what the network in
// memory computes from them (its predictions, its loss and its settings), every value as a
// hexadecimal literal. check_models.cpp builds the networks from the headers and must compute
// the same, bit for bit.
//
// The expected values are printed with printf's %a, not with ffn's own formatting, so that a
// fault in write_source's literals cannot hide in expected.hpp as well.

#include <array>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include <ffn/activations/elu.hpp>
#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/concepts/settings.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/init/uniform.hpp>
#include <ffn/io/cpp_source.hpp>
#include <ffn/layers/bias.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/losses/huber.hpp>
#include <ffn/losses/mean_squared_error.hpp>
#include <ffn/network.hpp>

#include "../lecture/lecture_net.hpp"

namespace {

constexpr Eigen::Index dyn = Eigen::Dynamic;
constexpr Eigen::Index samples = 5;

template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

// (a) fixed sizes, double, with settings on the loss and two activations.
using net_a = ffn::network<ffn::huber, ffn::dense<3, 5, ffn::leaky_relu>,
                           ffn::dense<5, 5, ffn::elu>, ffn::dense<5, 2, ffn::identity>>;
// (b) the same in float, with one shared bias in layer 1 and no biases in layer 2.
using net_b = ffn::network<ffn::huber, ffn::dense<3, 5, ffn::leaky_relu, float>,
                           ffn::dense<5, 5, ffn::elu, float, ffn::shared_bias>,
                           ffn::dense<5, 2, ffn::identity, float, ffn::no_bias>>;
// (c) dynamic sizes, double; one input and one output, so that layer 0's weights are a column
// and layer 2's a row, which Eigen stores in one order only.
using net_c = ffn::network<ffn::mean_squared_error, ffn::dense<dyn, dyn, ffn::tanh>,
                           ffn::dense<dyn, dyn, ffn::sigmoid>, ffn::dense<dyn, dyn, ffn::tanh>>;
// (d) the lecture's 2-2-2 sigmoid network with its weights (lecture/lecture_net.hpp).
using net_d = lecture::network<double>;

/// `rows x samples` values from -1.25 to 1.25 in steps of 0.25 (both signs, and zero).
template <class Scalar>
matrix<Scalar> sample_values(Eigen::Index rows, Eigen::Index salt) {
    matrix<Scalar> values(rows, samples);
    for (Eigen::Index c = 0; c < samples; ++c) {
        for (Eigen::Index r = 0; r < rows; ++r) {
            values(r, c) = static_cast<Scalar>((7 * r + 3 * c + salt) % 11 - 5) / Scalar(4);
        }
    }
    return values;
}

/// The settings of the loss, then of each layer's activation, in order.
template <class Net>
std::vector<double> all_settings(const Net& net) {
    std::vector<double> values;
    const auto append = [&values](const auto& settings) {
        values.insert(values.end(), settings.begin(), settings.end());
    };
    append(ffn::detail::settings_of(net.loss_function()));
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (append(ffn::detail::settings_of(net.template layer<I>().activation())), ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    return values;
}

/// `value` as a hexadecimal literal of its type, through printf's %a.
template <class Scalar>
std::string literal(Scalar value) {
    char text[64];
    std::snprintf(text, sizeof text, "%a", static_cast<double>(value));
    return std::string(text) + (std::is_same_v<Scalar, float> ? "f" : "");
}

template <class Scalar>
void write_array(std::ofstream& out, std::string_view name, const Scalar* values,
                 std::size_t count) {
    out << "inline constexpr " << (std::is_same_v<Scalar, float> ? "float" : "double") << " "
        << name << "[" << count << "] = {";
    for (std::size_t i = 0; i < count; ++i) {
        out << (i == 0 ? "\n    " : i % 4 == 0 ? ",\n    " : ", ") << literal(values[i]);
    }
    out << "};\n";
}

/// Writes `net` as `<name>.hpp` defining `<name>()`, and its expected results into `expected`.
/// Returns false if the inputs give no layer but the last a negative sum (the negative side of
/// leaky_relu and elu would then go untested).
template <class Net>
bool write_model(const Net& net, const std::filesystem::path& folder, const std::string& name,
                 const matrix<typename Net::scalar_type>& input,
                 const matrix<typename Net::scalar_type>& target, std::ofstream& expected) {
    using scalar = typename Net::scalar_type;
    ffn::write_source(net, folder / (name + ".hpp"), name);

    // The same calls as check_models.cpp makes, so that the same code computes both sides.
    const matrix<scalar> prediction = net.predict(input);
    ffn::workspace<Net, Eigen::Dynamic> ws;
    net.forward(input, ws);
    const scalar loss = net.loss(ws, target);
    const std::vector<double> settings = all_settings(net);

    bool negative = true;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((negative = negative && (I + 1 == Net::layer_count ||
                                  (ws.template layer<I>().sum.array() < scalar(0)).any())),
         ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    if (!negative) {
        std::fprintf(stderr, "write_models: %s: a hidden layer has no negative sum\n",
                     name.c_str());
        return false;
    }

    expected << "namespace " << name << " {\n";
    expected << "inline constexpr int inputs = " << input.rows() << ";\n";
    expected << "inline constexpr int outputs = " << prediction.rows() << ";\n";
    expected << "inline constexpr int samples = " << input.cols() << ";\n";
    expected << "// Column by column: one sample after another.\n";
    write_array(expected, "input", input.data(), static_cast<std::size_t>(input.size()));
    write_array(expected, "target", target.data(), static_cast<std::size_t>(target.size()));
    write_array(expected, "prediction", prediction.data(),
                static_cast<std::size_t>(prediction.size()));
    expected << "inline constexpr " << (std::is_same_v<scalar, float> ? "float" : "double")
             << " loss = " << literal(loss) << ";\n";
    expected << "// The loss's settings, then each layer's activation's.\n";
    expected << "inline constexpr std::array<double, " << settings.size() << "> settings = {";
    for (std::size_t i = 0; i < settings.size(); ++i) {
        expected << (i == 0 ? "" : ", ") << literal(settings[i]);
    }
    expected << "};\n} // namespace " << name << "\n\n";
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FOLDER\n", argv[0]);
        return 2;
    }
    try {
        const std::filesystem::path folder = argv[1];
        std::filesystem::create_directories(folder);
        const std::filesystem::path expected_path = folder / "expected.hpp";
        std::ofstream expected(expected_path);
        expected << "// Generated by tests/source/write_models.cpp: the inputs and targets of "
                    "each model, and\n// what the network in memory computed from them.\n"
                    "#pragma once\n\n#include <array>\n\nnamespace expected {\n\n";
        bool ok = true;

        net_a a(ffn::huber(0.25), {3, 5, ffn::leaky_relu(0.3)}, {5, 5, ffn::elu(0.7)}, {5, 2});
        ffn::initialize(a, ffn::glorot_uniform{}, 11, ffn::uniform(-0.5, 0.5));
        ok = write_model(a, folder, "model_a", sample_values<double>(3, 0),
                         sample_values<double>(2, 5), expected) &&
             ok;

        net_b b(ffn::huber(0.25), {3, 5, ffn::leaky_relu(0.3)}, {5, 5, ffn::elu(0.7)}, {5, 2});
        ffn::initialize(b, ffn::glorot_uniform{}, 12, ffn::uniform(-0.5, 0.5));
        ok = write_model(b, folder, "model_b", sample_values<float>(3, 1),
                         sample_values<float>(2, 6), expected) &&
             ok;

        net_c c({1, 6, 4, 1});
        ffn::initialize(c, ffn::glorot_uniform{}, 13, ffn::uniform(-0.5, 0.5));
        ok = write_model(c, folder, "model_c", sample_values<double>(1, 2),
                         sample_values<double>(1, 7), expected) &&
             ok;

        // The lecture's input and target as the first sample.
        matrix<double> input_d = sample_values<double>(2, 3);
        matrix<double> target_d = sample_values<double>(2, 8).cwiseAbs() / 2.0;
        input_d.col(0) = lecture::input<double>();
        target_d.col(0) = lecture::target<double>();
        ok = write_model(lecture::make_network<double>(), folder, "model_d", input_d, target_d,
                         expected) &&
             ok;

        expected << "} // namespace expected\n";
        expected.close();
        if (!expected) {
            std::fprintf(stderr, "write_models: cannot write %s\n", expected_path.c_str());
            return 1;
        }
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "write_models: %s\n", e.what());
        return 1;
    }
}
