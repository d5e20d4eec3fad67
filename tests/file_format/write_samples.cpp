// SPDX-License-Identifier: MIT
// Writes sample files with ffn::save into the folder given as the first argument, and
// expected.txt listing what each holds (every name, setting, tensor value and counter, values
// printed exactly, with 17 digits), for check_python_reader.py.
//
// expected.txt has one field a line, a keyword and its value:
//   file NAME, version V, scalar float|double, loss NAME, loss_setting NAME VALUE, layers N,
//   then for each layer: layer I, kind NAME, activation NAME, activation_setting NAME VALUE,
//   bias_policy NAME, layer_setting NAME VALUE, tensors N, tensor NAME ROWS COLS VALUES...,
//   counter NAME VALUE. A name may be empty (a dropout's activation and bias policy).

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <ffn/activations/elu.hpp>
#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/detail/random.hpp>
#include <ffn/io/format.hpp>
#include <ffn/io/save.hpp>
#include <ffn/layers/batch_norm.hpp>
#include <ffn/layers/bias.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/layers/dropout.hpp>
#include <ffn/layers/training.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/losses/huber.hpp>
#include <ffn/network.hpp>

#include "../lecture/lecture_net.hpp"

namespace {

constexpr Eigen::Index dyn = Eigen::Dynamic;

template <class Net>
void fill(Net& net, std::uint64_t seed) {
    ffn::detail::random_engine engine(seed);
    net.visit_tensors([&engine](std::size_t, std::string_view, auto& tensor, bool) {
        using scalar = typename std::remove_cvref_t<decltype(tensor)>::Scalar;
        for (Eigen::Index i = 0; i < tensor.size(); ++i) {
            tensor.data()[i] = static_cast<scalar>(4.0 * engine.uniform() - 2.0);
        }
    });
}

/// " 0.30000000000000001": a value printed so that it reads back exactly.
std::string exact(double value) {
    char text[40];
    std::snprintf(text, sizeof text, " %.17g", value);
    return text;
}

/// Lines `KEYWORD NAME VALUE` for each setting of `names` and `values`.
template <std::size_t N>
void print_settings(std::ofstream& expected, std::string_view keyword,
                    const std::array<std::string_view, N>& names,
                    const std::array<double, N>& values) {
    for (std::size_t i = 0; i < N; ++i) {
        expected << keyword << " " << names[i] << exact(values[i]) << "\n";
    }
}

/// Describes layer `I` of `net`: its names, settings, tensors and counters, in the file's order.
template <std::size_t I, class Net>
void print_layer(const Net& net, std::ofstream& expected) {
    using layer_type = typename Net::template layer_type<I>;
    const auto& layer = net.template layer<I>();
    expected << "layer " << I << "\n";
    expected << "kind " << layer_type::name << "\n";
    expected << "activation " << ffn::detail::activation_name<layer_type>() << "\n";
    if constexpr (requires { layer.activation(); }) {
        using activation_type = typename layer_type::activation_type;
        print_settings(expected, "activation_setting",
                       ffn::detail::setting_names<activation_type>(),
                       ffn::detail::settings_of(layer.activation()));
    }
    expected << "bias_policy " << ffn::detail::bias_policy_name<layer_type>() << "\n";
    print_settings(expected, "layer_setting", ffn::detail::layer_setting_names<layer_type>(),
                   ffn::detail::layer_settings_of(layer));
    std::size_t tensors = 0;
    layer.visit_tensors([&tensors](std::string_view, const auto&, bool) { ++tensors; });
    expected << "tensors " << tensors << "\n";
    layer.visit_tensors([&expected](std::string_view name, const auto& tensor, bool) {
        expected << "tensor " << name << " " << tensor.rows() << " " << tensor.cols();
        for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
            for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
                expected << exact(static_cast<double>(tensor(r, c)));
            }
        }
        expected << "\n";
    });
    ffn::detail::visit_counters(layer, [&expected](std::string_view name, std::int64_t value) {
        expected << "counter " << name << " " << value << "\n";
    });
}

