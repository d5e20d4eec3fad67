// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::load`: reads a network's parameters from ffn's file format (docs/file_format.md).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ios>
#include <istream>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ffn/errors.hpp"
#include "ffn/io/crc32.hpp"
#include "ffn/concepts/settings.hpp"
#include "ffn/io/format.hpp"
#include "ffn/io/source.hpp"

namespace ffn {

namespace detail {

/// "3x4".
[[nodiscard]] inline std::string shape_text(std::uint64_t rows, std::uint64_t cols) {
    return std::to_string(rows) + "x" + std::to_string(cols);
}

/// Reads one tensor's shape and values from `in` into `tensor`, resizing it where its type
/// leaves a size dynamic.
template <class Tensor>
void load_tensor(byte_reader& in, Tensor& tensor, std::string_view name, const std::string& label) {
    using scalar_type = typename Tensor::Scalar;
    const std::string what = label + " " + std::string(name);
    const std::uint64_t rows = in.get_u64(what + "'s rows");
    const std::uint64_t cols = in.get_u64(what + "'s columns");

    constexpr Eigen::Index fixed_rows = Tensor::RowsAtCompileTime;
    constexpr Eigen::Index fixed_cols = Tensor::ColsAtCompileTime;
    const std::string holds =
        label + ": the file holds " + shape_text(rows, cols) + " " + std::string(name);
    if constexpr (fixed_rows != Eigen::Dynamic && fixed_cols != Eigen::Dynamic) {
        if (rows != static_cast<std::uint64_t>(fixed_rows) ||
            cols != static_cast<std::uint64_t>(fixed_cols)) {
            in.fail(holds + ", the network expects " +
                    shape_text(static_cast<std::uint64_t>(fixed_rows),
                               static_cast<std::uint64_t>(fixed_cols)));
        }
    } else {
        if (fixed_rows != Eigen::Dynamic && rows != static_cast<std::uint64_t>(fixed_rows)) {
            in.fail(holds + ", the network expects " + std::to_string(fixed_rows) + " rows");
        }
        if (fixed_cols != Eigen::Dynamic && cols != static_cast<std::uint64_t>(fixed_cols)) {
            in.fail(holds + ", the network expects " + std::to_string(fixed_cols) + " columns");
        }
        // A size the type leaves open is taken from the file, but it must be positive.
        if ((fixed_rows == Eigen::Dynamic && rows == 0) ||
            (fixed_cols == Eigen::Dynamic && cols == 0)) {
            in.fail(holds + "; a size the network leaves open must be positive");
        }
    }
    // Every value must be in the file before anything is allocated for it, which also bounds
    // the sizes by the file's length (rows * cols is compared without overflow).
    constexpr auto max_index = static_cast<std::uint64_t>(std::numeric_limits<Eigen::Index>::max());
    const std::uint64_t room = in.remaining() / sizeof(scalar_type);
    if (rows > max_index || cols > max_index || (rows != 0 && cols > room / rows)) {
        in.fail_truncated(what);
    }
    // Reading from a stream, this is where the values are read: only now that the shape is
    // known to fit the network and the declared size.
    in.require(rows * cols * sizeof(scalar_type), what);
    if constexpr (fixed_rows == Eigen::Dynamic || fixed_cols == Eigen::Dynamic) {
        tensor.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    }
    for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
        for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
            const auto value = in.get_scalar_unchecked<scalar_type>();
            if (!std::isfinite(value)) {
                in.fail(what + "(" + std::to_string(r) + ", " + std::to_string(c) + ") is " +
                        std::to_string(value) + ", not a finite number");
            }
            tensor(r, c) = value;
        }
    }
}

