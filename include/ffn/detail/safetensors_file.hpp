// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The safetensors container (https://github.com/huggingface/safetensors): an 8-byte
/// little-endian header length N, N bytes of JSON naming each tensor's dtype, shape and
/// byte range, then the data, raw little-endian and row-major. This layer knows nothing of
/// networks. It reads in steps so that a caller streaming a file trusts no size before it
/// is checked: `header_length` on the first 8 bytes, `parse_safetensors_header` on the
/// next N, `check_layout` against the data actually present; `parse_safetensors` does all
/// three for a file in memory. `write_safetensors` writes what these accept.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ffn/detail/format.hpp"
#include "ffn/detail/json.hpp"
#include "ffn/errors.hpp"

namespace ffn::detail {

/// The element types of the safetensors format, in the order of `safetensors_dtypes`.
enum class safetensors_dtype : unsigned char {
    boolean,
    u8,
    i8,
    u16,
    i16,
    f16,
    bf16,
    u32,
    i32,
    f32,
    u64,
    i64,
    f64,
    f8_e4m3,
    f8_e5m2
};

/// A dtype's name in the header and its size in bytes.
struct safetensors_dtype_info {
    std::string_view name;
    std::uint64_t size;
};

/// The name and size of each `safetensors_dtype`, indexed by its value.
inline constexpr std::array<safetensors_dtype_info, 15> safetensors_dtypes = {{
    {"BOOL", 1},
    {"U8", 1},
    {"I8", 1},
    {"U16", 2},
    {"I16", 2},
    {"F16", 2},
    {"BF16", 2},
    {"U32", 4},
    {"I32", 4},
    {"F32", 4},
    {"U64", 8},
    {"I64", 8},
    {"F64", 8},
    {"F8_E4M3", 1},
    {"F8_E5M2", 1},
}};

/// The largest header length accepted, the reference implementation's limit.
inline constexpr std::uint64_t safetensors_max_header_length = 100'000'000;

/// True if `dtype` is one of the enumerators (not some other value cast to the type).
[[nodiscard]] constexpr bool is_known_dtype(safetensors_dtype dtype) noexcept {
    return static_cast<std::size_t>(dtype) < safetensors_dtypes.size();
}

/// The dtype's name in a header ("F32"), or "unknown" for a value not an enumerator.
[[nodiscard]] constexpr std::string_view dtype_name(safetensors_dtype dtype) noexcept {
    return is_known_dtype(dtype) ? safetensors_dtypes[static_cast<std::size_t>(dtype)].name
                                 : std::string_view("unknown");
}

/// The size of one element in bytes.
/// @pre `is_known_dtype(dtype)`.
[[nodiscard]] constexpr std::uint64_t dtype_size(safetensors_dtype dtype) noexcept {
    return safetensors_dtypes[static_cast<std::size_t>(dtype)].size;
}

/// The dtype a header names `name`, or none if it is not a safetensors dtype.
[[nodiscard]] constexpr std::optional<safetensors_dtype> dtype_from_name(std::string_view name) {
    for (std::size_t i = 0; i < safetensors_dtypes.size(); ++i) {
        if (safetensors_dtypes[i].name == name) {
            return static_cast<safetensors_dtype>(i);
        }
    }
    return std::nullopt;
}

/// One tensor of a header: its bytes are [begin, end) of the data, which starts right
/// after the header.
struct safetensors_tensor {
    std::string name;
    safetensors_dtype dtype = safetensors_dtype::f32;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

/// A checked header: tensors and metadata in the order of the file.
struct safetensors_header {
    std::vector<safetensors_tensor> tensors;
    std::vector<std::pair<std::string, std::string>> metadata;
    /// N, the length of the JSON text (with its padding).
    std::uint64_t header_length = 0;

    /// The offset of the data within the file: 8 + N.
    [[nodiscard]] std::uint64_t data_offset() const noexcept { return 8 + header_length; }

    /// The data size the tensors need: the largest `end`, 0 if there are none.
    [[nodiscard]] std::uint64_t data_size() const noexcept {
        std::uint64_t size = 0;
        for (const safetensors_tensor& tensor : tensors) {
            size = std::max(size, tensor.end);
        }
        return size;
    }

