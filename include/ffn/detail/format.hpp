// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Numbers and names in error messages.

#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>

namespace ffn::detail {

/// `value` in the shortest form that reads back as the same double ("0.1", "1e-08", "inf",
/// "nan"), unlike `std::to_string`, which prints 1e-8 as "0.000000".
[[nodiscard]] inline std::string format_number(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

/// `text` in single quotes, cut to 64 characters, with bytes outside printable ASCII written
/// as `\xNN`: names read from a damaged file go into messages safely.
[[nodiscard]] inline std::string quoted_name(std::string_view text) {
    constexpr std::size_t limit = 64;
    std::string result = "'";
    for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F && c != '\\' && c != '\'') {
            result += static_cast<char>(c);
        } else {
            constexpr std::string_view digits = "0123456789abcdef";
            result += "\\x";
            result += digits[c >> 4U];
            result += digits[c & 0xFU];
        }
    }
    if (text.size() > limit) {
        result += "...";
    }
    result += "'";
    return result;
}

} // namespace ffn::detail
