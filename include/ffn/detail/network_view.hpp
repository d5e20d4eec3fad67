// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// What the explanation and the Graphviz export share: the lecture's unit names, the test for
/// layers that hold a weight matrix, a loop over a network's layers with a run-time index, and
/// number formatting.

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include <Eigen/Core>

namespace ffn::detail {

/// A layer with a weight matrix (row `j` holds the weights into unit `j`), a bias vector ruled
/// by a bias policy, and an activation: what `ffn::dense` provides.
template <class L>
concept weighted_layer = requires(const L l) {
    typename L::activation_type;
    typename L::bias_type;
    l.weights();
    l.bias();
    l.activation();
};

/// The parts joined into one string. Appending, rather than `"literal" + string`, also keeps
/// g++ 12 at -O3 from a false -Wrestrict warning inside `std::string`'s `operator+`.
template <class... Parts>
std::string concat(const Parts&... parts) {
    std::string out;
    (out.append(std::string_view(parts)), ...);
    return out;
}

/// The lecture's name for unit `unit` (from 0) of layer `layer` (from 0) in a network of
/// `layer_count` layers: `o1, o2, ...` for the output layer, `h1, h2, ...` for a single hidden
/// layer, and `h1_1, h2_3, ...` (layer, then unit) when there are several hidden layers.
inline std::string unit_name(std::size_t layer, Eigen::Index unit, std::size_t layer_count) {
    const std::string number = std::to_string(unit + 1);
    if (layer + 1 == layer_count) {
        return concat("o", number);
    }
    if (layer_count == 2) {
        return concat("h", number);
    }
    return concat("h", std::to_string(layer + 1), "_", number);
}

/// The name of input `index` (from 0): `i1, i2, ...`.
inline std::string input_name(Eigen::Index index) { return concat("i", std::to_string(index + 1)); }

/// Calls `f(std::integral_constant<std::size_t, I>{})` for the layer index `index`, which must
/// be below `Count`.
template <std::size_t Count, class F, std::size_t... I>
void with_layer_index_impl(std::size_t index, F& f, std::index_sequence<I...> /*unused*/) {
    [[maybe_unused]] const bool found =
        ((index == I && (f(std::integral_constant<std::size_t, I>{}), true)) || ...);
}

template <std::size_t Count, class F>
void with_layer_index(std::size_t index, F&& f) {
    with_layer_index_impl<Count>(index, f, std::make_index_sequence<Count>{});
}

/// Calls `f(std::integral_constant<std::size_t, I>{})` for every layer index, in order.
template <std::size_t Count, class F>
void for_each_layer_index(F&& f) {
    [&f]<std::size_t... I>(std::index_sequence<I...> /*unused*/) {
        (f(std::integral_constant<std::size_t, I>{}), ...);
    }
    (std::make_index_sequence<Count>{});
}

/// `value` with `digits` digits after the point (`fixed`) or `digits` significant digits;
/// `truncate` cuts instead of rounding, as the lecture prints its numbers. A value within
/// 1e-6 of a unit in the last place of the next digit is taken as that digit, so that 0.41,
/// stored as 0.40999..., is not cut to 0.40.
inline std::string format_digits(double value, int digits, bool fixed, bool truncate) {
    char buffer[64];
    if (!std::isfinite(value)) {
        std::snprintf(buffer, sizeof buffer, "%g", value);
        return buffer;
    }
    if (fixed) {
        if (truncate) {
            const double scale = std::pow(10.0, digits);
            const double scaled = value * scale;
            value = std::trunc(scaled + std::copysign(1e-6, scaled)) / scale + 0.0;
        }
        std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
    } else {
        if (truncate && value != 0) {
            const int exponent = static_cast<int>(std::floor(std::log10(std::abs(value))));
            const double scale = std::pow(10.0, digits - 1 - exponent);
            const double scaled = value * scale;
            value = std::trunc(scaled + std::copysign(1e-6, scaled)) / scale + 0.0;
        }
        std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    }
    return buffer;
}

} // namespace ffn::detail
