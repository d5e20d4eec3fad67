// SPDX-License-Identifier: MIT
// The safetensors container: hand-built files that the reader must accept or refuse with a
// message naming the tensor and the numbers, the conversions of F16, BF16, F32, F64 and I64
// elements, and files written by write_safetensors read back exactly.

// g++ 12 at -O3 warns wrongly about the string additions that build these tests' headers
// (memcpy bounds beyond the largest object, which no input can reach).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include <bit>
#include <cstddef>
#include <cmath>
#include <cstdint>
#include <iomanip> // std::quoted, which argument-dependent lookup must not pick
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include <ffn/detail/safetensors_file.hpp>

namespace {

namespace st = ffn::detail;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

using bytes = std::vector<unsigned char>;

/// A file: `length` as the 8-byte header length, then `header`, then `data_size` bytes
/// counting 0, 1, 2, ...
bytes raw_file(std::uint64_t length, std::string_view header, std::size_t data_size) {
    bytes file;
    st::append_le(file, length, 8);
    file.insert(file.end(), header.begin(), header.end());
    for (std::size_t i = 0; i < data_size; ++i) {
        file.push_back(static_cast<unsigned char>(i));
    }
    return file;
}

/// A file whose header length is right for `header`.
bytes file_of(std::string_view header, std::size_t data_size) {
    return raw_file(header.size(), header, data_size);
}

/// `{"name": {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}}` as JSON text,
/// without the braces around it.
std::string entry(std::string_view name, std::string_view dtype, std::string_view shape,
                  std::uint64_t begin, std::uint64_t end) {
    // Appended piece by piece: g++ 12 at -O3 warns wrongly about chains of string additions.
    std::string text = "\"";
    text.append(name).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":");
    text.append(shape).append(",\"data_offsets\":[").append(std::to_string(begin));
    text.append(",").append(std::to_string(end)).append("]}");
    return text;
}

st::safetensors_header parse(const bytes& file) {
    return st::parse_safetensors(file, "model.safetensors");
}

/// The message of the ffn::format_error that reading `file` throws, or "no error".
std::string error_of(const bytes& file) {
    try {
        (void)parse(file);
    } catch (const ffn::format_error& e) {
        return e.what();
    }
    return "no error";
}

/// The message of the ffn::format_error for a file with `header` and `data_size` bytes.
std::string error_of(std::string_view header, std::size_t data_size = 0) {
    return error_of(file_of(header, data_size));
}

std::string invalid_argument_of(std::span<const st::safetensors_output> tensors,
                                std::span<const std::pair<std::string, std::string>> meta = {}) {
    try {
        (void)st::write_safetensors(tensors, meta);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no error";
}

double f16(std::uint16_t bits) {
    const unsigned char b[2] = {static_cast<unsigned char>(bits),
                                static_cast<unsigned char>(bits >> 8U)};
    return st::safetensors_value(st::safetensors_dtype::f16, b);
}

double bf16(std::uint16_t bits) {
    const unsigned char b[2] = {static_cast<unsigned char>(bits),
                                static_cast<unsigned char>(bits >> 8U)};
    return st::safetensors_value(st::safetensors_dtype::bf16, b);
}

std::uint64_t bits_of(double value) { return std::bit_cast<std::uint64_t>(value); }

} // namespace

TEST_CASE("safetensors: a valid file gives its tensors in file order and where they are", "[io]") {
    const std::string header = "{" + entry("w", "F32", "[2,3]", 8, 32) + "," +
                               entry("b", "F64", "[1]", 0, 8) + "," +
                               entry("empty", "I64", "[0,5]", 32, 32) + "}";
    const bytes file = file_of(header, 32);
    const st::safetensors_header h = parse(file);
    REQUIRE(h.tensors.size() == 3);
    CHECK(h.tensors[0].name == "w");
    CHECK(h.tensors[0].dtype == st::safetensors_dtype::f32);
    CHECK(h.tensors[0].shape == std::vector<std::uint64_t>{2, 3});
    CHECK(h.tensors[0].begin == 8);
    CHECK(h.tensors[0].end == 32);
    CHECK(h.tensors[1].name == "b");
    CHECK(h.tensors[1].dtype == st::safetensors_dtype::f64);
    CHECK(h.tensors[2].shape == std::vector<std::uint64_t>{0, 5});
    CHECK(h.metadata.empty());
    CHECK(h.header_length == header.size());
    CHECK(h.data_offset() == 8 + header.size());
    CHECK(h.data_size() == 32);
    REQUIRE(h.find("b") != nullptr);
    CHECK(h.find("b")->end == 8);
    CHECK(h.find("nope") == nullptr);
    // The data of "w" starts at data_offset() + 8: the bytes counting from 8.
    CHECK(file[h.data_offset() + h.tensors[0].begin] == 8);
}

