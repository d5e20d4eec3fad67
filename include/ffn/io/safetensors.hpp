// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::load_safetensors` and `ffn::save_safetensors`: a network's parameters in the
/// safetensors format that PyTorch reads and writes (`model.state_dict()`), with the names
/// `torch.nn.Sequential` gives them. docs/interop.md shows both directions.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ios>
#include <istream>
#include <limits>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ffn/concepts/settings.hpp"
#include "ffn/detail/format.hpp"
#include "ffn/detail/safetensors_file.hpp"
#include "ffn/errors.hpp"
#include "ffn/io/file.hpp"
#include "ffn/io/format.hpp"
#include "ffn/io/source.hpp"

namespace ffn {

namespace detail {

/// The name PyTorch gives an ffn tensor: `nn.Linear` calls its weights `weight`.
[[nodiscard]] inline std::string torch_tensor_name(std::string_view name) {
    return name == "weights" ? std::string("weight") : std::string(name);
}

/// Whether an ffn tensor is a one-dimensional tensor in PyTorch (a bias: `[out]`), rather than
/// a matrix (`nn.Linear`'s weight: `[out, in]`).
template <class Tensor>
[[nodiscard]] constexpr bool torch_vector(std::string_view name) noexcept {
    return name != "weights" && Tensor::ColsAtCompileTime == 1;
}

/// Whether a tensor's type fixes its size at zero (the bias of a layer without biases): such a
/// tensor is neither written nor expected, as `nn.Linear(bias=False)` has no `bias`.
template <class Tensor>
[[nodiscard]] constexpr bool always_empty() noexcept {
    return Tensor::SizeAtCompileTime == 0;
}

/// Whether layer type `L` has tensors (a dropout layer has none, so no names in a file).
template <class L>
inline constexpr bool holds_tensors = !std::is_empty_v<typename L::gradient_type>;

/// Whether layer type `L` is followed by an activation module in PyTorch: it has an
/// activation other than `identity`.
template <class L>
[[nodiscard]] constexpr bool torch_activation_module() noexcept {
    if constexpr (requires { L::activation_type::name; }) {
        return L::activation_type::name != std::string_view("identity");
    } else {
        return false;
    }
}

/// "[3, 4]". (Strings here are appended piece by piece: g++ 12 at -O3 warns wrongly about a
/// literal added to a temporary string.)
[[nodiscard]] inline std::string shape_text(std::span<const std::uint64_t> shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) {
            text += ", ";
        }
        text += std::to_string(shape[i]);
    }
    text += "]";
    return text;
}

/// The shape a network's tensor type expects, with `*` for a size it leaves open: "[3, *]".
template <class Tensor>
[[nodiscard]] std::string expected_shape_text(std::string_view name) {
    const auto size = [](Eigen::Index fixed) {
        return fixed == Eigen::Dynamic ? std::string("*") : std::to_string(fixed);
    };
    std::string text = "[";
    text += size(Tensor::RowsAtCompileTime);
    if (!torch_vector<Tensor>(name)) {
        text += ", ";
        text += size(Tensor::ColsAtCompileTime);
    }
    text += "]";
    return text;
}

/// The keys of ffn's own metadata, which `save_safetensors` writes into `__metadata__`.
inline constexpr std::string_view metadata_prefix = "ffn.";

