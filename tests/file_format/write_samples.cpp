// SPDX-License-Identifier: MIT
// Writes sample files with ffn::save into the folder given as the first argument, and
// expected.txt listing what each holds (every value and setting printed exactly, with 17
// digits), for check_python_reader.py.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <ffn/activations/elu.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/detail/random.hpp>
#include <ffn/io/save.hpp>
#include <ffn/layers/bias.hpp>
#include <ffn/layers/dense.hpp>
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

/// Saves `net` as `name` in `folder` and describes it in `expected`.
template <class Net>
void write_sample(const Net& net, const std::filesystem::path& folder, const std::string& name,
                  std::ofstream& expected) {
    ffn::save(net, folder / name);
    expected << "file " << name << "\n";
    expected << "scalar " << (sizeof(typename Net::scalar_type) == 4 ? "float" : "double") << "\n";
    expected << "loss " << Net::loss_type::name << "\n";
    const auto print_settings = [&expected](std::string_view owner, const auto& policy) {
        using policy_type = std::remove_cvref_t<decltype(policy)>;
        const auto names = ffn::detail::setting_names<policy_type>();
        const auto values = ffn::detail::settings_of(policy);
        for (std::size_t i = 0; i < names.size(); ++i) {
            char text[40];
            std::snprintf(text, sizeof text, " %.17g", values[i]);
            expected << "setting " << owner << " " << names[i] << text << "\n";
        }
    };
    print_settings("loss", net.loss_function());
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (print_settings("layer" + std::to_string(I), net.template layer<I>().activation()), ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    std::size_t current_layer = Net::layer_count;
    net.visit_tensors(
        [&](std::size_t layer, std::string_view tensor_name, const auto& tensor, bool) {
            if (layer != current_layer) {
                current_layer = layer;
                expected << "layer " << layer << "\n";
            }
            expected << "tensor " << tensor_name << " " << tensor.rows() << " " << tensor.cols();
            for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
                for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
                    char text[40];
                    std::snprintf(text, sizeof text, " %.17g", static_cast<double>(tensor(r, c)));
                    expected << text;
                }
            }
            expected << "\n";
        });
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
    return expected ? 0 : 1;
}