TEST_CASE("safetensors: the 8-byte header length is checked before anything is read", "[io]") {
    CHECK_THAT(error_of(bytes{}),
               Contains("model.safetensors: truncated: a safetensors file starts with an "
                        "8-byte header length"));
    CHECK_THAT(error_of(bytes{2, 0, 0, 0, 0, 0, 0}), Contains("truncated"));
    CHECK_THAT(error_of(raw_file(100, "{}", 0)),
               Contains("the header claims 100 bytes, the file holds only 2 after its first 8 "
                        "bytes"));
    CHECK_THAT(error_of(raw_file(100'000'001, "{}", 0)),
               Contains("the header claims 100000001 bytes, more than the limit of 100000000"));
    CHECK_THAT(error_of(raw_file(UINT64_MAX, "{}", 0)),
               Contains("the header claims 18446744073709551615 bytes, more than the limit"));
    CHECK_THAT(error_of(raw_file(3, "{}", 0)),
               Contains("the header claims 3 bytes, the file holds only 2 after its first 8"));
    CHECK_THAT(error_of(raw_file(0, "", 0)), Contains("the header does not start with '{'"));

    // header_length alone, as a reader streaming a file uses it.
    const bytes start = raw_file(100'000'000, "", 0);
    CHECK(st::header_length(start, 8 + 100'000'000, "f") == 100'000'000);
    CHECK_THAT(std::string([&]() -> std::string {
                   try {
                       (void)st::header_length(start, 8 + 99'999'999, "f");
                   } catch (const ffn::format_error& e) {
                       return e.what();
                   }
                   return "no error";
               }()),
               Contains("f: the header claims 100000000 bytes, the file holds only 99999999 "
                        "after its first 8 bytes"));
    REQUIRE_THROWS_WITH(st::header_length(std::span(start).first(7), 1000, "f"),
                        Contains("f: truncated"));
    REQUIRE_THROWS_WITH(st::header_length(start, 5, "f"), Contains("f: truncated"));
}

TEST_CASE("safetensors: the header must be a JSON object starting at its first byte", "[io]") {
    CHECK_THAT(error_of(" {}"), Contains("model.safetensors: the header does not start with '{'"));
    CHECK_THAT(error_of("[]"), Contains("the header does not start with '{'"));
    CHECK_THAT(error_of("{"), Contains("model.safetensors: the header is not valid JSON: "
                                       "expected a string key, found end of text at byte 1"));
    CHECK_THAT(error_of(R"({"a" {}})"),
               Contains("the header is not valid JSON: expected ':' after an object key at byte "
                        "5"));
    CHECK_THAT(error_of("{}x"), Contains("unexpected 'x' after the value at byte 2"));
    CHECK_THAT(error_of(R"({"a":1,"a":2})"), Contains("duplicate object key \"a\" at byte 7"));
    // A tensor name must be valid UTF-8 like any JSON string.
    CHECK_THAT(error_of("{\"\xED\xA0\x80\":1}"), Contains("invalid UTF-8 in a string at byte 2"));
    // No tensors at all is a valid (empty) file.
    CHECK(parse(file_of("{}", 0)).tensors.empty());
}

TEST_CASE("safetensors: a header padded with spaces is accepted, other padding is not", "[io]") {
    const std::string header = "{" + entry("x", "F32", "[1]", 0, 4) + "}";
    const st::safetensors_header h = parse(file_of(header + "       ", 4));
    REQUIRE(h.tensors.size() == 1);
    CHECK(h.tensors[0].name == "x");
    CHECK(h.header_length == header.size() + 7);
    CHECK(h.data_offset() == 8 + header.size() + 7);
    CHECK_THAT(
        error_of(header + std::string(3, '\0'), 4),
        Contains("unexpected byte 0x00 after the value at byte " + std::to_string(header.size())));
}

