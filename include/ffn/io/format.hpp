// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The constants and byte-level tools of ffn's file format, which docs/file_format.md
/// describes byte by byte. Every number is written little-endian by shifting, never by copying
/// the host's bytes, so a file reads the same on every machine.

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ffn/detail/format.hpp"
#include "ffn/errors.hpp"
#include "ffn/io/source.hpp"

namespace ffn {

/// The version of the file format that `ffn::save` writes. `ffn::load` reads this version and
/// older ones (version 1 files hold no settings, version 2 files no layer settings or
/// counters), and refuses newer ones.
inline constexpr std::uint32_t file_format_version = 3;

/// A network that `ffn::save` and `ffn::load` accept: an `ffn::network`, or a type with the
/// same interface (a `scalar_type`, a `loss_type` with a `name`, `loss_function()` and
/// `set_loss_function`, `layer_count` layers reached through `layer<I>()`, each of which offers
/// `visit_tensors`, and `check_shapes`).
template <class Net>
concept storable_network = requires(const Net& net) {
    typename Net::scalar_type;
    typename Net::loss_type;
    { Net::loss_type::name } -> std::convertible_to<std::string_view>;
    { Net::layer_count } -> std::convertible_to<std::size_t>;
    net.template layer<0>();
    net.loss_function();
    net.check_shapes(std::string_view{});
};

} // namespace ffn

namespace ffn::detail {

/// The first eight bytes of every file: a byte above 127 (caught by transfers that strip the
/// top bit), the letters FFN, then CR LF, Ctrl-Z and LF (caught by text-mode conversions),
/// as PNG does.
inline constexpr std::array<unsigned char, 8> file_magic = {0x89, 'F',  'F',  'N',
                                                            0x0D, 0x0A, 0x1A, 0x0A};
/// Offsets of the fixed header's fields.
inline constexpr std::size_t version_offset = 8;
inline constexpr std::size_t size_offset = 12;
inline constexpr std::size_t scalar_offset = 20;
/// The fixed header: magic, version, file size, scalar code.
inline constexpr std::size_t header_size = 21;
/// The CRC-32 at the end of the file.
inline constexpr std::size_t checksum_size = 4;
/// The longest name (of a loss, layer kind, activation, bias policy or tensor) a file holds.
inline constexpr std::size_t max_name_length = 0xFFFF;

/// The code of a scalar type in the header: its width in bytes (4 for IEEE-754 binary32,
/// 8 for binary64).
template <class Scalar>
inline constexpr std::uint8_t scalar_code = sizeof(Scalar);

/// True for the scalar types the format stores: IEEE-754 binary32 and binary64.
template <class Scalar>
[[nodiscard]] constexpr bool is_storable_scalar() noexcept {
    if constexpr (std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double>) {
        return std::numeric_limits<Scalar>::is_iec559;
    } else {
        return false;
    }
}
template <class Scalar>
inline constexpr bool storable_scalar = is_storable_scalar<Scalar>();

/// The C++ name of the scalar type with code `code`.
[[nodiscard]] inline std::string scalar_code_name(std::uint8_t code) {
    switch (code) {
    case 4:
        return "float";
    case 8:
        return "double";
    default:
        return "code " + std::to_string(code);
    }
}

/// The name of layer type `L`'s activation, or an empty string for a layer without one.
template <class L>
[[nodiscard]] constexpr std::string_view activation_name() noexcept {
    if constexpr (requires { L::activation_type::name; }) {
        return L::activation_type::name;
    } else {
        return {};
    }
}

/// The name of layer type `L`'s bias policy, or an empty string for a layer without one.
template <class L>
[[nodiscard]] constexpr std::string_view bias_policy_name() noexcept {
    if constexpr (requires { L::bias_type::name; }) {
        return L::bias_type::name;
    } else {
        return {};
    }
}

/// Calls `f(name, count)` for each integer counter of `layer` (batch normalisation's
/// `num_batches_tracked`); nothing for a layer without counters.
template <class Layer, class F>
void visit_counters(Layer& layer, F&& f) {
    if constexpr (requires { layer.visit_counters(f); }) {
        layer.visit_counters(f);
    }
}

/// Whether layer type `L` holds no tensors and takes its size from its neighbours when it is
/// dynamic (dropout).
template <class L>
inline constexpr bool sized_by_neighbours = L::input_size == Eigen::Dynamic&& requires(L& l) {
    l.set_units(Eigen::Index{});
};

/// Gives each dynamic layer without tensors (dropout) its neighbour's size: the previous
/// layer's outputs, or for leading ones the next layer's inputs.
/// @throws std::invalid_argument if a layer refuses the size.
template <class Net>
void size_layers_from_neighbours(Net& net) {
    constexpr std::size_t n = Net::layer_count;
    [&net]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                if constexpr (I > 0 && sized_by_neighbours<typename Net::template layer_type<I>>) {
                    const Eigen::Index size = net.template layer<I - 1>().outputs();
                    if (size > 0) {
                        net.template layer<I>().set_units(size);
                    }
                }
            }(),
            ...);
        // Leading layers without tensors, from the last one back.
        (
            [&] {
                constexpr std::size_t k = n - 1 - I;
                if constexpr (k + 1 < n &&
                              sized_by_neighbours<typename Net::template layer_type<k>>) {
                    bool unsized = true; // no sized layer before it
                    if constexpr (k > 0) {
                        unsized = net.template layer<k - 1>().outputs() == 0;
                    }
                    const Eigen::Index size = net.template layer<k + 1>().inputs();
                    if (unsized && size > 0) {
                        net.template layer<k>().set_units(size);
                    }
                }
            }(),
            ...);
    }
    (std::make_index_sequence<n>{});
}