    /// The tensor called `name`, or null.
    [[nodiscard]] const safetensors_tensor* find(std::string_view name) const noexcept {
        for (const safetensors_tensor& tensor : tensors) {
            if (tensor.name == name) {
                return &tensor;
            }
        }
        return nullptr;
    }
};

/// "[2, 3]" for messages, or "[2,3]" for a header with `separator` ",".
[[nodiscard]] inline std::string shape_list(std::span<const std::uint64_t> numbers,
                                            std::string_view separator = ", ") {
    std::string out = "[";
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        out += std::string(i == 0 ? "" : separator) + std::to_string(numbers[i]);
    }
    return out + "]";
}

/// The number of bytes of a tensor of `shape` and `dtype`, or none if it does not fit 64
/// bits. A shape with a zero has no bytes, whatever its other extents.
[[nodiscard]] constexpr std::optional<std::uint64_t> tensor_byte_count(
    std::span<const std::uint64_t> shape, safetensors_dtype dtype) noexcept {
    if (std::find(shape.begin(), shape.end(), std::uint64_t{0}) != shape.end()) {
        return std::uint64_t{0};
    }
    std::uint64_t bytes = dtype_size(dtype);
    for (const std::uint64_t extent : shape) {
        if (bytes > UINT64_MAX / extent) {
            return std::nullopt;
        }
        bytes *= extent;
    }
    return bytes;
}

/// The unsigned integer `n` little-endian in `count` bytes from `bytes` on.
[[nodiscard]] constexpr std::uint64_t load_le(const unsigned char* bytes,
                                              std::size_t count) noexcept {
    std::uint64_t value = 0;
    for (std::size_t i = count; i-- > 0;) {
        value = (value << 8U) | bytes[i];
    }
    return value;
}

/// Appends the low `count` bytes of `value` to `out`, little-endian.
inline void append_le(std::vector<unsigned char>& out, std::uint64_t value, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(static_cast<unsigned char>(value >> (8U * i)));
    }
}

/// Appends `value` as an F32 element (IEEE binary32, little-endian).
inline void append_f32(std::vector<unsigned char>& out, float value) {
    append_le(out, std::bit_cast<std::uint32_t>(value), 4);
}

/// Appends `value` as an F64 element (IEEE binary64, little-endian).
inline void append_f64(std::vector<unsigned char>& out, double value) {
    append_le(out, std::bit_cast<std::uint64_t>(value), 8);
}

/// The IEEE binary16 number with the bits `bits` as a double, exactly: subnormals,
/// infinities and NaNs (with their payload) included.
[[nodiscard]] constexpr double half_to_double(std::uint16_t bits) noexcept {
    const std::uint64_t sign = static_cast<std::uint64_t>(bits >> 15U) << 63U;
    std::uint64_t exponent = (bits >> 10U) & 0x1FU;
    std::uint64_t fraction = bits & 0x3FFU;
    if (exponent == 0x1FU) {
        exponent = 0x7FF;
    } else if (exponent != 0) {
        exponent += 1023 - 15;
    } else if (fraction != 0) {
        // A subnormal, fraction * 2^-24: normalize so that the leading 1 is implicit.
        exponent = 1023 - 14;
        while ((fraction & 0x400U) == 0) {
            fraction <<= 1U;
            --exponent;
        }
        fraction &= 0x3FFU;
    }
    return std::bit_cast<double>(sign | (exponent << 52U) | (fraction << 42U));
}

/// The bfloat16 number with the bits `bits` (the top half of a binary32) as a double.
[[nodiscard]] constexpr double bfloat16_to_double(std::uint16_t bits) noexcept {
    return static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16U));
}