/// The metadata `save_safetensors` writes: what ffn's own format records (scalar type, loss and
/// its settings, each layer's kind, activation and its settings, bias policy), and the names
/// the layers' tensors were given.
template <class Net>
[[nodiscard]] std::vector<std::pair<std::string, std::string>> ffn_metadata(
    const Net& net, const std::vector<std::string>& names) {
    using scalar_type = typename Net::scalar_type;
    std::vector<std::pair<std::string, std::string>> metadata;
    metadata.emplace_back("format", "pt");
    metadata.emplace_back("ffn.scalar", scalar_code_name(scalar_code<scalar_type>));
    const auto add_settings = [&metadata](const std::string& key, const auto& policy) {
        using policy_type = std::remove_cvref_t<decltype(policy)>;
        static_cast<void>(check_savable_policy<policy_type>{});
        constexpr auto setting_keys = setting_names<policy_type>();
        const auto values = settings_of(policy);
        for (std::size_t i = 0; i < setting_keys.size(); ++i) {
            if (!std::isfinite(values[i])) {
                detail::raise(std::invalid_argument(
                    "ffn::save_safetensors: " + key + " setting '" + std::string(setting_keys[i]) +
                    "' is " + format_number(values[i]) + ", not a finite number"));
            }
            metadata.emplace_back(key + "." + std::string(setting_keys[i]),
                                  format_number(values[i]));
        }
    };
    metadata.emplace_back("ffn.loss", std::string(Net::loss_type::name));
    add_settings("ffn.loss", net.loss_function());
    metadata.emplace_back("ffn.layers", std::to_string(Net::layer_count));
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                using layer_type = typename Net::template layer_type<I>;
                const std::string key = "ffn.layer." + std::to_string(I);
                metadata.emplace_back(key + ".name", names[I]);
                metadata.emplace_back(key + ".kind", std::string(layer_type::name));
                metadata.emplace_back(key + ".activation",
                                      std::string(activation_name<layer_type>()));
                if constexpr (requires { net.template layer<I>().activation(); }) {
                    add_settings(key + ".activation", net.template layer<I>().activation());
                }
                metadata.emplace_back(key + ".bias_policy",
                                      std::string(bias_policy_name<layer_type>()));
                constexpr auto layer_keys = layer_setting_names<layer_type>();
                const auto layer_values = layer_settings_of(net.template layer<I>());
                for (std::size_t i = 0; i < layer_keys.size(); ++i) {
                    if (!std::isfinite(layer_values[i])) {
                        detail::raise(std::invalid_argument(
                            "ffn::save_safetensors: " + key + " setting '" +
                            std::string(layer_keys[i]) + "' is " + format_number(layer_values[i]) +
                            ", not a finite number"));
                    }
                    metadata.emplace_back(key + "." + std::string(layer_keys[i]),
                                          format_number(layer_values[i]));
                }
            }(),
            ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    return metadata;
}

/// The layer names a save uses: `names` if given (one per layer, distinct, without dots at
/// either end), otherwise the index each layer has in the `nn.Sequential` that holds the same
/// modules: each layer is one module, followed by one for its activation unless that is the
/// identity (`Linear, ReLU, Linear` gives `0` and `2`; `Linear, BatchNorm1d, ReLU, Dropout,
/// Linear`, which ffn spells dense, batch_norm<relu>, dropout, dense, gives `0`, `1`, `3` and
/// `4`).
template <class Net>
[[nodiscard]] std::vector<std::string> save_names(const std::vector<std::string>& names) {
    if (names.empty()) {
        std::vector<std::string> numbered;
        std::size_t module = 0;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((numbered.push_back(std::to_string(module)),
              module += torch_activation_module<typename Net::template layer_type<I>>() ? 2 : 1),
             ...);
        }
        (std::make_index_sequence<Net::layer_count>{});
        return numbered;
    }
    if (names.size() != Net::layer_count) {
        detail::raise(std::invalid_argument(
            "ffn::save_safetensors: " + std::to_string(names.size()) +
            " layer names for a network of " + std::to_string(Net::layer_count) + " layers"));
    }
    for (std::size_t k = 0; k < names.size(); ++k) {
        if (names[k].empty() || names[k].front() == '.' || names[k].back() == '.') {
            detail::raise(std::invalid_argument("ffn::save_safetensors: layer name " +
                                                std::to_string(k) + " " + quoted_name(names[k]) +
                                                " is empty or starts or ends with a dot"));
        }
        for (std::size_t j = 0; j < k; ++j) {
            if (names[j] == names[k]) {
                detail::raise(std::invalid_argument(
                    "ffn::save_safetensors: layers " + std::to_string(j) + " and " +
                    std::to_string(k) + " have the same name " + quoted_name(names[k])));
            }
        }
    }
    return names;
}