TEST_CASE("safetensors: each tensor entry has exactly dtype, shape and data_offsets", "[io]") {
    CHECK_THAT(error_of(R"({"":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})", 4),
               Contains("model.safetensors: a tensor has an empty name"));
    CHECK_THAT(error_of(R"({"w":[1]})"), Contains("tensor 'w' must be an object, not an array"));
    CHECK_THAT(error_of(R"({"w":7})"), Contains("tensor 'w' must be an object, not 7"));
    CHECK_THAT(error_of(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", 4),
               Contains("tensor 'w' has no 'dtype'"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", 4),
               Contains("tensor 'w' has no 'shape'"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":[1]}})", 4),
               Contains("tensor 'w' has no 'data_offsets'"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}})", 4),
               Contains("tensor 'w' has the key 'x'; an entry has only 'dtype', 'shape' and "
                        "'data_offsets'"));
    CHECK_THAT(error_of(R"({"w":{"Dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4),
               Contains("tensor 'w' has the key 'Dtype'"));
    CHECK_THAT(error_of(R"({"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}})", 4),
               Contains("tensor 'w': 'dtype' must be a string, not 32"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":1,"data_offsets":[0,4]}})", 4),
               Contains("tensor 'w': 'shape' must be an array of unsigned integers, not 1"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,4]}})", 4),
               Contains("tensor 'w': 'shape' must hold unsigned integers of 64 bits, element 1 "
                        "is -1"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}})", 4),
               Contains("element 0 is 1.0"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}})", 4),
               Contains("element 0 is a string"));
    CHECK_THAT(
        error_of(R"({"w":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,4]}})", 4),
        Contains("element 0 is 18446744073709551616"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}})", 4),
               Contains("tensor 'w': 'data_offsets' must hold 2 numbers [begin, end], not 3"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4]}})", 4),
               Contains("'data_offsets' must hold 2 numbers [begin, end], not 1"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,null]}})", 4),
               Contains("tensor 'w': 'data_offsets' must hold unsigned integers of 64 bits, "
                        "element 1 is null"));
    CHECK_THAT(error_of(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":{}}})", 4),
               Contains("'data_offsets' must be an array of unsigned integers, not an object"));
    // A name with a control character is shown escaped.
    CHECK_THAT(error_of(R"({"a\nb":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"q":0}})", 4),
               Contains("tensor 'a\\x0ab' has the key 'q'"));
}

TEST_CASE("safetensors: the fifteen dtypes and their sizes, and nothing else", "[io]") {
    const std::pair<const char*, std::uint64_t> dtypes[] = {
        {"BOOL", 1}, {"U8", 1},   {"I8", 1},  {"U16", 2},     {"I16", 2},
        {"F16", 2},  {"BF16", 2}, {"U32", 4}, {"I32", 4},     {"F32", 4},
        {"U64", 8},  {"I64", 8},  {"F64", 8}, {"F8_E4M3", 1}, {"F8_E5M2", 1}};
    std::size_t index = 0;
    for (const auto& [name, size] : dtypes) {
        const st::safetensors_header h =
            parse(file_of("{" + entry("t", name, "[3]", 0, 3 * size) + "}", 3 * size));
        CHECK(h.tensors[0].dtype == static_cast<st::safetensors_dtype>(index));
        CHECK(st::dtype_name(h.tensors[0].dtype) == name);
        CHECK(st::dtype_size(h.tensors[0].dtype) == size);
        // One byte too few for the dtype's size is a mismatch.
        CHECK_THAT(error_of("{" + entry("t", name, "[3]", 0, 3 * size - 1) + "}", 3 * size - 1),
                   Contains("tensor 't' has shape [3] of " + std::string(name)));
        ++index;
    }
    CHECK_THAT(error_of("{" + entry("x", "F128", "[1]", 0, 16) + "}", 16),
               Contains("model.safetensors: tensor 'x' has dtype 'F128', which is not a "
                        "safetensors dtype"));
    CHECK_THAT(error_of("{" + entry("x", "f32", "[1]", 0, 4) + "}", 4),
               Contains("tensor 'x' has dtype 'f32', which is not a safetensors dtype"));
    CHECK_THAT(error_of("{" + entry("x", "", "[1]", 0, 4) + "}", 4),
               Contains("tensor 'x' has dtype '', which is not"));
    CHECK(st::dtype_name(static_cast<st::safetensors_dtype>(200)) == "unknown");
    CHECK_FALSE(st::dtype_from_name("F32 "));
}