/// The element at `bytes` of a tensor of `dtype` F64, F32, F16 or BF16, as a double (exact
/// for all four).
/// @pre `bytes` points to `dtype_size(dtype)` readable bytes.
/// @throws std::invalid_argument if `dtype` is not one of these four.
[[nodiscard]] inline double safetensors_value(safetensors_dtype dtype, const unsigned char* bytes) {
    switch (dtype) {
    case safetensors_dtype::f64:
        return std::bit_cast<double>(load_le(bytes, 8));
    case safetensors_dtype::f32:
        return static_cast<double>(
            std::bit_cast<float>(static_cast<std::uint32_t>(load_le(bytes, 4))));
    case safetensors_dtype::f16:
        return half_to_double(static_cast<std::uint16_t>(load_le(bytes, 2)));
    case safetensors_dtype::bf16:
        return bfloat16_to_double(static_cast<std::uint16_t>(load_le(bytes, 2)));
    default:
        detail::raise(std::invalid_argument("ffn::detail::safetensors_value: dtype " +
                                            std::string(dtype_name(dtype)) +
                                            " is not F64, F32, F16 or BF16"));
    }
}

/// The I64 element at `bytes` (8 readable bytes, two's complement, little-endian).
[[nodiscard]] constexpr std::int64_t safetensors_i64(const unsigned char* bytes) noexcept {
    return std::bit_cast<std::int64_t>(load_le(bytes, 8));
}

/// N from the start of a file.
/// @param first_bytes the file's first 8 bytes (or the whole file if it is shorter).
/// @param file_size the size of the whole file in bytes.
/// @param where names the file in messages.
/// @throws ffn::format_error if fewer than 8 bytes are given, or N exceeds 100'000'000 or
///   the bytes the file holds after its first 8.
[[nodiscard]] inline std::uint64_t header_length(std::span<const unsigned char> first_bytes,
                                                 std::uint64_t file_size, std::string_view where) {
    const std::string prefix = std::string(where) + ": ";
    if (first_bytes.size() < 8 || file_size < 8) {
        detail::raise(format_error(
            prefix + "truncated: a safetensors file starts with an 8-byte header length"));
    }
    const std::uint64_t length = load_le(first_bytes.data(), 8);
    if (length > safetensors_max_header_length) {
        detail::raise(format_error(prefix + "the header claims " + std::to_string(length) +
                                   " bytes, more than the limit of " +
                                   std::to_string(safetensors_max_header_length)));
    }
    if (length > file_size - 8) {
        detail::raise(format_error(prefix + "the header claims " + std::to_string(length) +
                                   " bytes, the file holds only " + std::to_string(file_size - 8) +
                                   " after its first 8 bytes"));
    }
    return length;
}

/// What a JSON value is, for a message: a number's text, otherwise its kind.
[[nodiscard]] inline std::string json_description(const json_value& value) {
    using kind = json_value::kind_type;
    switch (value.kind) {
    case kind::number:
        return value.text.size() <= 40 ? value.text : value.text.substr(0, 40) + "...";
    case kind::string:
        return "a string";
    case kind::array:
        return "an array";
    case kind::object:
        return "an object";
    case kind::boolean:
        return value.boolean ? "true" : "false";
    default:
        return "null";
    }
}

/// The elements of the array `value`, which must all be unsigned integers.
/// @throws ffn::format_error naming `what` (e.g. "tensor 'w': 'shape'") otherwise.
[[nodiscard]] inline std::vector<std::uint64_t> uint_array(const json_value& value,
                                                           const std::string& what) {
    if (!value.is_array()) {
        detail::raise(format_error(what + " must be an array of unsigned integers, not " +
                                   json_description(value)));
    }
    std::vector<std::uint64_t> numbers;
    numbers.reserve(value.elements.size());
    for (const json_value& element : value.elements) {
        const std::optional<std::uint64_t> number = element.as_uint();
        if (!number) {
            detail::raise(format_error(what + " must hold unsigned integers of 64 bits, element " +
                                       std::to_string(numbers.size()) + " is " +
                                       json_description(element)));
        }
        numbers.push_back(*number);
    }
    return numbers;
}