/// Reads layer `I` from `in` into `net`'s layer `I`, checking that it is the same kind of
/// layer with the same policies and shapes.
/// Reads settings that a file records (count, then each name and value), checks them against
/// `names` (count, names, finite values) and returns their values. `what` names their owner
/// in messages ("layer 1's activation") and `kind` its kind.
template <std::size_t N>
[[nodiscard]] std::array<double, N> load_setting_values(
    byte_reader& in, const std::array<std::string_view, N>& names, const std::string& what,
    std::string_view kind) {
    const std::uint32_t found = in.get_u32(what + "'s setting count");
    if (found != N) {
        in.fail(what + " " + quoted_name(kind) + " has " + std::to_string(found) +
                " settings in the file, the network's has " + std::to_string(N));
    }
    std::array<double, N> values{};
    for (std::size_t i = 0; i < N; ++i) {
        const std::string name = in.get_name(what + "'s setting " + std::to_string(i) + " name");
        if (name != names[i]) {
            in.fail(what + " " + quoted_name(kind) + ": setting " + std::to_string(i) + " is " +
                    quoted_name(name) + " in the file, the network expects " +
                    quoted_name(names[i]));
        }
        values[i] = in.get_f64(what + "'s setting " + quoted_name(name));
        if (!std::isfinite(values[i])) {
            in.fail(what + " " + quoted_name(kind) + ": setting " + quoted_name(name) + " is " +
                    std::to_string(values[i]) + ", not a finite number");
        }
    }
    return values;
}

/// Reads the settings of policy `P` (an activation or a loss) that a version 2 file records
/// after its name and returns the policy they make.
template <class P>
[[nodiscard]] P load_settings(byte_reader& in, const std::string& what, std::string_view kind) {
    const auto values = load_setting_values(in, detail::setting_names<P>(), what, kind);
    return on_invalid_argument([&] { return policy_from_settings<P>(values); },
                               [&](const char* refused) {
                                   in.fail(what + " " + quoted_name(kind) +
                                           ": the file's settings are refused: " + refused);
                               });
}

/// Reads layer `I` from `in` into `net`'s layer `I`, checking that it is the same kind of
/// layer with the same policies and shapes, and restoring its activation's settings from a
/// version 2 file.
template <std::size_t I, class Net>
void load_layer(byte_reader& in, Net& net, std::uint32_t version) {
    using layer_type = std::remove_cvref_t<decltype(net.template layer<I>())>;
    auto& layer = net.template layer<I>();
    const std::string label = "layer " + std::to_string(I);

    const auto check_name = [&](std::string_view what, std::string_view expected) {
        const std::string found = in.get_name(label + "'s " + std::string(what));
        if (found != expected) {
            in.fail(label + ": the file's layer has " + std::string(what) + " " +
                    quoted_name(found) + ", the network's has " + quoted_name(expected));
        }
    };
    check_name("kind", layer_type::name);
    check_name("activation", activation_name<layer_type>());
    if constexpr (requires { typename layer_type::activation_type; }) {
        using activation_type = typename layer_type::activation_type;
        static_cast<void>(check_savable_policy<activation_type>{});
        if (version >= 2) {
            const auto activation =
                load_settings<activation_type>(in, label + "'s activation", activation_type::name);
            if constexpr (setting_count<activation_type>() > 0) {
                layer.set_activation(activation);
            }
        }
    } else if (version >= 2) {
        static_cast<void>(load_settings<no_settings>(in, label + "'s activation", ""));
    }
    check_name("bias policy", bias_policy_name<layer_type>());
    if (version >= 3) {
        const auto values =
            load_setting_values(in, layer_setting_names<layer_type>(), label, layer_type::name);
        if constexpr (layer_with_settings<layer_type>) {
            on_invalid_argument([&] { layer.set_settings(values); },
                                [&](const char* refused) {
                                    in.fail(label + " " + quoted_name(layer_type::name) +
                                            ": the file's settings are refused: " + refused);
                                });
        }
    }

    std::uint32_t expected_count = 0;
    layer.visit_tensors(
        [&expected_count](std::string_view, const auto&, bool) { ++expected_count; });
    const std::uint32_t count = in.get_u32(label + "'s tensor count");
    if (count != expected_count) {
        in.fail(label + ": the file holds " + std::to_string(count) +
                " tensors, the network's layer has " + std::to_string(expected_count));
    }

    std::size_t index = 0;
    layer.visit_tensors([&](std::string_view name, auto& tensor, bool) {
        const std::string found =
            in.get_name(label + "'s tensor " + std::to_string(index) + " name");
        if (found != name) {
            in.fail(label + ": tensor " + std::to_string(index) + " is " + quoted_name(found) +
                    " in the file, the network expects " + quoted_name(name));
        }
        load_tensor(in, tensor, name, label);
        ++index;
    });

    if (version >= 3) {
        std::uint32_t expected_counters = 0;
        visit_counters(std::as_const(layer), [&expected_counters](std::string_view, std::int64_t) {
            ++expected_counters;
        });
        const std::uint32_t counters = in.get_u32(label + "'s counter count");
        if (counters != expected_counters) {
            in.fail(label + ": the file holds " + std::to_string(counters) +
                    " counters, the network's layer has " + std::to_string(expected_counters));
        }
        visit_counters(layer, [&](std::string_view name, std::int64_t& value) {
            const std::string found = in.get_name(label + "'s counter name");
            if (found != name) {
                in.fail(label + ": a counter is " + quoted_name(found) +
                        " in the file, the network expects " + quoted_name(name));
            }
            const std::uint64_t bits = in.get_u64(label + "'s counter " + quoted_name(name));
            if (bits > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                in.fail(label + ": counter " + quoted_name(name) +
                        " is negative in the file; it counts, so it cannot be");
            }
            value = static_cast<std::int64_t>(bits);
        });
    }

    if constexpr (!sized_by_neighbours<layer_type>) {
        // Sizes the layer's type fixes must hold even where its storage is dynamic.
        const auto check_size = [&](std::string_view what, Eigen::Index found, Eigen::Index fixed) {
            if (found <= 0) {
                in.fail(label + ": the file's tensors give the layer " + std::to_string(found) +
                        " " + std::string(what) + "; it needs at least one");
            }
            if (fixed != Eigen::Dynamic && found != fixed) {
                in.fail(label + ": the file's tensors give the layer " + std::to_string(found) +
                        " " + std::string(what) + ", the network's layer has " +
                        std::to_string(fixed));
            }
        };
        check_size("inputs", layer.inputs(), layer_type::input_size);
        check_size("outputs", layer.outputs(), layer_type::output_size);
        if (const std::string problem = layer.shape_error(); !problem.empty()) {
            in.fail(label + ": " + problem);
        }
    }
}

