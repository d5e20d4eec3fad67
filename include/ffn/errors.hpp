// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The exceptions ffn throws. Shape and setting errors use `std::invalid_argument`; the
/// types below cover the failures that are not a caller's wrong argument.

#include <stdexcept>
#include <string>

namespace ffn {

/// A saved network could not be read: the file is damaged, truncated, or was written for a
/// different network. The message says what was wrong and where.
class format_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Training produced a loss or a gradient norm that is not finite. The message names the epoch
/// and the batch.
class divergence_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace ffn
