// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::load`: reads a network's parameters from ffn's file format (docs/file_format.md).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ios>
#include <istream>
#include <limits>
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
#include "ffn/io/file.hpp"
#include "ffn/io/format.hpp"

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
template <std::size_t I, class Net>
void load_layer(byte_reader& in, Net& net) {
    using layer_type = std::remove_cvref_t<decltype(net.template layer<I>())>;
    auto& layer = net.template layer<I>();
    const std::string label = "layer " + std::to_string(I);

    const auto check_name = [&](std::string_view what, std::string_view expected) {
        const std::string_view found = in.get_name(label + "'s " + std::string(what));
        if (found != expected) {
            in.fail(label + ": the file's layer has " + std::string(what) + " " + quoted(found) +
                    ", the network's has " + quoted(expected));
        }
    };
    check_name("kind", layer_type::name);
    check_name("activation", activation_name<layer_type>());
    check_name("bias policy", bias_policy_name<layer_type>());

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
        const std::string_view found =
            in.get_name(label + "'s tensor " + std::to_string(index) + " name");
        if (found != name) {
            in.fail(label + ": tensor " + std::to_string(index) + " is " + quoted(found) +
                    " in the file, the network expects " + quoted(name));
        }
        load_tensor(in, tensor, name, label);
        ++index;
    });

    // Sizes the layer's type fixes must hold even where its storage is dynamic.
    const auto check_size = [&](std::string_view what, Eigen::Index found, Eigen::Index fixed) {
        if (found <= 0) {
            in.fail(label + ": the file's tensors give the layer " + std::to_string(found) + " " +
                    std::string(what) + "; it needs at least one");
        }
        if (fixed != Eigen::Dynamic && found != fixed) {
            in.fail(label + ": the file's tensors give the layer " + std::to_string(found) + " " +
                    std::string(what) + ", the network's layer has " + std::to_string(fixed));
        }
    };
    check_size("inputs", layer.inputs(), layer_type::input_size);
    check_size("outputs", layer.outputs(), layer_type::output_size);
    if (const std::string problem = layer.shape_error(); !problem.empty()) {
        in.fail(label + ": " + problem);
    }
}

template <class Net, std::size_t... I>
void load_layers(byte_reader& in, Net& net, std::index_sequence<I...> /*unused*/) {
    (load_layer<I>(in, net), ...);
}

/// Throws `ffn::format_error` with `where` and `message`.
[[noreturn]] inline void format_failure(std::string_view where, const std::string& message) {
    throw format_error(std::string(where) + ": " + message);
}

/// Checks the fixed header and the checksum of the file `bytes`; returns where its fields end
/// (the start of the checksum).
[[nodiscard]] inline std::size_t check_envelope(std::span<const unsigned char> bytes,
                                                std::string_view where) {
    const std::size_t size = bytes.size();
    if (size == 0) {
        format_failure(where, "not an ffn file (it is empty)");
    }
    for (std::size_t i = 0; i < file_magic.size() && i < size; ++i) {
        if (bytes[i] != file_magic[i]) {
            format_failure(where, "not an ffn file (bad magic)");
        }
    }
    const auto truncated_header = [&] {
        format_failure(where, "truncated at byte " + std::to_string(size) +
                                  " (the header alone takes " + std::to_string(header_size) +
                                  " bytes)");
    };
    if (size < version_offset + 4) {
        truncated_header();
    }
    const std::uint64_t version = get_unsigned(bytes, version_offset, 4);
    if (version == 0) {
        format_failure(where, "format version 0 is not valid");
    }
    if (version > file_format_version) {
        format_failure(where, "format version " + std::to_string(version) +
                                  " is newer than this reader (" +
                                  std::to_string(file_format_version) + ")");
    }
    if (size < header_size) {
        truncated_header();
    }
    const std::uint64_t declared = get_unsigned(bytes, size_offset, 8);
    if (declared < header_size + checksum_size) {
        format_failure(where, "the header gives a file size of " + std::to_string(declared) +
                                  " bytes, less than the header and checksum take");
    }
    if (size < declared) {
        format_failure(where, "truncated at byte " + std::to_string(size) +
                                  " (the header gives a file size of " + std::to_string(declared) +
                                  " bytes)");
    }
    if (size > declared) {
        format_failure(where,
                       std::to_string(size - declared) + " bytes of unexpected data after byte " +
                           std::to_string(declared) + ", where the header says the file ends");
    }
    const std::size_t end = size - checksum_size;
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
    return end;
}