template <class Net, std::size_t... I>
void load_layers(byte_reader& in, Net& net, std::uint32_t version,
                 std::index_sequence<I...> /*unused*/) {
    (load_layer<I>(in, net, version), ...);
}

/// Throws `ffn::format_error` with `where` and `message`.
[[noreturn]] inline void format_failure(std::string_view where, const std::string& message) {
    detail::raise(format_error(std::string(where) + ": " + message));
}

/// Checks the fixed header at the start of a file: magic number, version and declared size.
/// `prefix` holds the file's first bytes (all of the header, unless the file is shorter);
/// `size` is the whole file's size when it is known (a buffer, a regular file), or empty when
/// the file is read from a stream, whose end is found only by reading. Returns the version and
/// the declared size.
[[nodiscard]] inline std::pair<std::uint32_t, std::uint64_t> check_header(
    std::span<const unsigned char> prefix, std::optional<std::uint64_t> size,
    std::string_view where) {
    const std::size_t have = prefix.size();
    if (have == 0) {
        format_failure(where, "not an ffn file (it is empty)");
    }
    for (std::size_t i = 0; i < file_magic.size() && i < have; ++i) {
        if (prefix[i] != file_magic[i]) {
            format_failure(where, "not an ffn file (bad magic)");
        }
    }
    const auto truncated_header = [&] {
        format_failure(where, "truncated at byte " + std::to_string(size.value_or(have)) +
                                  " (the header alone takes " + std::to_string(header_size) +
                                  " bytes)");
    };
    if (have < version_offset + 4) {
        truncated_header();
    }
    const auto version = static_cast<std::uint32_t>(get_unsigned(prefix, version_offset, 4));
    if (version == 0) {
        format_failure(where, "format version 0 is not valid");
    }
    if (version > file_format_version) {
        format_failure(where, "format version " + std::to_string(version) +
                                  " is newer than this reader (" +
                                  std::to_string(file_format_version) + ")");
    }
    if (have < header_size) {
        truncated_header();
    }
    const std::uint64_t declared = get_unsigned(prefix, size_offset, 8);
    if (declared < header_size + checksum_size) {
        format_failure(where, "the header gives a file size of " + std::to_string(declared) +
                                  " bytes, less than the header and checksum take");
    }
    if (size && *size < declared) {
        format_failure(where, "truncated at byte " + std::to_string(*size) +
                                  " (the header gives a file size of " + std::to_string(declared) +
                                  " bytes)");
    }
    if (size && *size > declared) {
        format_failure(where,
                       std::to_string(*size - declared) + " bytes of unexpected data after byte " +
                           std::to_string(declared) + ", where the header says the file ends");
    }
    if (declared > std::numeric_limits<std::size_t>::max()) {
        format_failure(where, "the header gives a file size of " + std::to_string(declared) +
                                  " bytes, more than this machine can address");
    }
    return {version, declared};
}