/// The bytes of a safetensors file holding `net`.
template <class Net>
[[nodiscard]] std::vector<unsigned char> safetensors_bytes(const Net& net,
                                                           const std::vector<std::string>& names) {
    using scalar_type = typename Net::scalar_type;
    static_assert(storable_scalar<scalar_type>,
                  "ffn::save_safetensors: only float and double networks can be saved (F32 or "
                  "F64 tensors).");
    net.check_shapes("ffn::save_safetensors");
    const std::vector<std::string> layer_names = save_names<Net>(names);
    std::vector<safetensors_output> tensors;
    net.visit_tensors([&](std::size_t layer, std::string_view name, const auto& tensor, bool) {
        using tensor_type = std::remove_cvref_t<decltype(tensor)>;
        if constexpr (!always_empty<tensor_type>()) {
            safetensors_output out;
            out.name = layer_names[layer] + "." + torch_tensor_name(name);
            out.dtype = sizeof(scalar_type) == 4 ? safetensors_dtype::f32 : safetensors_dtype::f64;
            out.shape.push_back(static_cast<std::uint64_t>(tensor.rows()));
            if (!torch_vector<tensor_type>(name)) {
                out.shape.push_back(static_cast<std::uint64_t>(tensor.cols()));
            }
            out.bytes.reserve(static_cast<std::size_t>(tensor.size()) * sizeof(scalar_type));
            // Row-major, as PyTorch stores a contiguous tensor.
            for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
                for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
                    const scalar_type value = tensor(r, c);
                    if (!std::isfinite(value)) {
                        detail::raise(std::invalid_argument(
                            "ffn::save_safetensors: layer " + std::to_string(layer) + " " +
                            std::string(name) + "(" + std::to_string(r) + ", " + std::to_string(c) +
                            ") is " + format_number(static_cast<double>(value)) +
                            "; a network with parameters that are not finite is not saved"));
                    }
                    if constexpr (sizeof(scalar_type) == 4) {
                        append_f32(out.bytes, value);
                    } else {
                        append_f64(out.bytes, value);
                    }
                }
            }
            tensors.push_back(std::move(out));
        }
    });
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (visit_counters(net.template layer<I>(),
                        [&](std::string_view name, std::int64_t value) {
                            safetensors_output out;
                            out.name = layer_names[I] + "." + std::string(name);
                            out.dtype = safetensors_dtype::i64; // a 0-dimensional tensor
                            for (unsigned byte = 0; byte < 8; ++byte) {
                                out.bytes.push_back(static_cast<unsigned char>(
                                    static_cast<std::uint64_t>(value) >> (8U * byte)));
                            }
                            tensors.push_back(std::move(out));
                        }),
         ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    const auto metadata = ffn_metadata(net, layer_names);
    return write_safetensors(tensors, metadata);
}

/// The metadata of a file, looked up by key; remembers which ffn keys were used, so that an
/// ffn key no check asked for is reported.
class metadata_reader {
public:
    metadata_reader(const std::vector<std::pair<std::string, std::string>>& metadata,
                    std::string where)
        : metadata_(metadata), used_(metadata.size(), false), where_(std::move(where)) {}

    /// Whether the file holds ffn's metadata (any key starting with `ffn.`).
    [[nodiscard]] bool from_ffn() const {
        return std::any_of(metadata_.begin(), metadata_.end(), [](const auto& entry) {
            return entry.first.starts_with(metadata_prefix);
        });
    }

    /// The value of `key`.
    /// @throws ffn::format_error if the file has no such key.
    [[nodiscard]] const std::string& get(const std::string& key) {
        for (std::size_t i = 0; i < metadata_.size(); ++i) {
            if (metadata_[i].first == key) {
                used_[i] = true;
                return metadata_[i].second;
            }
        }
        fail("ffn's metadata has no " + quoted_name(key));
    }

    /// Throws unless `key` holds `expected`; `what` names it in the message.
    void expect(const std::string& key, std::string_view expected, const std::string& what) {
        const std::string& found = get(key);
        if (found != expected) {
            fail(what + " " + quoted_name(found) + " in the file, the network's is " +
                 quoted_name(expected));
        }
    }

    /// The number `key` holds, exactly as written (shortest round-trip form).
    [[nodiscard]] double number(const std::string& key) {
        const std::string& text = get(key);
        double value = 0;
        const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
        if (result.ec != std::errc{} || result.ptr != text.data() + text.size() ||
            !std::isfinite(value)) {
            fail("metadata " + quoted_name(key) + " is " + quoted_name(text) +
                 ", not a finite number");
        }
        return value;
    }

    /// Throws if an ffn key was never asked for (a setting or a layer this network lacks).
    void check_all_used() const {
        for (std::size_t i = 0; i < metadata_.size(); ++i) {
            if (!used_[i] && metadata_[i].first.starts_with(metadata_prefix)) {
                fail("unexpected metadata " + quoted_name(metadata_[i].first) +
                     " (the network has no such setting or layer)");
            }
        }
    }