/// Appends numbers, names and values to a byte buffer, little-endian.
class byte_writer {
public:
    explicit byte_writer(std::vector<unsigned char>& out) noexcept : out_(out) {}

    void put_u8(std::uint8_t value) { out_.push_back(value); }
    void put_u16(std::uint16_t value) { put_unsigned(value, 2); }
    void put_u32(std::uint32_t value) { put_unsigned(value, 4); }
    void put_u64(std::uint64_t value) { put_unsigned(value, 8); }
    /// An IEEE-754 binary64 value (a setting), bit for bit.
    void put_f64(double value) { put_u64(std::bit_cast<std::uint64_t>(value)); }

    /// A scalar as the little-endian bytes of its IEEE-754 representation.
    template <class Scalar>
    void put_scalar(Scalar value) {
        static_assert(storable_scalar<Scalar>,
                      "ffn: only IEEE-754 float and double values can be written.");
        if constexpr (sizeof(Scalar) == 4) {
            put_u32(std::bit_cast<std::uint32_t>(value));
        } else {
            put_u64(std::bit_cast<std::uint64_t>(value));
        }
    }

    /// A name: its length in bytes (u16), then its bytes.
    /// @throws std::invalid_argument if it is longer than `max_name_length`.
    void put_name(std::string_view name, std::string_view what) {
        if (name.size() > max_name_length) {
            detail::raise(std::invalid_argument(
                "ffn::save: " + std::string(what) + " is " + std::to_string(name.size()) +
                " bytes long; a file holds names of at most " + std::to_string(max_name_length)));
        }
        put_u16(static_cast<std::uint16_t>(name.size()));
        out_.insert(out_.end(), name.begin(), name.end());
    }

    /// Overwrites 8 bytes at `offset` with `value` (the file size, known at the end).
    void patch_u64(std::size_t offset, std::uint64_t value) noexcept {
        for (std::size_t i = 0; i < 8; ++i) {
            out_[offset + i] = static_cast<unsigned char>(value >> (8U * i));
        }
    }

    [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }

private:
    void put_unsigned(std::uint64_t value, std::size_t bytes) {
        for (std::size_t i = 0; i < bytes; ++i) {
            out_.push_back(static_cast<unsigned char>(value >> (8U * i)));
        }
    }

    std::vector<unsigned char>& out_;
};

/// Reads little-endian numbers at a given position of a byte buffer.
[[nodiscard]] inline std::uint64_t get_unsigned(std::span<const unsigned char> bytes,
                                                std::size_t offset, std::size_t width) noexcept {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        value |= static_cast<std::uint64_t>(bytes[offset + i]) << (8U * i);
    }
    return value;
}

/// Reads the fields of a file in order, from `begin` up to `end`; every read checks that the
/// bytes are there and, if not, throws `ffn::format_error` saying where the file stopped and
/// what was being read.
///
/// The bytes are either all in memory, or pulled from a `byte_source` into a buffer as the
/// fields need them: a field is asked for only once the fields before it have been checked, so
/// a damaged or hostile file costs no more memory than its valid beginning.
class byte_reader {
public:
    /// Reads a file held whole in memory.
    /// @param bytes  the whole file
    /// @param begin  where reading starts
    /// @param end    where the fields stop (the start of the checksum)
    /// @param where  the prefix of every message (the function, and the path if any)
    byte_reader(std::span<const unsigned char> bytes, std::size_t begin, std::size_t end,
                std::string where) noexcept
        : bytes_(bytes), position_(begin), end_(end), where_(std::move(where)) {}

