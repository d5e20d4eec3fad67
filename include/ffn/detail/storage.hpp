// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// How ffn chooses between fixed (stack) and dynamic (heap) storage for a matrix.

#include <cstddef>

#include <Eigen/Core>

namespace ffn::detail {

/// Matrices larger than this many bytes are stored on the heap even when their sizes are
/// known at compile time: a large fixed-size matrix would overflow the stack (a workspace holds
/// three per layer), and beyond this size a fixed-size product is no faster than a dynamic one
/// (both run Eigen's blocked product). 16 KiB keeps the digits-shaped 64-32-10 float network
/// with a batch of 32 entirely fixed-size, which measured 1-2% faster than the former limit of
/// 1024 elements (docs/performance.md).
inline constexpr std::size_t fixed_storage_limit_bytes = 16384;

// clang-format off
template <class Scalar, Eigen::Index Rows, Eigen::Index Cols>
inline constexpr bool fits_fixed_storage =
    Rows != Eigen::Dynamic && Cols != Eigen::Dynamic &&
    static_cast<std::size_t>(Rows * Cols) * sizeof(Scalar) <= fixed_storage_limit_bytes;
// clang-format on

/// A `Rows x Cols` matrix: fixed-size when both sizes are known and small, dynamic otherwise
/// (a dynamic dimension stays dynamic; a large fixed one becomes dynamic storage whose size is
/// set once, at construction).
// clang-format off
template <class Scalar, Eigen::Index Rows, Eigen::Index Cols>
using matrix = Eigen::Matrix<Scalar,
                             (Rows == Eigen::Dynamic || Cols == Eigen::Dynamic ||
                              fits_fixed_storage<Scalar, Rows, Cols>)
                                 ? Rows
                                 : Eigen::Dynamic,
                             (Rows == Eigen::Dynamic || Cols == Eigen::Dynamic ||
                              fits_fixed_storage<Scalar, Rows, Cols>)
                                 ? Cols
                                 : Eigen::Dynamic>;
// clang-format on

} // namespace ffn::detail

namespace ffn::detail {

/// A zero `Rows x Cols` matrix when both sizes are known at compile time, an empty one
/// otherwise: the starting value of workspaces and gradients, so that nothing is ever read
/// uninitialised. A large matrix of known sizes (dynamic storage, see `matrix`) gets its heap
/// block here, at construction, so that even its first forward pass allocates nothing.
template <class Scalar, Eigen::Index Rows, Eigen::Index Cols>
[[nodiscard]] matrix<Scalar, Rows, Cols> zero_matrix() {
    if constexpr (Rows != Eigen::Dynamic && Cols != Eigen::Dynamic) {
        return matrix<Scalar, Rows, Cols>::Zero(Rows, Cols);
    } else {
        return matrix<Scalar, Rows, Cols>{};
    }
}

/// A zero matrix when `M` has fixed sizes, an empty one otherwise.
template <class M>
[[nodiscard]] M zero_or_empty() {
    if constexpr (M::RowsAtCompileTime != Eigen::Dynamic &&
                  M::ColsAtCompileTime != Eigen::Dynamic) {
        return M::Zero();
    } else {
        return M{};
    }
}

} // namespace ffn::detail