    [[noreturn]] void fail(const std::string& message) const {
        detail::raise(format_error(where_ + ": " + message));
    }

    [[nodiscard]] const std::string& where() const noexcept { return where_; }

private:
    const std::vector<std::pair<std::string, std::string>>& metadata_;
    std::vector<bool> used_;
    std::string where_;
};

/// Reads the settings of policy `P` from the metadata under `key` and makes the policy.
template <class P>
[[nodiscard]] P metadata_policy(metadata_reader& metadata, const std::string& key) {
    static_cast<void>(check_savable_policy<P>{});
    constexpr auto names = setting_names<P>();
    std::array<double, names.size()> values{};
    for (std::size_t i = 0; i < names.size(); ++i) {
        values[i] = metadata.number(key + "." + std::string(names[i]));
    }
    return on_invalid_argument([&] { return policy_from_settings<P>(values); },
                               [&](const char* what) {
                                   metadata.fail(key +
                                                 ": the file's settings are refused: " + what);
                               });
}

/// The trailing number of a layer name (`encoder.12` gives 12), if it has one.
[[nodiscard]] inline std::optional<std::uint64_t> trailing_number(std::string_view name) {
    std::size_t first = name.size();
    while (first > 0 && name[first - 1] >= '0' && name[first - 1] <= '9') {
        --first;
    }
    if (first == name.size() || name.size() - first > 18) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    std::from_chars(name.data() + first, name.data() + name.size(), value);
    return value;
}