    /// Reads a file from `source`, into `buffer`, which holds its first bytes already.
    byte_reader(std::vector<unsigned char>& buffer, byte_source& source, std::size_t begin,
                std::size_t end, std::string where) noexcept
        : bytes_(buffer), position_(begin), end_(end), where_(std::move(where)), buffer_(&buffer),
          source_(&source) {}

    [[nodiscard]] std::uint8_t get_u8(std::string_view what) {
        return static_cast<std::uint8_t>(get(1, what));
    }
    [[nodiscard]] std::uint16_t get_u16(std::string_view what) {
        return static_cast<std::uint16_t>(get(2, what));
    }
    [[nodiscard]] std::uint32_t get_u32(std::string_view what) {
        return static_cast<std::uint32_t>(get(4, what));
    }
    [[nodiscard]] std::uint64_t get_u64(std::string_view what) { return get(8, what); }

    /// An IEEE-754 binary64 value (a setting).
    [[nodiscard]] double get_f64(std::string_view what) {
        return std::bit_cast<double>(get(8, what));
    }

    /// A name: its u16 length, then its bytes.
    [[nodiscard]] std::string get_name(std::string_view what) {
        const std::size_t length = get_u16(what);
        require(length, what);
        const auto* first = reinterpret_cast<const char*>(bytes_.data() + position_);
        position_ += length;
        return {first, length};
    }

    /// A scalar from the little-endian bytes of its IEEE-754 representation.
    /// @pre `require(sizeof(Scalar), ...)` has succeeded for it.
    template <class Scalar>
    [[nodiscard]] Scalar get_scalar_unchecked() noexcept {
        static_assert(storable_scalar<Scalar>,
                      "ffn: only IEEE-754 float and double values can be read.");
        if constexpr (sizeof(Scalar) == 4) {
            const auto bits = static_cast<std::uint32_t>(get_unsigned(bytes_, position_, 4));
            position_ += 4;
            return std::bit_cast<float>(bits);
        } else {
            const std::uint64_t bits = get_unsigned(bytes_, position_, 8);
            position_ += 8;
            return std::bit_cast<double>(bits);
        }
    }

    /// Throws unless `count` more bytes are there (before `end`, and, reading from a source,
    /// in the source).
    void require(std::uint64_t count, std::string_view what) {
        if (count > end_ - position_) {
            fail_truncated(what);
        }
        if (source_ != nullptr && position_ + count > buffer_->size()) {
            const bool complete = source_->fill(*buffer_, position_ + count);
            bytes_ = *buffer_;
            if (!complete) {
                fail("truncated at byte " + std::to_string(buffer_->size()) + " while reading " +
                     std::string(what) + " (the header gives a file size of " +
                     std::to_string(end_ + checksum_size) + " bytes)");
            }
        }
    }

    /// Throws the error for a file whose fields stop before `what` is complete.
    [[noreturn]] void fail_truncated(std::string_view what) const {
        fail("truncated at byte " + std::to_string(end_) + " while reading " + std::string(what) +
             " (from byte " + std::to_string(position_) + ")");
    }

    /// Bytes left before `end`.
    [[nodiscard]] std::size_t remaining() const noexcept { return end_ - position_; }
    [[nodiscard]] std::size_t position() const noexcept { return position_; }
    [[nodiscard]] const std::string& where() const noexcept { return where_; }

    /// Throws `ffn::format_error` with `message` after the prefix.
    [[noreturn]] void fail(const std::string& message) const {
        detail::raise(format_error(where_ + ": " + message));
    }

private:
    std::uint64_t get(std::size_t width, std::string_view what) {
        require(width, what);
        const std::uint64_t value = get_unsigned(bytes_, position_, width);
        position_ += width;
        return value;
    }

    std::span<const unsigned char> bytes_;
    std::size_t position_;
    std::size_t end_;
    std::string where_;
    std::vector<unsigned char>* buffer_ = nullptr;
    byte_source* source_ = nullptr;
};

} // namespace ffn::detail