/// Throws unless the CRC-32 stored in the last 4 bytes of `bytes` is that of the bytes before.
inline void check_checksum(std::span<const unsigned char> bytes, std::string_view where) {
    const std::size_t end = bytes.size() - checksum_size;
    const auto stored = static_cast<std::uint32_t>(get_unsigned(bytes, end, 4));
    const std::uint32_t computed = crc32(bytes.first(end));
    if (stored != computed) {
        constexpr std::string_view digits = "0123456789abcdef";
        const auto hex = [&](std::uint32_t value) {
            std::string text = "0x";
            for (int shift = 28; shift >= 0; shift -= 4) {
                text += digits[(value >> static_cast<unsigned>(shift)) & 0xFU];
            }
            return text;
        };
        format_failure(where, "checksum mismatch: the file's CRC-32 is " + hex(stored) +
                                  ", its contents give " + hex(computed) +
                                  " (the file is damaged)");
    }
}

/// Reads the fields after the fixed header into a copy of `net` and, when every check has
/// passed (`finish` last, which checks the checksum), moves the copy into `net`.
template <class Net, class Finish>
void parse_into(Net& net, byte_reader& in, std::uint32_t version, std::size_t end,
                const Finish& finish) {
    using scalar_type = typename Net::scalar_type;
    static_assert(storable_scalar<scalar_type>,
                  "ffn::load: only float and double networks can be loaded; the file format "
                  "stores IEEE-754 binary32 or binary64 values.");
    static_assert(std::is_nothrow_move_assignable_v<Net>,
                  "ffn::load: the network type must be nothrow move assignable, so that a "
                  "loaded network is committed without a chance of failing half way.");
    using loss_type = typename Net::loss_type;
    static_cast<void>(check_savable_policy<loss_type>{});

    const std::uint8_t code = in.get_u8("the scalar type");
    if (code != 4 && code != 8) {
        in.fail("unknown scalar type code " + std::to_string(code) + " at byte " +
                std::to_string(scalar_offset));
    }
    if (code != scalar_code<scalar_type>) {
        in.fail("written as " + scalar_code_name(code) + ", read as " +
                scalar_code_name(scalar_code<scalar_type>));
    }
    const std::string loss = in.get_name("the loss name");
    if (loss != loss_type::name) {
        in.fail("the file was written for loss " + quoted_name(loss) + ", the network uses " +
                quoted_name(loss_type::name));
    }
    std::optional<loss_type> loss_function;
    if (version >= 2) {
        loss_function.emplace(load_settings<loss_type>(in, "the loss", loss_type::name));
    }
    const std::uint32_t layers = in.get_u32("the layer count");
    if (layers != Net::layer_count) {
        in.fail("the file holds " + std::to_string(layers) + " layers, the network has " +
                std::to_string(Net::layer_count));
    }

    Net candidate = net;
    if (loss_function) {
        candidate.set_loss_function(*loss_function);
    }
    load_layers(in, candidate, version, std::make_index_sequence<Net::layer_count>{});
    on_invalid_argument([&] { size_layers_from_neighbours(candidate); },
                        [&](const char* what) { in.fail(what); });
    if (in.position() != end) {
        in.fail(std::to_string(end - in.position()) + " bytes of unexpected data at byte " +
                std::to_string(in.position()) + ", after the last layer");
    }
    on_invalid_argument([&] { candidate.check_shapes(in.where()); },
                        [](const char* what) { detail::raise(format_error(what)); });
    finish();
    net = std::move(candidate);
}

