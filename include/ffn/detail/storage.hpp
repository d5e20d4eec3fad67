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
inline constexpr Eigen::Index fixed_storage_limit = 4096;

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
    if constexpr (M::RowsAtCompileTime != Eigen::Dynamic && M::ColsAtCompileTime != Eigen::Dynamic) {
        return M::Zero();
    } else {
        return M{};
    }
}

} // namespace ffn::detail