TEST_CASE("safetensors: the byte count of shape and dtype must match data_offsets", "[io]") {
    CHECK_THAT(error_of("{" + entry("w", "F32", "[2,3]", 0, 20) + "}", 20),
               Contains("model.safetensors: tensor 'w' has shape [2, 3] of F32, 24 bytes, but "
                        "data_offsets [0, 20] span 20"));
    CHECK_THAT(error_of("{" + entry("w", "F32", "[2,3]", 0, 28) + "}", 28),
               Contains("24 bytes, but data_offsets [0, 28] span 28"));
    CHECK_THAT(error_of("{" + entry("w", "F32", "[1]", 8, 4) + "}", 8),
               Contains("tensor 'w' has data_offsets [8, 4], which end before they begin"));
    // A scalar (shape []) holds one element.
    CHECK(parse(file_of("{" + entry("s", "F64", "[]", 0, 8) + "}", 8)).tensors[0].shape.empty());
    CHECK_THAT(error_of("{" + entry("s", "F64", "[]", 0, 0) + "}", 0),
               Contains("tensor 's' has shape [] of F64, 8 bytes, but data_offsets [0, 0] span 0"));
}

TEST_CASE("safetensors: a size in bytes that overflows 64 bits is refused", "[io]") {
    // 2^32 * 2^32 elements overflow on their own; 2^31 * 2^31 F32 elements only with the
    // element size; 2^61 F64 elements as well.
    CHECK_THAT(error_of("{" + entry("w", "U8", "[4294967296,4294967296]", 0, 0) + "}"),
               Contains("tensor 'w' has shape [4294967296, 4294967296] of U8, whose size in "
                        "bytes does not fit 64 bits"));
    CHECK_THAT(error_of("{" + entry("w", "F32", "[2147483648,2147483648]", 0, 0) + "}"),
               Contains("whose size in bytes does not fit 64 bits"));
    CHECK_THAT(error_of("{" + entry("w", "F64", "[2305843009213693952]", 0, 0) + "}"),
               Contains("tensor 'w' has shape [2305843009213693952] of F64, whose size"));
    // Just below the limit it is a plain mismatch with the offsets.
    CHECK_THAT(error_of("{" + entry("w", "F64", "[2305843009213693951]", 0, 0) + "}"),
               Contains("18446744073709551608 bytes, but data_offsets [0, 0] span 0"));
    // A zero extent makes any shape empty.
    const st::safetensors_header h =
        parse(file_of("{" + entry("z", "F64", "[4294967296,4294967296,0]", 0, 0) + "}", 0));
    CHECK(h.tensors[0].shape.size() == 3);
}

TEST_CASE("safetensors: __metadata__ is an object of strings, kept in file order", "[io]") {
    const std::string header =
        R"({"__metadata__":{"format":"pt","b":"2","a":""},)" + entry("w", "F32", "[1]", 0, 4) + "}";
    const st::safetensors_header h = parse(file_of(header, 4));
    REQUIRE(h.metadata.size() == 3);
    CHECK(h.metadata[0] == std::pair<std::string, std::string>{"format", "pt"});
    CHECK(h.metadata[1] == std::pair<std::string, std::string>{"b", "2"});
    CHECK(h.metadata[2] == std::pair<std::string, std::string>{"a", ""});
    REQUIRE(h.tensors.size() == 1); // __metadata__ is not a tensor
    CHECK(h.tensors[0].name == "w");

    CHECK_THAT(error_of(R"({"__metadata__":{"format":"pt","epochs":3}})"),
               Contains("model.safetensors: metadata 'epochs' must have a string value, not 3"));
    CHECK_THAT(error_of(R"({"__metadata__":{"nested":{"a":"b"}}})"),
               Contains("metadata 'nested' must have a string value, not an object"));
    CHECK_THAT(error_of(R"({"__metadata__":["a"]})"),
               Contains("'__metadata__' must be an object, not an array"));
    CHECK_THAT(error_of(R"({"__metadata__":"x"})"),
               Contains("'__metadata__' must be an object, not a string"));
    CHECK_THAT(error_of(R"({"__metadata__":{},"__metadata__":{}})"),
               Contains("duplicate object key \"__metadata__\""));
}

