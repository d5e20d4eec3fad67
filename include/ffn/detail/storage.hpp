// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// How ffn chooses between fixed (stack) and dynamic (heap) storage for a matrix.

#include <cstddef>

#include <Eigen/Core>

namespace ffn::detail {

/// Matrices with more elements than this are stored on the heap even when their sizes are
/// known at compile time: a large fixed-size matrix would overflow the stack, and Eigen's
/// fixed-size products stop paying off well before that size.
inline constexpr Eigen::Index fixed_storage_limit = 1024;

// clang-format off
template <Eigen::Index Rows, Eigen::Index Cols>
inline constexpr bool fits_fixed_storage =
    Rows != Eigen::Dynamic && Cols != Eigen::Dynamic && Rows * Cols <= fixed_storage_limit;

/// A `Rows x Cols` matrix: fixed-size when both sizes are known and small, dynamic otherwise
/// (a dynamic dimension stays dynamic; a large fixed one becomes dynamic storage whose size is
/// set once, at construction or on first use).
template <class Scalar, Eigen::Index Rows, Eigen::Index Cols>
using matrix = Eigen::Matrix<Scalar,
                             (Rows == Eigen::Dynamic || Cols == Eigen::Dynamic ||
                              fits_fixed_storage<Rows, Cols>)
                                 ? Rows
                                 : Eigen::Dynamic,
                             (Rows == Eigen::Dynamic || Cols == Eigen::Dynamic ||
                              fits_fixed_storage<Rows, Cols>)
                                 ? Cols
                                 : Eigen::Dynamic>;
// clang-format on

} // namespace ffn::detail

namespace ffn::detail {

/// A zero matrix when `M` has fixed sizes, an empty one otherwise: the starting value of
/// workspaces and gradients, so that nothing is ever read uninitialised.
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
