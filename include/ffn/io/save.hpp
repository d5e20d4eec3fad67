// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::save`: writes a network's parameters in ffn's file format (docs/file_format.md).

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ios>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ffn/concepts/settings.hpp"
#include "ffn/errors.hpp"
#include "ffn/io/crc32.hpp"
#include "ffn/io/file.hpp"
#include "ffn/io/format.hpp"

namespace ffn {

namespace detail {

/// Writes settings: their count (u32), then each one's name and value (f64).
template <std::size_t N>
void save_setting_values(byte_writer& out, const std::array<std::string_view, N>& names,
                         const std::array<double, N>& values, const std::string& what) {
    out.put_u32(static_cast<std::uint32_t>(N));
    for (std::size_t i = 0; i < N; ++i) {
        out.put_name(names[i], what + "'s setting name");
        if (!std::isfinite(values[i])) {
            detail::raise(std::invalid_argument(
                "ffn::save: " + what + "'s setting '" + std::string(names[i]) + "' is " +
                std::to_string(values[i]) + ", not a finite number"));
        }
        out.put_f64(values[i]);
    }
}

/// Writes the settings of `policy` (an activation or a loss).
template <class P>
void save_settings(byte_writer& out, const P& policy, const std::string& what) {
    static_cast<void>(check_savable_policy<P>{});
    save_setting_values(out, setting_names<P>(), settings_of(policy), what);
}

template <std::size_t I, class Net>
void save_layer(const Net& net, byte_writer& out) {
    using layer_type = std::remove_cvref_t<decltype(net.template layer<I>())>;
    const auto& layer = net.template layer<I>();
    const std::string label = "layer " + std::to_string(I);
    out.put_name(layer_type::name, label + "'s kind");
    out.put_name(activation_name<layer_type>(), label + "'s activation");
    if constexpr (requires { layer.activation(); }) {
        save_settings(out, layer.activation(), label + "'s activation");
    } else {
        save_settings(out, no_settings{}, label + "'s activation");
    }
    out.put_name(bias_policy_name<layer_type>(), label + "'s bias policy");
    save_setting_values(out, layer_setting_names<layer_type>(), layer_settings_of(layer), label);

    std::uint32_t tensor_count = 0;
    layer.visit_tensors([&tensor_count](std::string_view, const auto&, bool) { ++tensor_count; });
    out.put_u32(tensor_count);

    layer.visit_tensors([&](std::string_view name, const auto& tensor, bool) {
        out.put_name(name, label + "'s tensor name");
        out.put_u64(static_cast<std::uint64_t>(tensor.rows()));
        out.put_u64(static_cast<std::uint64_t>(tensor.cols()));
        // Row-major, so that numpy's default (C) order reshapes the values directly.
        for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
            for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
                const auto value = tensor(r, c);
                if (!std::isfinite(value)) {
                    detail::raise(std::invalid_argument(
                        "ffn::save: " + label + " " + std::string(name) + "(" + std::to_string(r) +
                        ", " + std::to_string(c) + ") is " + std::to_string(value) +
                        "; a network with parameters that are not finite is not saved"));
                }
                out.put_scalar(value);
            }
        }
    });

    std::uint32_t counter_count = 0;
    visit_counters(layer, [&counter_count](std::string_view, std::int64_t) { ++counter_count; });
    out.put_u32(counter_count);
    visit_counters(layer, [&](std::string_view name, std::int64_t value) {
        out.put_name(name, label + "'s counter name");
        out.put_u64(static_cast<std::uint64_t>(value));
    });
}

template <class Net, std::size_t... I>
void save_layers(const Net& net, byte_writer& out, std::index_sequence<I...> /*unused*/) {
    (save_layer<I>(net, out), ...);
}

} // namespace detail

/// The bytes of a file holding `net`: its scalar type, loss name and settings, and for each
/// layer its kind, activation name and settings, bias policy name and its tensors' shapes and
/// values, with a CRC-32 at the end (docs/file_format.md describes them byte by byte). Frozen
/// flags are settings of the training program, not parameters: they are not saved.
/// @throws std::invalid_argument if a parameter or a setting is not finite (NaN or
///         infinite), or if the network is empty or its shapes do not chain.
template <storable_network Net>
[[nodiscard]] std::vector<unsigned char> save_bytes(const Net& net) {
    using scalar_type = typename Net::scalar_type;
    static_assert(detail::storable_scalar<scalar_type>,
                  "ffn::save: only float and double networks can be saved; the file format "
                  "stores IEEE-754 binary32 or binary64 values.");
    net.check_shapes("ffn::save");
    std::vector<unsigned char> bytes;
    detail::byte_writer out(bytes);
    for (const unsigned char byte : detail::file_magic) {
        out.put_u8(byte);
    }
    out.put_u32(file_format_version);
    out.put_u64(0); // the file size, set below
    out.put_u8(detail::scalar_code<scalar_type>);
    out.put_name(Net::loss_type::name, "the loss name");
    save_settings(out, net.loss_function(), "the loss");
    out.put_u32(static_cast<std::uint32_t>(Net::layer_count));
    detail::save_layers(net, out, std::make_index_sequence<Net::layer_count>{});
    out.patch_u64(detail::size_offset, out.size() + detail::checksum_size);
    out.put_u32(detail::crc32(bytes));
    return bytes;
}

/// Writes `net` to `out` in ffn's file format (see `save_bytes`).
/// @throws std::invalid_argument if a parameter is not finite.
/// @throws std::ios_base::failure if the stream fails.
template <storable_network Net>
void save(const Net& net, std::ostream& out) {
    const std::vector<unsigned char> bytes = save_bytes(net);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
        detail::raise(std::ios_base::failure("ffn::save: writing to the stream failed"));
    }
}

/// Writes `net` to the file `path` in ffn's file format (see `save_bytes`), atomically: the
/// bytes go to a temporary file in the same folder, which is flushed to the disk and then
/// renamed over `path`. Whatever fails, `path` holds either its previous contents or the whole
/// new file, and the temporary file is removed. A symbolic link at `path` is replaced by the
/// file, not followed.
/// @throws std::invalid_argument if a parameter is not finite (nothing is written).
/// @throws std::system_error naming the file and the reason if a file operation fails.
template <storable_network Net>
void save(const Net& net, const std::filesystem::path& path) {
    const std::vector<unsigned char> bytes = save_bytes(net);
    detail::file_operations operations;
    detail::write_file_atomically(path, bytes, operations, "ffn::save");
}

} // namespace ffn