/// The layer names of a file's tensors by the default rule: each tensor's name up to its
/// last dot, in the order of the numbers these names end in.
template <class Net>
[[nodiscard]] std::vector<std::string> default_layer_names(const safetensors_header& header,
                                                           const std::string& where) {
    std::vector<std::string> groups;
    for (const safetensors_tensor& tensor : header.tensors) {
        const std::size_t dot = tensor.name.rfind('.');
        if (dot == std::string::npos || dot == 0) {
            detail::raise(
                format_error(where + ": tensor " + quoted_name(tensor.name) +
                             " has no layer name before a dot (as in '0.weight'); pass the "
                             "layer names to ffn::load_safetensors"));
        }
        std::string group = tensor.name.substr(0, dot);
        if (std::find(groups.begin(), groups.end(), group) == groups.end()) {
            groups.push_back(std::move(group));
        }
    }
    std::vector<std::pair<std::uint64_t, std::string>> numbered;
    for (std::string& group : groups) {
        const std::optional<std::uint64_t> number = trailing_number(group);
        if (!number) {
            detail::raise(
                format_error(where + ": the layer name " + quoted_name(group) +
                             " does not end in a number, so the order of the layers is not "
                             "known; pass the layer names to ffn::load_safetensors"));
        }
        numbered.emplace_back(*number, std::move(group));
    }
    std::sort(numbered.begin(), numbered.end());
    for (std::size_t i = 1; i < numbered.size(); ++i) {
        if (numbered[i].first == numbered[i - 1].first) {
            detail::raise(format_error(where + ": the layer names " +
                                       quoted_name(numbered[i - 1].second) + " and " +
                                       quoted_name(numbered[i].second) +
                                       " end in the same number, so the order of the layers is not "
                                       "known; pass the layer names to ffn::load_safetensors"));
        }
    }
    constexpr std::size_t tensor_layers = []<std::size_t... I>(std::index_sequence<I...>) {
        return (std::size_t{0} + ... +
                (holds_tensors<typename Net::template layer_type<I>> ? 1U : 0U));
    }
    (std::make_index_sequence<Net::layer_count>{});
    if (numbered.size() != tensor_layers) {
        std::string list;
        for (const auto& [number, group] : numbered) {
            list += (list.empty() ? "" : ", ") + quoted_name(group);
        }
        detail::raise(format_error(where + ": the file holds the tensors of " +
                                   std::to_string(numbered.size()) + " layers (" + list +
                                   "), the network has " + std::to_string(tensor_layers) +
                                   " layers with tensors"));
    }
    // Group k goes to the k-th layer with tensors; a layer without any gets no name.
    std::vector<std::string> names;
    std::size_t next = 0;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((names.push_back(holds_tensors<typename Net::template layer_type<I>>
                              ? std::move(numbered[next++].second)
                              : std::string())),
         ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    return names;
}

/// Checks a file's tensors against `net` and copies their values into it (resizing what the
/// network's type leaves dynamic); `data` is the file's data section, already checked against
/// the header's layout.
template <class Net>
void read_tensors(Net& net, const safetensors_header& header, std::span<const unsigned char> data,
                  const std::vector<std::string>& names, const std::string& where) {
    std::vector<bool> taken(header.tensors.size(), false);
    const auto fail = [&where](const std::string& message) {
        detail::raise(format_error(where + ": " + message));
    };
    net.visit_tensors([&](std::size_t layer, std::string_view name, auto& tensor, bool) {
        using tensor_type = std::remove_cvref_t<decltype(tensor)>;
        using scalar_type = typename tensor_type::Scalar;
        if constexpr (!always_empty<tensor_type>()) {
            const std::string key = names[layer] + "." + torch_tensor_name(name);
            const std::string label = "layer " + std::to_string(layer) + " (" +
                                      quoted_name(names[layer]) + "): tensor " + quoted_name(key);
            const safetensors_tensor* found = header.find(key);
            if (found == nullptr) {
                fail(label + " is missing from the file");
            }
            taken[static_cast<std::size_t>(found - header.tensors.data())] = true;
            const safetensors_dtype dtype = found->dtype;
            if (dtype != safetensors_dtype::f64 && dtype != safetensors_dtype::f32 &&
                dtype != safetensors_dtype::f16 && dtype != safetensors_dtype::bf16) {
                fail(label + " has dtype " + std::string(dtype_name(dtype)) +
                     "; a network's parameters are read from F64, F32, F16 or BF16");
            }
            // The shape: [rows] for a vector, [rows, columns] for a matrix, with the sizes the
            // network's type fixes.
            const bool vector = torch_vector<tensor_type>(name);
            const std::vector<std::uint64_t>& shape = found->shape;
            const std::uint64_t rows = shape.empty() ? 0 : shape[0];
            const std::uint64_t cols = vector ? 1 : (shape.size() > 1 ? shape[1] : 0);
            constexpr auto fixed_rows = tensor_type::RowsAtCompileTime;
            constexpr auto fixed_cols = tensor_type::ColsAtCompileTime;
            constexpr auto max_index =
                static_cast<std::uint64_t>(std::numeric_limits<Eigen::Index>::max());
            if (shape.size() != (vector ? 1U : 2U) || rows == 0 || cols == 0 || rows > max_index ||
                cols > max_index ||
                (fixed_rows != Eigen::Dynamic && rows != static_cast<std::uint64_t>(fixed_rows)) ||
                (fixed_cols != Eigen::Dynamic && cols != static_cast<std::uint64_t>(fixed_cols))) {
                fail(label + " has shape " + shape_text(shape) + ", the network expects " +
                     expected_shape_text<tensor_type>(name));
            }
            if constexpr (fixed_rows == Eigen::Dynamic || fixed_cols == Eigen::Dynamic) {
                tensor.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
            }
            const std::uint64_t width = dtype_size(dtype);
            const unsigned char* values = data.data() + found->begin;
            for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
                for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
                    const std::uint64_t index =
                        static_cast<std::uint64_t>(r) * cols + static_cast<std::uint64_t>(c);
                    const double value = safetensors_value(dtype, values + index * width);
                    const auto converted = static_cast<scalar_type>(value);
                    if (!std::isfinite(converted)) {
                        std::string message = label;
                        message += " element [";
                        message += std::to_string(r);
                        if (!vector) {
                            message += ", ";
                            message += std::to_string(c);
                        }
                        message += "] is ";
                        message += format_number(value);
                        message += std::isfinite(value)
                                       ? ", too large for the network's scalar type"
                                       : ", not a finite number";
                        fail(message);
                    }
                    tensor(r, c) = converted;
                }
            }
        }
    });
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (visit_counters(net.template layer<I>(),
                        [&](std::string_view name, std::int64_t& value) {
                            const std::string key = names[I] + "." + std::string(name);
                            const std::string label = "layer " + std::to_string(I) + " (" +
                                                      quoted_name(names[I]) + "): tensor " +
                                                      quoted_name(key);
                            const safetensors_tensor* found = header.find(key);
                            if (found == nullptr) {
                                fail(label + " is missing from the file");
                            }
                            taken[static_cast<std::size_t>(found - header.tensors.data())] = true;
                            if (found->dtype != safetensors_dtype::i64 || !found->shape.empty()) {
                                fail(label + " has dtype " + std::string(dtype_name(found->dtype)) +
                                     " and shape " + shape_text(found->shape) +
                                     ", the network expects a count: dtype I64, shape []");
                            }
                            const std::int64_t count = safetensors_i64(data.data() + found->begin);
                            if (count < 0) {
                                fail(label + " is " + std::to_string(count) +
                                     "; it counts, so it cannot be negative");
                            }
                            value = count;
                        }),
         ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    for (std::size_t i = 0; i < header.tensors.size(); ++i) {
        if (!taken[i]) {
            fail("unexpected tensor " + quoted_name(header.tensors[i].name) +
                 " (no layer of the network takes it)");
        }
    }
}