TEST_CASE("safetensors: tensors must tile the data exactly", "[io]") {
    SECTION("overlap") {
        const std::string header =
            "{" + entry("a", "F32", "[6]", 0, 24) + "," + entry("b", "F32", "[6]", 16, 40) + "}";
        CHECK_THAT(error_of(header, 40),
                   Contains("model.safetensors: tensors 'a' [0, 24) and 'b' [16, 40) overlap"));
        // The same tensors listed the other way round: sorted by where they begin.
        const std::string reversed =
            "{" + entry("b", "F32", "[6]", 16, 40) + "," + entry("a", "F32", "[6]", 0, 24) + "}";
        CHECK_THAT(error_of(reversed, 40),
                   Contains("tensors 'a' [0, 24) and 'b' [16, 40) overlap"));
        // Two tensors on the same bytes.
        const std::string same =
            "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "I64", "[1]", 0, 8) + "}";
        CHECK_THAT(error_of(same, 8), Contains("tensors 'a' [0, 8) and 'b' [0, 8) overlap"));
        // A zero-sized tensor inside another one.
        const std::string inside =
            "{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("e", "F32", "[0]", 8, 8) + "}";
        CHECK_THAT(error_of(inside, 16), Contains("tensors 'a' [0, 16) and 'e' [8, 8) overlap"));
    }
    SECTION("hole") {
        const std::string header =
            "{" + entry("a", "F32", "[6]", 0, 24) + "," + entry("b", "F32", "[2]", 32, 40) + "}";
        CHECK_THAT(error_of(header, 40),
                   Contains("model.safetensors: bytes [24, 32) of the data belong to no tensor"));
        const std::string late = "{" + entry("a", "F32", "[1]", 4, 8) + "}";
        CHECK_THAT(error_of(late, 8), Contains("bytes [0, 4) of the data belong to no tensor"));
    }
    SECTION("past the end") {
        const std::string header =
            "{" + entry("a", "F32", "[6]", 0, 24) + "," + entry("b", "F32", "[4]", 24, 40) + "}";
        CHECK_THAT(error_of(header, 32),
                   Contains("model.safetensors: tensor 'b' ends at byte 40, the data holds 32 "
                            "bytes"));
        CHECK_THAT(error_of(header, 0), Contains("tensor 'a' ends at byte 24, the data holds 0"));
    }
    SECTION("trailing data") {
        const std::string header = "{" + entry("a", "F32", "[6]", 0, 24) + "}";
        CHECK_THAT(error_of(header, 32),
                   Contains("model.safetensors: bytes [24, 32) of the data belong to no tensor "
                            "(they follow the last one)"));
        CHECK_THAT(error_of("{}", 4), Contains("bytes [0, 4) of the data belong to no tensor"));
        CHECK_THAT(error_of("{}", 4), !Contains("follow the last one"));
    }
    SECTION("zero-sized tensors at the edges of others are fine") {
        const std::string header =
            "{" + entry("z0", "F32", "[0]", 0, 0) + "," + entry("a", "F32", "[2]", 0, 8) + "," +
            entry("z1", "F32", "[0,3]", 8, 8) + "," + entry("z2", "BF16", "[0]", 8, 8) + "," +
            entry("b", "F32", "[1]", 8, 12) + "," + entry("z3", "U8", "[0]", 12, 12) + "}";
        const st::safetensors_header h = parse(file_of(header, 12));
        CHECK(h.tensors.size() == 6);
        CHECK(h.data_size() == 12);
        // Past the end, a zero-sized tensor is still past the end.
        const std::string beyond =
            "{" + entry("a", "F32", "[3]", 0, 12) + "," + entry("z", "F32", "[0]", 16, 16) + "}";
        CHECK_THAT(error_of(beyond, 12),
                   Contains("bytes [12, 16) of the data belong to no tensor"));
    }
}

