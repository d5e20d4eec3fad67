// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// CRC-32 with the IEEE 802.3 polynomial, the checksum that ffn's files end with. It is the
/// CRC of zlib, PNG and gzip (reflected polynomial 0xEDB88320, initial value and final XOR
/// 0xFFFFFFFF), so any of their tools can check an ffn file; the standard check value is
/// CRC-32("123456789") = 0xCBF43926.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ffn::detail {

/// The 256-entry lookup table of the reflected polynomial: entry `n` is the CRC register
/// after shifting the byte `n` through it bit by bit.
inline constexpr std::array<std::uint32_t, 256> crc32_table = [] {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int bit = 0; bit < 8; ++bit) {
            c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
        }
        table[n] = c;
    }
    return table;
}();

/// A CRC-32 computed piece by piece: `update` with each piece in order, then `value`.
class crc32_accumulator {
public:
    constexpr void update(std::span<const unsigned char> bytes) noexcept {
        for (const unsigned char byte : bytes) {
            register_ = crc32_table[(register_ ^ byte) & 0xFFU] ^ (register_ >> 8U);
        }
    }
    /// The CRC-32 of everything given so far.
    [[nodiscard]] constexpr std::uint32_t value() const noexcept { return register_ ^ 0xFFFFFFFFU; }

private:
    std::uint32_t register_ = 0xFFFFFFFFU;
};

/// The CRC-32 of `bytes`.
[[nodiscard]] constexpr std::uint32_t crc32(std::span<const unsigned char> bytes) noexcept {
    crc32_accumulator crc;
    crc.update(bytes);
    return crc.value();
}

/// The CRC-32 of the characters of `text`, taken as bytes.
[[nodiscard]] constexpr std::uint32_t crc32(std::string_view text) noexcept {
    crc32_accumulator crc;
    for (const char c : text) {
        const unsigned char byte = static_cast<unsigned char>(c);
        crc.update(std::span<const unsigned char>(&byte, 1));
    }
    return crc.value();
}

static_assert(crc32(std::string_view("123456789")) == 0xCBF43926U,
              "ffn::detail::crc32 must give the standard check value for \"123456789\".");

} // namespace ffn::detail