/// Checks ffn's metadata against `net`'s type and restores the settings it records into
/// `net`; returns the layer names it records.
template <class Net>
[[nodiscard]] std::vector<std::string> read_ffn_metadata(Net& net, metadata_reader& metadata) {
    using scalar_type = typename Net::scalar_type;
    using loss_type = typename Net::loss_type;
    const std::string& scalar = metadata.get("ffn.scalar");
    if (scalar != scalar_code_name(scalar_code<scalar_type>)) {
        metadata.fail("written as " + scalar + " by ffn, read as " +
                      scalar_code_name(scalar_code<scalar_type>));
    }
    metadata.expect("ffn.loss", loss_type::name, "the loss is");
    net.set_loss_function(metadata_policy<loss_type>(metadata, "ffn.loss"));
    metadata.expect("ffn.layers", std::to_string(Net::layer_count), "the number of layers is");
    std::vector<std::string> names;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                using layer_type = typename Net::template layer_type<I>;
                const std::string key = "ffn.layer." + std::to_string(I);
                const std::string label = "layer " + std::to_string(I) + "'s ";
                names.push_back(metadata.get(key + ".name"));
                metadata.expect(key + ".kind", layer_type::name, label + "kind is");
                metadata.expect(key + ".activation", activation_name<layer_type>(),
                                label + "activation is");
                if constexpr (requires { typename layer_type::activation_type; }) {
                    using activation_type = typename layer_type::activation_type;
                    const auto activation =
                        metadata_policy<activation_type>(metadata, key + ".activation");
                    if constexpr (setting_count<activation_type>() > 0) {
                        net.template layer<I>().set_activation(activation);
                    }
                }
                metadata.expect(key + ".bias_policy", bias_policy_name<layer_type>(),
                                label + "bias policy is");
                if constexpr (layer_with_settings<layer_type>) {
                    constexpr auto layer_keys = layer_setting_names<layer_type>();
                    std::array<double, layer_keys.size()> values{};
                    for (std::size_t i = 0; i < layer_keys.size(); ++i) {
                        values[i] = metadata.number(key + "." + std::string(layer_keys[i]));
                    }
                    on_invalid_argument([&] { net.template layer<I>().set_settings(values); },
                                        [&](const char* what) {
                                            metadata.fail(
                                                key + ": the file's settings are refused: " + what);
                                        });
                }
            }(),
            ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    metadata.check_all_used();
    return names;
}

/// Loads a file whose header has been read and checked against its data's size into a copy of
/// `net`, reading the data through `read_data` only once the header fits the network; commits
/// the copy when everything has been checked.
template <class Net, class ReadData>
void load_safetensors_into(Net& net, const safetensors_header& header,
                           const std::vector<std::string>& layer_names, const std::string& where,
                           const ReadData& read_data) {
    static_assert(std::is_nothrow_move_assignable_v<Net>,
                  "ffn::load_safetensors: the network type must be nothrow move assignable, so "
                  "that a loaded network is committed without a chance of failing half way.");
    Net candidate = net;
    metadata_reader metadata(header.metadata, where);
    std::vector<std::string> names;
    if (metadata.from_ffn()) {
        names = read_ffn_metadata(candidate, metadata);
    }
    if (!layer_names.empty()) {
        if (layer_names.size() != Net::layer_count) {
            detail::raise(std::invalid_argument(
                "ffn::load_safetensors: " + std::to_string(layer_names.size()) +
                " layer names for a network of " + std::to_string(Net::layer_count) + " layers"));
        }
        names = layer_names;
    } else if (names.empty()) {
        names = default_layer_names<Net>(header, where);
    }
    const std::span<const unsigned char> data = read_data();
    read_tensors(candidate, header, data, names, where);
    // Sizes the layers' types fix, and the chaining of the sizes the file gave.
    on_invalid_argument(
        [&] {
            size_layers_from_neighbours(candidate);
            candidate.check_shapes(where);
        },
        [](const char* what) { detail::raise(format_error(what)); });
    net = std::move(candidate);
}