TEST_CASE("safetensors: check_layout checks a parsed header against the real data size", "[io]") {
    const std::string json =
        "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F64", "[1]", 8, 16) + "}";
    const st::safetensors_header h = st::parse_safetensors_header(json, "f");
    CHECK(h.data_size() == 16);
    CHECK(h.header_length == json.size());
    CHECK_NOTHROW(st::check_layout(h, 16, "f"));
    REQUIRE_THROWS_WITH(st::check_layout(h, 12, "f"),
                        Contains("f: tensor 'b' ends at byte 16, the data holds 12 bytes"));
    REQUIRE_THROWS_WITH(st::check_layout(h, 17, "f"),
                        Contains("f: bytes [16, 17) of the data belong to no tensor"));
    REQUIRE_THROWS_AS(st::parse_safetensors_header("", "f"), ffn::format_error);
    REQUIRE_THROWS_WITH(st::parse_safetensors_header("", "f"),
                        StartsWith("f: the header does not start with '{'"));
}

TEST_CASE("safetensors: F16 elements convert exactly, subnormals and specials included", "[io]") {
    CHECK(f16(0x3C00) == 1.0);
    CHECK(f16(0xC000) == -2.0);
    CHECK(f16(0x3555) == 0.333251953125);
    CHECK(f16(0x0001) == 0x1p-24);        // the smallest subnormal
    CHECK(f16(0x03FF) == 1023 * 0x1p-24); // the largest subnormal
    CHECK(f16(0x0400) == 0x1p-14);        // the smallest normal
    CHECK(f16(0x7BFF) == 65504.0);        // the largest finite
    CHECK(f16(0x7C00) == std::numeric_limits<double>::infinity());
    CHECK(f16(0xFC00) == -std::numeric_limits<double>::infinity());
    CHECK(bits_of(f16(0x0000)) == 0);
    CHECK(bits_of(f16(0x8000)) == 0x8000000000000000U); // -0
    CHECK(std::isnan(f16(0x7E00)));
    CHECK(std::isnan(f16(0x7C01)));
    CHECK(std::isnan(f16(0xFFFF)));
    STATIC_REQUIRE(st::half_to_double(0x3C00) == 1.0);

    // Every one of the 65536 values against the definition of binary16.
    for (std::uint32_t bits = 0; bits < 0x10000U; ++bits) {
        const std::uint32_t exponent = (bits >> 10U) & 0x1FU;
        const std::uint32_t fraction = bits & 0x3FFU;
        const double sign = (bits & 0x8000U) != 0 ? -1.0 : 1.0;
        const double value = f16(static_cast<std::uint16_t>(bits));
        if (exponent == 0x1F) {
            if (fraction == 0) {
                REQUIRE(value == sign * std::numeric_limits<double>::infinity());
            } else {
                REQUIRE(std::isnan(value));
            }
        } else if (exponent == 0) {
            REQUIRE(bits_of(value) == bits_of(sign * std::ldexp(fraction, -24)));
        } else {
            REQUIRE(value == sign * std::ldexp(1024 + fraction, static_cast<int>(exponent) - 25));
        }
    }
}

