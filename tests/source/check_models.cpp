// SPDX-License-Identifier: MIT
// Builds the networks from the headers that ffn::write_source wrote (see write_models.cpp),
// runs them on the inputs in expected.hpp and compares what they compute with what the
// networks in memory computed, bit for bit; checks their types and settings, and that making
// a network of fixed sizes allocates nothing. Prints a line per model; on any difference it
// prints what differs and returns 1.
//
// This file is compiled with -Werror and -Wdouble-promotion, so the generated headers must
// compile without a warning.

#include "../allocation/counting.hpp" // before Eigen: counts Eigen's allocations

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include <ffn/concepts/settings.hpp>

#include "expected.hpp"
#include "model_a.hpp"
#include "model_b.hpp"
#include "model_c.hpp"
#include "model_d.hpp"

// The global operator new, replaced to count the allocations that do not go through Eigen.
#include "../allocation/replace_new.hpp"

namespace {

constexpr Eigen::Index dyn = Eigen::Dynamic;

// The types write_models.cpp wrote, spelled again: the generated headers must name them so.
static_assert(
    std::is_same_v<decltype(model_a()),
                   ffn::network<ffn::huber, ffn::dense<3, 5, ffn::leaky_relu>,
                                ffn::dense<5, 5, ffn::elu>, ffn::dense<5, 2, ffn::identity>>>);
static_assert(std::is_same_v<decltype(model_b()),
                             ffn::network<ffn::huber, ffn::dense<3, 5, ffn::leaky_relu, float>,
                                          ffn::dense<5, 5, ffn::elu, float, ffn::shared_bias>,
                                          ffn::dense<5, 2, ffn::identity, float, ffn::no_bias>>>);
static_assert(std::is_same_v<
              decltype(model_c()),
              ffn::network<ffn::mean_squared_error, ffn::dense<dyn, dyn, ffn::tanh>,
                           ffn::dense<dyn, dyn, ffn::sigmoid>, ffn::dense<dyn, dyn, ffn::tanh>>>);
static_assert(
    std::is_same_v<decltype(model_d()),
                   ffn::network<ffn::half_squared_error,
                                ffn::dense<2, 2, ffn::sigmoid, double, ffn::shared_bias>,
                                ffn::dense<2, 2, ffn::sigmoid, double, ffn::shared_bias>>>);

template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

template <class Scalar>
bool same_bits(Scalar a, Scalar b) {
    using bits = std::conditional_t<sizeof(Scalar) == 4, std::uint32_t, std::uint64_t>;
    return std::bit_cast<bits>(a) == std::bit_cast<bits>(b);
}

/// Compares one value, printing it if it differs; returns the number of differences (0 or 1).
template <class Scalar>
int compare(const char* model, const std::string& what, Scalar got, Scalar expected) {
    if (same_bits(got, expected)) {
        return 0;
    }
    std::printf("%s: %s is %a (%.17g), expected %a (%.17g)\n", model, what.c_str(),
                static_cast<double>(got), static_cast<double>(got), static_cast<double>(expected),
                static_cast<double>(expected));
    return 1;
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

/// What expected.hpp holds for one model.
template <class Scalar, std::size_t SettingCount>
struct expectation {
    int inputs;
    int outputs;
    int samples;
    const Scalar* input;
    const Scalar* target;
    const Scalar* prediction;
    Scalar loss;
    const std::array<double, SettingCount>& settings;
};

/// Makes the network with `make` (counting its allocations), runs it on the expected inputs
/// and compares; returns the number of differences.
template <class Make, class Scalar, std::size_t SettingCount>
int check_model(const char* name, Make make, const expectation<Scalar, SettingCount>& expected) {
    using net_type = decltype(make());
    static_assert(std::is_same_v<typename net_type::scalar_type, Scalar>);
    constexpr bool fixed =
        net_type::input_size != Eigen::Dynamic && net_type::output_size != Eigen::Dynamic;

    std::optional<net_type> made;
    const long allocations = allocation::allocations_during([&] { made.emplace(make()); });
    const net_type& net = *made;
    int differences = 0;
    if (fixed && allocations != 0) {
        std::printf("%s: making the network of fixed sizes allocated %ld times\n", name,
                    allocations);
        ++differences;
    }
    if (!fixed && allocations == 0) {
        // The control: a dynamic network must allocate, or the counting is broken.
        std::printf("%s: making the dynamic network counted no allocation\n", name);
        ++differences;
    }

    const Eigen::Map<const matrix<Scalar>> input(expected.input, expected.inputs, expected.samples);
    const Eigen::Map<const matrix<Scalar>> target(expected.target, expected.outputs,
                                                  expected.samples);
    // The same calls as write_models.cpp makes, on the same kind of matrices.
    const matrix<Scalar> input_matrix = input;
    const matrix<Scalar> target_matrix = target;
    const matrix<Scalar> prediction = net.predict(input_matrix);
    ffn::workspace<net_type, Eigen::Dynamic> ws;
    net.forward(input_matrix, ws);
    const Scalar loss = net.loss(ws, target_matrix);

    if (prediction.rows() != expected.outputs || prediction.cols() != expected.samples) {
        std::printf("%s: the prediction is %ld x %ld, expected %d x %d\n", name,
                    static_cast<long>(prediction.rows()), static_cast<long>(prediction.cols()),
                    expected.outputs, expected.samples);
        return differences + 1;
    }
    for (Eigen::Index c = 0; c < prediction.cols(); ++c) {
        for (Eigen::Index r = 0; r < prediction.rows(); ++r) {
            differences +=
                compare(name, "output " + std::to_string(r) + " of sample " + std::to_string(c),
                        prediction(r, c), expected.prediction[c * prediction.rows() + r]);
        }
    }
    differences += compare(name, std::string("the loss"), loss, expected.loss);

    const std::vector<double> settings = all_settings(net);
    if (settings.size() != SettingCount) {
        std::printf("%s: the network has %zu settings, expected %zu\n", name, settings.size(),
                    SettingCount);
        return differences + 1;
    }
    for (std::size_t i = 0; i < SettingCount; ++i) {
        differences +=
            compare(name, "setting " + std::to_string(i), settings[i], expected.settings[i]);
    }

    if (differences == 0) {
        std::printf("%s: %zu predictions, the loss and %zu settings match bit for bit; making it "
                    "allocated %ld times\n",
                    name, static_cast<std::size_t>(prediction.size()), SettingCount, allocations);
    }
    return differences;
}

/// The settings write_models.cpp gave models a and b, read through the policies' accessors.
template <class Net>
int check_named_settings(const char* name, const Net& net) {
    int differences = 0;
    differences += compare(name, "huber's delta", net.loss_function().delta(), 0.25);
    differences +=
        compare(name, "leaky_relu's slope", net.template layer<0>().activation().slope(), 0.3);
    differences += compare(name, "elu's alpha", net.template layer<1>().activation().alpha(), 0.7);
    return differences;
}

} // namespace

int main() {
    int differences = 0;
    namespace e = expected;
    differences += check_model("model_a", model_a,
                               expectation<double, e::model_a::settings.size()>{
                                   e::model_a::inputs, e::model_a::outputs, e::model_a::samples,
                                   e::model_a::input, e::model_a::target, e::model_a::prediction,
                                   e::model_a::loss, e::model_a::settings});
    differences += check_model("model_b", model_b,
                               expectation<float, e::model_b::settings.size()>{
                                   e::model_b::inputs, e::model_b::outputs, e::model_b::samples,
                                   e::model_b::input, e::model_b::target, e::model_b::prediction,
                                   e::model_b::loss, e::model_b::settings});
    differences += check_model("model_c", model_c,
                               expectation<double, e::model_c::settings.size()>{
                                   e::model_c::inputs, e::model_c::outputs, e::model_c::samples,
                                   e::model_c::input, e::model_c::target, e::model_c::prediction,
                                   e::model_c::loss, e::model_c::settings});
    differences += check_model("model_d", model_d,
                               expectation<double, e::model_d::settings.size()>{
                                   e::model_d::inputs, e::model_d::outputs, e::model_d::samples,
                                   e::model_d::input, e::model_d::target, e::model_d::prediction,
                                   e::model_d::loss, e::model_d::settings});
    differences += check_named_settings("model_a", model_a());
    differences += check_named_settings("model_b", model_b());
    if (differences != 0) {
        std::printf("%d differences\n", differences);
        return 1;
    }
    std::printf("the generated headers build the networks that wrote them\n");
    return 0;
}