/// One tensor's entry `{"dtype": ..., "shape": [...], "data_offsets": [begin, end]}`.
[[nodiscard]] inline safetensors_tensor parse_tensor_entry(const std::string& name,
                                                           const json_value& entry,
                                                           const std::string& prefix) {
    const std::string tensor = prefix + "tensor " + quoted_name(name);
    if (name.empty()) {
        detail::raise(format_error(prefix + "a tensor has an empty name"));
    }
    if (!entry.is_object()) {
        detail::raise(format_error(tensor + " must be an object, not " + json_description(entry)));
    }
    for (const json_member& member : entry.members) {
        if (member.key != "dtype" && member.key != "shape" && member.key != "data_offsets") {
            detail::raise(format_error(tensor + " has the key " + quoted_name(member.key) +
                                       "; an entry has only 'dtype', 'shape' and 'data_offsets'"));
        }
    }
    const auto get = [&](std::string_view key) -> const json_value& {
        const json_value* value = entry.find(key);
        if (value == nullptr) {
            detail::raise(format_error(tensor + " has no " + quoted_name(key)));
        }
        return *value;
    };
    safetensors_tensor out;
    out.name = name;
    const json_value& dtype = get("dtype");
    if (!dtype.is_string()) {
        detail::raise(
            format_error(tensor + ": 'dtype' must be a string, not " + json_description(dtype)));
    }
    const std::optional<safetensors_dtype> known = dtype_from_name(dtype.text);
    if (!known) {
        detail::raise(format_error(tensor + " has dtype " + quoted_name(dtype.text) +
                                   ", which is not a safetensors dtype"));
    }
    out.dtype = *known;
    out.shape = uint_array(get("shape"), tensor + ": 'shape'");
    const std::vector<std::uint64_t> offsets =
        uint_array(get("data_offsets"), tensor + ": 'data_offsets'");
    if (offsets.size() != 2) {
        detail::raise(format_error(tensor +
                                   ": 'data_offsets' must hold 2 numbers [begin, end], not " +
                                   std::to_string(offsets.size())));
    }
    out.begin = offsets[0];
    out.end = offsets[1];
    const std::string described = tensor + " has shape " + shape_list(out.shape) + " of " +
                                  std::string(dtype_name(out.dtype));
    const std::optional<std::uint64_t> bytes = tensor_byte_count(out.shape, out.dtype);
    if (!bytes) {
        detail::raise(format_error(described + ", whose size in bytes does not fit 64 bits"));
    }
    if (out.begin > out.end) {
        detail::raise(format_error(tensor + " has data_offsets " + shape_list(offsets) +
                                   ", which end before they begin"));
    }
    if (*bytes != out.end - out.begin) {
        detail::raise(format_error(described + ", " + std::to_string(*bytes) +
                                   " bytes, but data_offsets " + shape_list(offsets) + " span " +
                                   std::to_string(out.end - out.begin)));
    }
    return out;
}

/// Parses and checks the N bytes of JSON after the header length: everything but the
/// tensors' layout within the data (see `check_layout`).
/// @param where names the file in messages.
/// @throws ffn::format_error if the text is not a JSON object (starting with '{' at its
///   first byte), a tensor's entry is wrong (name empty; keys missing, extra or of the
///   wrong type; an unknown dtype; a size that overflows or contradicts its offsets), or
///   `__metadata__` is not an object of strings.
[[nodiscard]] inline safetensors_header parse_safetensors_header(std::string_view json,
                                                                 std::string_view where) {
    const std::string prefix = std::string(where) + ": ";
    if (json.empty() || json.front() != '{') {
        detail::raise(format_error(prefix + "the header does not start with '{'"));
    }
    const json_value root = parse_json(json, where);
    if (!root.is_object()) {
        detail::raise(format_error(prefix + "the header must be a JSON object"));
    }
    safetensors_header header;
    header.header_length = json.size();
    for (const auto& [name, entry] : root.members) {
        if (name != "__metadata__") {
            header.tensors.push_back(parse_tensor_entry(name, entry, prefix));
            continue;
        }
        if (!entry.is_object()) {
            detail::raise(format_error(prefix + "'__metadata__' must be an object, not " +
                                       json_description(entry)));
        }
        for (const auto& [key, value] : entry.members) {
            if (!value.is_string()) {
                detail::raise(format_error(prefix + "metadata " + quoted_name(key) +
                                           " must have a string value, not " +
                                           json_description(value)));
            }
            header.metadata.emplace_back(key, value.text);
        }
    }
    return header;
}