TEST_CASE("safetensors: BF16, F32, F64 and I64 elements convert exactly", "[io]") {
    CHECK(bf16(0x3F80) == 1.0);
    CHECK(bf16(0x4049) == 3.140625);
    CHECK(bf16(0xC000) == -2.0);
    CHECK(bf16(0x0001) == 0x1p-133); // a subnormal of binary32
    CHECK(bf16(0x7F7F) == 0x1.fep127);
    CHECK(bf16(0x7F80) == std::numeric_limits<double>::infinity());
    CHECK(std::isnan(bf16(0x7FC0)));
    CHECK(bits_of(bf16(0x8000)) == 0x8000000000000000U);

    const unsigned char one_f32[4] = {0x00, 0x00, 0x80, 0x3F};
    CHECK(st::safetensors_value(st::safetensors_dtype::f32, one_f32) == 1.0);
    const unsigned char pi_f32[4] = {0xDB, 0x0F, 0x49, 0x40}; // 0x40490FDB
    CHECK(st::safetensors_value(st::safetensors_dtype::f32, pi_f32) ==
          static_cast<double>(3.14159274101257324f));
    const unsigned char tenth_f64[8] = {0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0x3F};
    CHECK(st::safetensors_value(st::safetensors_dtype::f64, tenth_f64) == 0.1);
    const unsigned char minus_two_f64[8] = {0, 0, 0, 0, 0, 0, 0x00, 0xC0};
    CHECK(st::safetensors_value(st::safetensors_dtype::f64, minus_two_f64) == -2.0);

    const unsigned char minus_one[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    CHECK(st::safetensors_i64(minus_one) == -1);
    const unsigned char big[8] = {0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01};
    CHECK(st::safetensors_i64(big) == 0x0102030405060708);
    const unsigned char lowest[8] = {0, 0, 0, 0, 0, 0, 0, 0x80};
    CHECK(st::safetensors_i64(lowest) == std::numeric_limits<std::int64_t>::min());

    REQUIRE_THROWS_AS(st::safetensors_value(st::safetensors_dtype::i32, minus_one),
                      std::invalid_argument);
    REQUIRE_THROWS_WITH(st::safetensors_value(st::safetensors_dtype::i64, minus_one),
                        Contains("dtype I64 is not F64, F32, F16 or BF16"));
}

TEST_CASE("safetensors: write then read gives back every float and double exactly", "[io]") {
    const std::vector<float> floats = {0.0f,
                                       -0.0f,
                                       1.0f,
                                       -2.5f,
                                       0.1f,
                                       std::numeric_limits<float>::max(),
                                       std::numeric_limits<float>::lowest(),
                                       std::numeric_limits<float>::denorm_min(),
                                       std::numeric_limits<float>::infinity(),
                                       3.14159274101257324f};
    const std::vector<double> doubles = {
        0.1,  -1e300,        std::numeric_limits<double>::denorm_min(),
        -0.0, 123456789.125, std::numeric_limits<double>::max()};
    std::vector<st::safetensors_output> out(3);
    out[0].name = "layer.0.weight";
    out[0].dtype = st::safetensors_dtype::f32;
    out[0].shape = {2, 5};
    for (const float f : floats) {
        st::append_f32(out[0].bytes, f);
    }
    out[1].name = "layer.0.bias";
    out[1].dtype = st::safetensors_dtype::f64;
    out[1].shape = {3, 2};
    for (const double d : doubles) {
        st::append_f64(out[1].bytes, d);
    }
    out[2].name = "empty";
    out[2].dtype = st::safetensors_dtype::f16;
    out[2].shape = {0};
    const std::vector<std::pair<std::string, std::string>> meta = {{"format", "pt"},
                                                                   {"note", "a \"quoted\"\n"}};

    const bytes file = st::write_safetensors(out, meta);
    const st::safetensors_header h = parse(file);
    CHECK(h.data_offset() % 8 == 0);
    CHECK(file.size() == h.data_offset() + 40 + 48);
    CHECK(h.metadata == meta);
    REQUIRE(h.tensors.size() == 3);
    CHECK(h.tensors[0].name == "layer.0.weight");
    CHECK(h.tensors[0].shape == out[0].shape);
    CHECK(h.tensors[0].begin == 0);
    CHECK(h.tensors[0].end == 40);
    CHECK(h.tensors[1].name == "layer.0.bias");
    CHECK(h.tensors[1].begin == 40);
    CHECK(h.tensors[1].end == 88);
    CHECK(h.tensors[2].begin == 88);
    CHECK(h.tensors[2].end == 88);
    CHECK(h.tensors[2].dtype == st::safetensors_dtype::f16);

    const unsigned char* data = file.data() + h.data_offset();
    for (std::size_t i = 0; i < floats.size(); ++i) {
        const double read = st::safetensors_value(st::safetensors_dtype::f32, data + 4 * i);
        CHECK(std::bit_cast<std::uint32_t>(static_cast<float>(read)) ==
              std::bit_cast<std::uint32_t>(floats[i]));
    }
    for (std::size_t i = 0; i < doubles.size(); ++i) {
        const double read = st::safetensors_value(st::safetensors_dtype::f64, data + 40 + 8 * i);
        CHECK(bits_of(read) == bits_of(doubles[i]));
    }
    // F32 1.0 is written as 00 00 80 3F: little-endian whatever the host.
    bytes one;
    st::append_f32(one, 1.0f);
    CHECK(one == bytes{0x00, 0x00, 0x80, 0x3F});
}

TEST_CASE("safetensors: the writer's header is compact JSON padded with spaces", "[io]") {
    st::safetensors_output t{"a", st::safetensors_dtype::i64, {1}, {}};
    st::append_le(t.bytes, 7, 8);
    const bytes file = st::write_safetensors(std::span(&t, 1));
    const std::string expected = R"({"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})";
    const std::size_t padded = (expected.size() + 7) / 8 * 8;
    REQUIRE(file.size() == 8 + padded + 8);
    CHECK(st::load_le(file.data(), 8) == padded);
    CHECK(std::string(file.begin() + 8,
                      file.begin() + 8 + static_cast<std::ptrdiff_t>(expected.size())) == expected);
    CHECK(std::string(file.begin() + 8 + static_cast<std::ptrdiff_t>(expected.size()),
                      file.begin() + 8 + static_cast<std::ptrdiff_t>(padded)) ==
          std::string(padded - expected.size(), ' '));
    CHECK(st::safetensors_i64(file.data() + 8 + padded) == 7);

    // No tensors and no metadata: "{}" and six spaces.
    const bytes empty = st::write_safetensors({});
    CHECK(empty == raw_file(8, "{}      ", 0));
    CHECK(parse(empty).tensors.empty());
    // Names that need escaping survive the round trip.
    st::safetensors_output odd{"q\"\\\t\xC3\xA9", st::safetensors_dtype::u8, {2}, {9, 8}};
    const st::safetensors_header h = parse(st::write_safetensors(std::span(&odd, 1)));
    CHECK(h.tensors[0].name == odd.name);
}