/// Saves `net` as `name` in `folder` and describes it in `expected`.
template <class Net>
void write_sample(const Net& net, const std::filesystem::path& folder, const std::string& name,
                  std::ofstream& expected) {
    ffn::save(net, folder / name);
    expected << "file " << name << "\n";
    expected << "version " << ffn::file_format_version << "\n";
    expected << "scalar " << (sizeof(typename Net::scalar_type) == 4 ? "float" : "double") << "\n";
    expected << "loss " << Net::loss_type::name << "\n";
    using loss_type = typename Net::loss_type;
    print_settings(expected, "loss_setting", ffn::detail::setting_names<loss_type>(),
                   ffn::detail::settings_of(net.loss_function()));
    expected << "layers " << Net::layer_count << "\n";
    [&]<std::size_t... I>(std::index_sequence<I...>) { (print_layer<I>(net, expected), ...); }
    (std::make_index_sequence<Net::layer_count>{});
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FOLDER\n", argv[0]);
        return 2;
    }
    const std::filesystem::path folder = argv[1];
    std::filesystem::create_directories(folder);
    std::ofstream expected(folder / "expected.txt");

    // The example of docs/file_format.md, whose bytes the page shows.
    using example_layer = ffn::dense<2, 1, ffn::sigmoid, float, ffn::shared_bias>;
    ffn::network<ffn::half_squared_error, example_layer> example;
    example.layer<0>().weights() << 0.5F, -0.25F;
    example.layer<0>().bias() << 0.125F;
    write_sample(example, folder, "example.ffn", expected);

    // The same, after a dropout with p = 0.25, also shown on the page.
    ffn::network<ffn::half_squared_error, ffn::dropout<2, float>, example_layer> example_dropout(
        ffn::dropout<2, float>(0.25), example.layer<0>());
    write_sample(example_dropout, folder, "example_dropout.ffn", expected);

    // The lecture's network in float, with its shared biases.
    write_sample(lecture::make_network<float>(), folder, "lecture_float.ffn", expected);

    // A dynamic double network whose weights are not square, so that row-major order shows.
    ffn::network<ffn::half_squared_error, ffn::dense<dyn, dyn, ffn::sigmoid>,
                 ffn::dense<dyn, dyn, ffn::sigmoid>>
        wide({5, 3, 2});
    fill(wide, 2024);
    write_sample(wide, folder, "dynamic_double.ffn", expected);

    // No biases: 0x1 bias tensors.
    ffn::network<ffn::half_squared_error, ffn::dense<4, 3, ffn::sigmoid, double, ffn::no_bias>>
        unbiased;
    fill(unbiased, 7);
    write_sample(unbiased, folder, "no_bias.ffn", expected);

    // Settings: a leaky relu's slope, an elu's alpha, a Huber loss's delta.
    using configured_type =
        ffn::network<ffn::huber, ffn::dense<3, 4, ffn::leaky_relu>, ffn::dense<4, 2, ffn::elu>>;
    configured_type configured(ffn::huber(0.25), {3, 4, ffn::leaky_relu(0.3)},
                               {4, 2, ffn::elu(0.7)});
    fill(configured, 11);
    write_sample(configured, folder, "settings.ffn", expected);

    // Batch normalisation and dropout with settings of their own, after three training-mode
    // passes: running statistics that are not the defaults, and a count of batches.
    using normalized_type = ffn::network<ffn::half_squared_error, ffn::dense<3, 4, ffn::identity>,
                                         ffn::batch_norm<4, ffn::relu>, ffn::dropout<4>,
                                         ffn::dense<4, 2, ffn::sigmoid>>;
    normalized_type normalized({3, 4}, {4, 4, ffn::relu{}, 0.05, 1e-3}, ffn::dropout<4>(0.2),
                               {4, 2});
    fill(normalized, 13);
    normalized.layer<1>().running_mean().setZero();
    normalized.layer<1>().running_var().setOnes();
    {
        ffn::detail::random_engine engine(17);
        Eigen::MatrixXd input(3, 5);
        for (Eigen::Index i = 0; i < input.size(); ++i) {
            input.data()[i] = 2.0 * engine.uniform() - 1.0;
        }
        normalized_type::workspace_type<dyn> ws;
        ffn::training mode(19);
        for (int pass = 0; pass < 3; ++pass) {
            normalized.forward(input, ws, mode);
        }
    }
    write_sample(normalized, folder, "normalized.ffn", expected);

    // In float with dynamic sizes: a leading dropout, which a loader sizes from the next
    // layer, and a count of batches above 2^32.
    using normalized_dynamic_type = ffn::network<ffn::half_squared_error, ffn::dropout<dyn, float>,
                                                 ffn::dense<dyn, dyn, ffn::tanh, float>,
                                                 ffn::batch_norm<dyn, ffn::identity, float>>;
    normalized_dynamic_type normalized_dynamic(ffn::dropout<dyn, float>(3, 3, 0.1), {3, 2},
                                               {2, 2, ffn::identity{}, 0.3, 1e-4});
    fill(normalized_dynamic, 23);
    normalized_dynamic.layer<2>().running_var() =
        normalized_dynamic.layer<2>().running_var().cwiseAbs();
    normalized_dynamic.layer<2>().set_num_batches_tracked(std::int64_t{123456789012});
    write_sample(normalized_dynamic, folder, "normalized_dynamic_float.ffn", expected);
    return expected ? 0 : 1;
}