/// Checks that the tensors, sorted by where they begin, tile [0, data_size) exactly.
/// @param data_size the bytes the file holds after its header.
/// @throws ffn::format_error naming the tensors and byte ranges if two tensors overlap,
///   bytes belong to no tensor (within or after the tensors), or a tensor ends past the
///   data.
inline void check_layout(const safetensors_header& header, std::uint64_t data_size,
                         std::string_view where) {
    const std::string prefix = std::string(where) + ": ";
    const auto& tensors = header.tensors;
    // Appended piece by piece: g++ 12 at -O3 warns wrongly about chains of string additions.
    const auto range = [&](std::size_t i) {
        std::string text = "[";
        text += std::to_string(tensors[i].begin);
        text += ", ";
        text += std::to_string(tensors[i].end);
        text += ")";
        return text;
    };
    std::vector<std::size_t> order(tensors.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto& x = tensors[a];
        const auto& y = tensors[b];
        return x.begin != y.begin ? x.begin < y.begin : x.end != y.end ? x.end < y.end : a < b;
    });
    std::uint64_t covered = 0; // [0, covered) belongs to the tensors so far
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t i = order[k];
        if (tensors[i].begin < covered) {
            const std::size_t before = order[k - 1];
            detail::raise(format_error(prefix + "tensors " + quoted_name(tensors[before].name) +
                                       " " + range(before) + " and " +
                                       quoted_name(tensors[i].name) + " " + range(i) + " overlap"));
        }
        if (tensors[i].begin > covered) {
            detail::raise(format_error(prefix + "bytes [" + std::to_string(covered) + ", " +
                                       std::to_string(tensors[i].begin) +
                                       ") of the data belong to no tensor"));
        }
        if (tensors[i].end > data_size) {
            detail::raise(format_error(prefix + "tensor " + quoted_name(tensors[i].name) +
                                       " ends at byte " + std::to_string(tensors[i].end) +
                                       ", the data holds " + std::to_string(data_size) + " bytes"));
        }
        covered = tensors[i].end;
    }
    if (covered < data_size) {
        detail::raise(format_error(prefix + "bytes [" + std::to_string(covered) + ", " +
                                   std::to_string(data_size) + ") of the data belong to no tensor" +
                                   (tensors.empty() ? "" : " (they follow the last one)")));
    }
}

/// Reads and checks a whole safetensors file held in memory. The data then starts at
/// `data_offset()` in `file`, and each tensor's bytes are [begin, end) from there.
/// @param where names the file in messages.
/// @throws ffn::format_error for anything `header_length`, `parse_safetensors_header` and
///   `check_layout` reject.
[[nodiscard]] inline safetensors_header parse_safetensors(std::span<const unsigned char> file,
                                                          std::string_view where) {
    const std::uint64_t length =
        header_length(file.first(std::min<std::size_t>(file.size(), 8)), file.size(), where);
    const auto json = std::string_view(reinterpret_cast<const char*>(file.data()) + 8,
                                       static_cast<std::size_t>(length));
    safetensors_header header = parse_safetensors_header(json, where);
    check_layout(header, file.size() - 8 - length, where);
    return header;
}

/// One tensor to write: `bytes` holds its elements already encoded, little-endian and
/// row-major (see `append_f32`, `append_f64`, `append_le`).
struct safetensors_output {
    std::string name;
    safetensors_dtype dtype = safetensors_dtype::f32;
    std::vector<std::uint64_t> shape;
    std::vector<unsigned char> bytes;
};