/// Reads a safetensors file from `source`: its header, checked before anything is allocated for
/// the data, then the data. `size` is the file's size if known (a regular file); a stream is
/// read up to the end of its last tensor, and then, if `whole` (a pipe or a device that holds
/// one file), must end there.
template <class Net>
void load_safetensors_from(Net& net, byte_source& source, std::optional<std::uint64_t> size,
                           bool whole, const std::vector<std::string>& layer_names,
                           const std::string& where) {
    std::vector<unsigned char> buffer;
    source.fill(buffer, 8);
    const std::uint64_t length =
        header_length(buffer, size.value_or(std::numeric_limits<std::uint64_t>::max()), where);
    if (!source.fill(buffer, static_cast<std::size_t>(8 + length))) {
        detail::raise(format_error(where + ": truncated at byte " + std::to_string(buffer.size()) +
                                   " while reading the header (the header claims " +
                                   std::to_string(length) + " bytes)"));
    }
    const std::string_view json(reinterpret_cast<const char*>(buffer.data() + 8),
                                static_cast<std::size_t>(length));
    const safetensors_header header = parse_safetensors_header(json, where);
    const std::uint64_t data_size = size ? *size - 8 - length : header.data_size();
    check_layout(header, data_size, where);
    if (data_size > std::numeric_limits<std::size_t>::max() - buffer.size()) {
        detail::raise(format_error(where + ": the data takes " + std::to_string(data_size) +
                                   " bytes, more than this machine can address"));
    }
    load_safetensors_into(net, header, layer_names, where, [&] {
        const std::size_t offset = buffer.size();
        if (!source.fill(buffer, offset + static_cast<std::size_t>(data_size))) {
            detail::raise(format_error(where + ": truncated at byte " +
                                       std::to_string(buffer.size()) +
                                       " while reading the data (the tensors end at byte " +
                                       std::to_string(offset + data_size) + ")"));
        }
        unsigned char extra = 0;
        if (whole && !size && source.read(&extra, 1) != 0) {
            detail::raise(format_error(where + ": unexpected data after byte " +
                                       std::to_string(buffer.size()) +
                                       ", the end of the last tensor"));
        }
        return std::span<const unsigned char>(buffer).subspan(offset);
    });
}

} // namespace detail

/// Replaces `net`'s parameters by those of a safetensors file held in `bytes`, such as PyTorch's
/// `safetensors.torch.save_file(model.state_dict(), path)` writes.
///
/// Each tensor is named `<layer>.<tensor>`: `nn.Linear`'s `weight` (`[out, in]`, ffn's own
/// layout) and `bias` (`[out]`). By default the tensors are grouped by the name before the last
/// dot (`0`, `2`, `encoder.0`) and the groups are ordered by the number each ends in, as
/// `nn.Sequential` numbers its modules: group k goes to the k-th layer that has tensors (a
/// dropout layer has none). Batch normalisation's `weight`, `bias`, `running_mean` and
/// `running_var` are `[n]`, and its `num_batches_tracked` an I64 scalar (shape `[]`).
/// `layer_names` gives the groups' names instead, one per layer (`{"fc1", "fc2", "head"}`). A
/// file that ffn wrote records its layer names, which are then used.
///
/// Checks, as PyTorch's `load_state_dict(strict=True)` does and more: every tensor the network
/// needs is there, no tensor is left over, every shape fits (sizes the network's type leaves
/// dynamic take the file's), every dtype is F64, F32, F16 or BF16 (converted to the network's
/// scalar type), every value is finite, and the file itself is well formed (header, offsets
/// that tile the data without overlap or hole). A file that ffn wrote also carries ffn's
/// metadata (scalar type, loss, layer kinds, activations, bias policies and every setting):
/// then all of it is checked, as strictly as `ffn::load` checks, and the settings are restored.
/// A file without it (from PyTorch) is loaded by names and shapes alone: activations and
/// settings cannot be checked then.
///
/// Strong guarantee: on any error `net` is exactly as it was.
/// @throws ffn::format_error saying what is wrong and where.
/// @throws std::invalid_argument if `layer_names` is not empty and does not name every layer.
template <storable_network Net>
void load_safetensors(Net& net, std::span<const unsigned char> bytes,
                      const std::vector<std::string>& layer_names = {}) {
    const std::string where = "ffn::load_safetensors";
    const std::uint64_t length = detail::header_length(bytes, bytes.size(), where);
    const std::string_view json(reinterpret_cast<const char*>(bytes.data() + 8),
                                static_cast<std::size_t>(length));
    const detail::safetensors_header header = detail::parse_safetensors_header(json, where);
    const std::span<const unsigned char> data = bytes.subspan(static_cast<std::size_t>(8 + length));
    detail::check_layout(header, data.size(), where);
    detail::load_safetensors_into(net, header, layer_names, where, [&] { return data; });
}