/// Parses the file `bytes`, held whole in memory, into `net`: the header, the size and the
/// checksum first, then every field.
template <class Net>
void load_into(Net& net, std::span<const unsigned char> bytes, std::string where) {
    const auto [version, declared] = check_header(bytes, bytes.size(), where);
    check_checksum(bytes, where);
    const std::size_t end = static_cast<std::size_t>(declared) - checksum_size;
    byte_reader in(bytes, scalar_offset, end, std::move(where));
    parse_into(net, in, version, end, [] {});
}

/// Parses a file read from `source` into `net`, reading only the bytes that each field, once
/// the fields before it have been checked, says are there: a file that claims to be huge
/// fails as soon as its fields stop making sense, and never costs more memory than it has
/// backed with valid fields. The checksum is checked last, once every field has been read.
/// `buffer` may hold the file's first bytes already.
template <class Net>
void load_from_source(Net& net, byte_source& source, std::vector<unsigned char> buffer,
                      std::string where) {
    source.fill(buffer, header_size);
    const std::optional<std::uint64_t> unknown;
    const auto [version, declared] = check_header(buffer, unknown, where);
    const std::size_t end = static_cast<std::size_t>(declared) - checksum_size;
    byte_reader in(buffer, source, scalar_offset, end, where);
    parse_into(net, in, version, end, [&] {
        if (!source.fill(buffer, end + checksum_size)) {
            format_failure(where, "truncated at byte " + std::to_string(buffer.size()) +
                                      " while reading the checksum (from byte " +
                                      std::to_string(end) + ")");
        }
        check_checksum(std::span<const unsigned char>(buffer).first(end + checksum_size), where);
    });
}

/// Loads the file `path` into `net`, as from a stream (see `load_from_source`); a regular
/// file's size is first compared with the size its header declares.
template <class Net>
void load_file(Net& net, const std::filesystem::path& path) {
    file_source file(path, "ffn::load");
    std::string where = "ffn::load: '" + path.string() + "'";
    std::vector<unsigned char> buffer;
    if (file.regular()) {
        file.fill(buffer, header_size);
        static_cast<void>(check_header(buffer, file.regular_size(), where));
    }
    load_from_source(net, file, std::move(buffer), std::move(where));
}

} // namespace detail

/// Replaces `net`'s parameters by those in `bytes`, a whole file in ffn's format
/// (docs/file_format.md). The file must have been written for the same network: the same
/// scalar type, loss, number of layers, and for each layer the same kind, activation, bias
/// policy and tensor shapes. A size that the network's type leaves dynamic takes the file's
/// value. Frozen flags are not in the file and stay as they are.
///
/// Strong guarantee: everything is checked before `net` changes; on any error `net` is exactly
/// as it was.
/// @throws ffn::format_error saying what is wrong and where: not an ffn file, a newer format
///         version, truncated, a checksum mismatch, another scalar type, loss, layer kind,
///         activation, bias policy or shape, a value that is not finite.
template <storable_network Net>
void load_bytes(Net& net, std::span<const unsigned char> bytes) {
    detail::load_into(net, bytes, "ffn::load");
}

/// Replaces `net`'s parameters by those of the file read from `in`, which is left just after
/// the file's last byte. See `load_bytes` for the checks and the guarantee; from a stream each
/// field is read only once the fields before it have been checked, and the checksum is checked
/// last (a damaged file may be reported by the first field it breaks).
/// @throws ffn::format_error if the file is not right (see `load_bytes`).
/// @throws std::ios_base::failure if the stream is unusable before reading (its fail or bad
///         bit set) or fails while it is read.
template <storable_network Net>
void load(Net& net, std::istream& in) {
    detail::stream_source source(in, "ffn::load");
    detail::load_from_source(net, source, {}, "ffn::load");
}

/// Replaces `net`'s parameters by those in the file `path`. See `load_bytes` for the checks
/// and the guarantee; messages start with the path. As from a stream, each field is read only
/// once the fields before it have been checked, and the checksum is checked last, so memory
/// never grows beyond what the file's valid fields account for; a regular file's size is
/// compared with the size its header declares before anything else is read.
/// @throws ffn::format_error if the file is not right (see `load_bytes`).
/// @throws std::system_error naming the file and the reason if it cannot be opened or read.
template <storable_network Net>
void load(Net& net, const std::filesystem::path& path) {
    detail::load_file(net, path);
}

} // namespace ffn