/// A safetensors file holding `tensors`, their data contiguous in the given order, and
/// `metadata` as `__metadata__` (left out if empty); the header is padded with spaces to a
/// multiple of 8 bytes, so the data starts aligned.
/// @throws std::invalid_argument naming the tensor or key if a name is empty, repeated,
///   `__metadata__` or not UTF-8, a metadata key repeats or a key or value is not UTF-8, a
///   dtype is not an enumerator, `bytes` does not hold shape * dtype size bytes, or the
///   header would exceed the 100'000'000 bytes a reader accepts.
[[nodiscard]] inline std::vector<unsigned char> write_safetensors(
    std::span<const safetensors_output> tensors,
    std::span<const std::pair<std::string, std::string>> metadata = {}) {
    const std::string prefix = "ffn::detail::write_safetensors: ";
    const auto refuse_repeats = [&](const auto& items, const auto& name_of, const char* what) {
        std::vector<std::string_view> names;
        for (const auto& item : items) {
            names.push_back(name_of(item));
        }
        std::sort(names.begin(), names.end());
        const auto repeat = std::adjacent_find(names.begin(), names.end());
        if (repeat != names.end()) {
            detail::raise(
                std::invalid_argument(prefix + what + " " + quoted_name(*repeat) + " repeats"));
        }
    };
    refuse_repeats(
        tensors, [](const safetensors_output& t) -> std::string_view { return t.name; },
        "the tensor name");
    refuse_repeats(
        metadata, [](const auto& m) -> std::string_view { return m.first; }, "the metadata key");

    std::string json = "{";
    if (!metadata.empty()) {
        json += "\"__metadata__\":{";
        for (const auto& [key, value] : metadata) {
            if (!is_valid_utf8(key) || !is_valid_utf8(value)) {
                detail::raise(std::invalid_argument(prefix + "metadata " + quoted_name(key) +
                                                    " has a key or value that is not UTF-8"));
            }
            append_json_string(json, key);
            json += ':';
            append_json_string(json, value);
            json += ',';
        }
        json.back() = '}';
        json += ',';
    }
    std::uint64_t offset = 0;
    for (const safetensors_output& tensor : tensors) {
        const std::string what = prefix + "tensor " + quoted_name(tensor.name);
        if (tensor.name.empty() || tensor.name == "__metadata__" || !is_valid_utf8(tensor.name)) {
            detail::raise(std::invalid_argument(what + ": a name must be UTF-8, not empty and not "
                                                       "'__metadata__'"));
        }
        if (!is_known_dtype(tensor.dtype)) {
            detail::raise(std::invalid_argument(what + " has a dtype that is not an enumerator"));
        }
        const std::optional<std::uint64_t> bytes = tensor_byte_count(tensor.shape, tensor.dtype);
        if (!bytes || *bytes != tensor.bytes.size()) {
            detail::raise(std::invalid_argument(what + " has shape " + shape_list(tensor.shape) +
                                                " of " + std::string(dtype_name(tensor.dtype)) +
                                                " but " + std::to_string(tensor.bytes.size()) +
                                                " bytes"));
        }
        append_json_string(json, tensor.name);
        json += ":{\"dtype\":\"" + std::string(dtype_name(tensor.dtype)) +
                "\",\"shape\":" + shape_list(tensor.shape, ",") + ",\"data_offsets\":[" +
                std::to_string(offset) + "," + std::to_string(offset + *bytes) + "]},";
        offset += *bytes;
    }
    if (json.size() > 1) {
        json.back() = '}';
    } else {
        json += '}';
    }
    json.resize((json.size() + 7) / 8 * 8, ' ');
    if (json.size() > safetensors_max_header_length) {
        detail::raise(std::invalid_argument(prefix + "the header would take " +
                                            std::to_string(json.size()) + " bytes, more than the " +
                                            std::to_string(safetensors_max_header_length) +
                                            " a reader accepts"));
    }

    std::vector<unsigned char> file;
    file.reserve(8 + json.size() + static_cast<std::size_t>(offset));
    append_le(file, json.size(), 8);
    file.insert(file.end(), json.begin(), json.end());
    for (const safetensors_output& tensor : tensors) {
        file.insert(file.end(), tensor.bytes.begin(), tensor.bytes.end());
    }
    return file;
}

} // namespace ffn::detail
