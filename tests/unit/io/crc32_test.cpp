// SPDX-License-Identifier: MIT
// The CRC-32 that ends every file: the IEEE polynomial's standard check values.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include <ffn/io/crc32.hpp>

namespace {

std::uint32_t crc_of(std::string_view text) {
    const std::vector<unsigned char> b(text.begin(), text.end());
    return ffn::detail::crc32(std::span<const unsigned char>(b));
}

} // namespace

TEST_CASE("crc32 gives the standard check value of \"123456789\"", "[io]") {
    CHECK(crc_of("123456789") == 0xCBF43926U);
    STATIC_REQUIRE(ffn::detail::crc32(std::string_view("123456789")) == 0xCBF43926U);
}

TEST_CASE("crc32 of the empty input and of known texts", "[io]") {
    CHECK(crc_of("") == 0x00000000U);
    CHECK(crc_of("a") == 0xE8B7BE43U);
    // The well-known pangram's CRC-32 (the value zlib and PNG tools print).
    CHECK(crc_of("The quick brown fox jumps over the lazy dog") == 0x414FA339U);
}

TEST_CASE("crc32 computed piece by piece equals crc32 of the whole", "[io]") {
    std::vector<unsigned char> b(1000);
    for (std::size_t i = 0; i < b.size(); ++i) {
        b[i] = static_cast<unsigned char>((i * 131U + 7U) & 0xFFU);
    }
    const std::uint32_t whole = ffn::detail::crc32(b);
    for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{499}, std::size_t{1000}}) {
        ffn::detail::crc32_accumulator crc;
        crc.update(std::span<const unsigned char>(b).first(cut));
        crc.update(std::span<const unsigned char>(b).subspan(cut));
        CHECK(crc.value() == whole);
    }
    // One changed bit changes the checksum.
    b[500] ^= 0x10U;
    CHECK(ffn::detail::crc32(b) != whole);
}
