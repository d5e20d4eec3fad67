// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The library's version. CMake reads the three macros below to set the project version,
/// so this header is the single place where the version is written.

#define FFN_VERSION_MAJOR 0
#define FFN_VERSION_MINOR 1
#define FFN_VERSION_PATCH 0

/// The version as one number, `major * 10000 + minor * 100 + patch`, for preprocessor tests.
#define FFN_VERSION (FFN_VERSION_MAJOR * 10000 + FFN_VERSION_MINOR * 100 + FFN_VERSION_PATCH)

namespace ffn {

/// The version of the headers in use, as constants.
struct version_info {
    int major;
    int minor;
    int patch;
};

/// The version of the headers in use.
inline constexpr version_info version{FFN_VERSION_MAJOR, FFN_VERSION_MINOR, FFN_VERSION_PATCH};

} // namespace ffn
