// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The library's version. CMake reads the three macros below to set the project version,
/// so this header is the single place where the version is written.

/// The major version: changes that break code written for an earlier one.
#define FFN_VERSION_MAJOR 0
/// The minor version: additions that keep earlier code working.
#define FFN_VERSION_MINOR 1
/// The patch version: fixes.
#define FFN_VERSION_PATCH 0

/// The version as one number, `major * 10000 + minor * 100 + patch`, for preprocessor tests.
#define FFN_VERSION (FFN_VERSION_MAJOR * 10000 + FFN_VERSION_MINOR * 100 + FFN_VERSION_PATCH)

namespace ffn {

/// The version of the headers in use, as constants.
struct version_info {
    int major; ///< `FFN_VERSION_MAJOR`
    int minor; ///< `FFN_VERSION_MINOR`
    int patch; ///< `FFN_VERSION_PATCH`
};

/// The version of the headers in use.
inline constexpr version_info version{FFN_VERSION_MAJOR, FFN_VERSION_MINOR, FFN_VERSION_PATCH};

} // namespace ffn