/// Parses the file `bytes` into a copy of `net` and, when every check has passed, moves the
/// copy into `net`.
template <class Net>
void load_into(Net& net, std::span<const unsigned char> bytes, std::string where) {
    using scalar_type = typename Net::scalar_type;
    static_assert(storable_scalar<scalar_type>,
                  "ffn::load: only float and double networks can be loaded; the file format "
                  "stores IEEE-754 binary32 or binary64 values.");
    static_assert(std::is_nothrow_move_assignable_v<Net>,
                  "ffn::load: the network type must be nothrow move assignable, so that a "
                  "loaded network is committed without a chance of failing half way.");

    const std::size_t end = check_envelope(bytes, where);
    byte_reader in(bytes, scalar_offset, end, std::move(where));

    const std::uint8_t code = in.get_u8("the scalar type");
    if (code != 4 && code != 8) {
        in.fail("unknown scalar type code " + std::to_string(code) + " at byte " +
                std::to_string(scalar_offset));
    }
    if (code != scalar_code<scalar_type>) {
        in.fail("written as " + scalar_code_name(code) + ", read as " +
                scalar_code_name(scalar_code<scalar_type>));
    }
    const std::string_view loss = in.get_name("the loss name");
    if (loss != Net::loss_type::name) {
        in.fail("the file was written for loss " + quoted(loss) + ", the network uses " +
                quoted(Net::loss_type::name));
    }
    const std::uint32_t layers = in.get_u32("the layer count");
    if (layers != Net::layer_count) {
        in.fail("the file holds " + std::to_string(layers) + " layers, the network has " +
                std::to_string(Net::layer_count));
    }

    Net candidate = net;
    load_layers(in, candidate, std::make_index_sequence<Net::layer_count>{});
    if (in.position() != end) {
        in.fail(std::to_string(end - in.position()) + " bytes of unexpected data at byte " +
                std::to_string(in.position()) + ", after the last layer");
    }
    try {
        candidate.check_shapes(in.where());
    } catch (const std::invalid_argument& e) {
        throw format_error(e.what());
    }
    net = std::move(candidate);
}

/// Reads one file from `in`: the fixed header, then as many bytes as it says the file holds
/// (fewer if the stream ends first; the parser then reports the truncation).
[[nodiscard]] inline std::vector<unsigned char> read_stream(std::istream& in) {
    std::vector<unsigned char> bytes(header_size);
    const auto read_into = [&in, &bytes](std::size_t offset, std::size_t count) {
        in.read(reinterpret_cast<char*>(bytes.data() + offset),
                static_cast<std::streamsize>(count));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (in.bad()) {
            throw std::ios_base::failure("ffn::load: reading the stream failed");
        }
        bytes.resize(offset + got);
        return got == count;
    };
    if (!read_into(0, header_size)) {
        return bytes;
    }
    const std::uint64_t declared = get_unsigned(bytes, size_offset, 8);
    // The size is not trusted for an allocation: the bytes are read a piece at a time.
    constexpr std::size_t chunk = 1U << 16U;
    while (bytes.size() < declared) {
        const std::size_t offset = bytes.size();
        const std::size_t count =
            static_cast<std::size_t>(std::min<std::uint64_t>(chunk, declared - offset));
        bytes.resize(offset + count);
        if (!read_into(offset, count)) {
            break;
        }
    }
    return bytes;
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
/// the file's last byte. See `load_bytes` for the checks and the guarantee.
/// @throws ffn::format_error if the file is not right (see `load_bytes`).
/// @throws std::ios_base::failure if the stream fails.
template <storable_network Net>
void load(Net& net, std::istream& in) {
    const std::vector<unsigned char> bytes = detail::read_stream(in);
    detail::load_into(net, bytes, "ffn::load");
}

/// Replaces `net`'s parameters by those in the file `path`. See `load_bytes` for the checks
/// and the guarantee; messages start with the path.
/// @throws ffn::format_error if the file is not right (see `load_bytes`).
/// @throws std::system_error naming the file and the reason if it cannot be opened or read.
template <storable_network Net>
void load(Net& net, const std::filesystem::path& path) {
    const std::vector<unsigned char> bytes = detail::read_file(path, "ffn::load");
    detail::load_into(net, bytes, "ffn::load: '" + path.string() + "'");
}

} // namespace ffn