/// Replaces `net`'s parameters by those of the safetensors file read from `in` (see the form
/// that takes bytes). The header is read and checked first, then the data up to the end of
/// the last tensor, so `in` is left just after it.
/// @throws ffn::format_error if the file is not right.
/// @throws std::ios_base::failure if the stream is unusable before reading or fails.
template <storable_network Net>
void load_safetensors(Net& net, std::istream& in,
                      const std::vector<std::string>& layer_names = {}) {
    detail::stream_source source(in, "ffn::load_safetensors");
    detail::load_safetensors_from(net, source, std::nullopt, false, layer_names,
                                  "ffn::load_safetensors");
}

/// Replaces `net`'s parameters by those of the safetensors file `path` (see the form that
/// takes bytes). Nothing beyond the 8-byte header length is read before that length has been
/// checked against the file's size, and no data before the header has been checked against the
/// network, so a huge or endless file costs no memory it has not backed with valid bytes.
/// @throws ffn::format_error if the file is not right; messages start with the path.
/// @throws std::system_error naming the file and the reason if it cannot be opened or read.
template <storable_network Net>
void load_safetensors(Net& net, const std::filesystem::path& path,
                      const std::vector<std::string>& layer_names = {}) {
    detail::file_source file(path, "ffn::load_safetensors");
    const std::string where = "ffn::load_safetensors: '" + path.string() + "'";
    std::optional<std::uint64_t> size;
    if (file.regular()) {
        size = file.regular_size();
    }
    detail::load_safetensors_from(net, file, size, true, layer_names, where);
}

/// Writes `net` to `out` as a safetensors file that PyTorch's `load_state_dict` takes: each
/// layer named by its index in the `nn.Sequential` of the same modules (a layer is one module,
/// and its activation another unless it is the identity: `Linear, ReLU, Linear` gives `0` and
/// `2`), or as `layer_names[k]`; tensors of the network's scalar type (F32 or F64), counters
/// as I64 scalars; a layer without biases has no `bias`. `__metadata__` records what ffn needs to check and
/// restore the network (see `load_safetensors`).
/// @throws std::invalid_argument if a parameter or setting is not finite, the network is empty,
///         or `layer_names` is not one distinct name per layer.
/// @throws std::ios_base::failure if the stream fails.
template <storable_network Net>
void save_safetensors(const Net& net, std::ostream& out,
                      const std::vector<std::string>& layer_names = {}) {
    const std::vector<unsigned char> bytes = detail::safetensors_bytes(net, layer_names);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
        detail::raise(
            std::ios_base::failure("ffn::save_safetensors: writing to the stream failed"));
    }
}

/// Writes `net` to the file `path` as a safetensors file (see the form that takes a stream),
/// atomically as `ffn::save` does: the file holds either its old contents or the whole new
/// file, and keeps its permissions.
/// @throws std::invalid_argument as the stream form does (nothing is written).
/// @throws std::system_error naming the file and the reason if a file operation fails.
template <storable_network Net>
void save_safetensors(const Net& net, const std::filesystem::path& path,
                      const std::vector<std::string>& layer_names = {}) {
    const std::vector<unsigned char> bytes = detail::safetensors_bytes(net, layer_names);
    detail::file_operations operations;
    detail::write_file_atomically(path, bytes, operations, "ffn::save_safetensors");
}

} // namespace ffn
