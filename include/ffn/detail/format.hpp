// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Numbers in error messages.

#include <charconv>
#include <string>

namespace ffn::detail {

/// `value` in the shortest form that reads back as the same double ("0.1", "1e-08", "inf",
/// "nan"), unlike `std::to_string`, which prints 1e-8 as "0.000000".
[[nodiscard]] inline std::string format_number(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

} // namespace ffn::detail