TEST_CASE("safetensors: the writer refuses what a reader would refuse", "[io]") {
    std::vector<st::safetensors_output> out(2);
    out[0] = {"w", st::safetensors_dtype::f32, {2}, bytes(8)};
    out[1] = {"w", st::safetensors_dtype::f32, {1}, bytes(4)};
    CHECK_THAT(invalid_argument_of(out), Contains("the tensor name 'w' repeats"));
    out[1].name = "__metadata__";
    CHECK_THAT(invalid_argument_of(out),
               Contains("tensor '__metadata__': a name must be UTF-8, not empty and not "
                        "'__metadata__'"));
    out[1].name = "";
    CHECK_THAT(invalid_argument_of(out), Contains("tensor '': a name must be"));
    out[1].name = "\xC0\x80";
    CHECK_THAT(invalid_argument_of(out), Contains("a name must be UTF-8"));
    out[1].name = "b";
    out[1].bytes.resize(5);
    CHECK_THAT(invalid_argument_of(out),
               Contains("ffn::detail::write_safetensors: tensor 'b' has shape [1] of F32 but 5 "
                        "bytes"));
    out[1].bytes.resize(4);
    out[1].shape = {4294967296, 4294967296};
    CHECK_THAT(invalid_argument_of(out), Contains("tensor 'b' has shape [4294967296, 4294967296]"));
    out[1].shape = {1};
    out[1].dtype = static_cast<st::safetensors_dtype>(99);
    CHECK_THAT(invalid_argument_of(out),
               Contains("tensor 'b' has a dtype that is not an enumerator"));
    out[1].dtype = st::safetensors_dtype::f32;
    CHECK(invalid_argument_of(out) == "no error");

    const std::vector<std::pair<std::string, std::string>> repeated = {{"k", "1"}, {"k", "2"}};
    CHECK_THAT(invalid_argument_of(out, repeated), Contains("the metadata key 'k' repeats"));
    const std::vector<std::pair<std::string, std::string>> bad = {{"k", "\xED\xA0\x80"}};
    CHECK_THAT(invalid_argument_of(out, bad),
               Contains("metadata 'k' has a key or value that is not UTF-8"));
}
