// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::product_space`: the packing buffers of a layer's large matrix products, kept from one
/// pass to the next so that a product of the same sizes allocates nothing after the first.

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include <Eigen/Core>

#include "ffn/detail/storage.hpp"

namespace ffn {

/// Scratch space for matrix products `dst = lhs * rhs`.
///
/// Eigen computes a large product with dynamic sizes (the general matrix-matrix product) by
/// packing blocks of both operands into buffers, which it allocates on the heap for every
/// product once a buffer passes `EIGEN_STACK_ALLOCATION_LIMIT` (128 KiB): a 784 x 256 layer on
/// a batch of 128 samples in float allocates 392 KiB a product. For those products `multiply`
/// runs the same kernel with the same block sizes (so the result is the same, bit for bit) on
/// buffers kept here, which grow to the largest product they have served and never shrink.
/// Every other product (fixed sizes, a single sample, small sizes that Eigen computes
/// coefficient by coefficient, buffers that Eigen puts on the stack) is left to Eigen, which
/// allocates nothing for them.
///
/// Each workspace keeps one per layer; it is never shared between threads.
template <class Scalar>
class product_space {
public:
    /// No buffers until the first product that needs them.
    product_space() = default;
    /// Buffers of the same sizes (their contents are scratch, never copied).
    product_space(const product_space& other) : a_(other.a_.size()), b_(other.b_.size()) {}
    /// Grows the buffers to the sizes of `other`'s.
    product_space& operator=(const product_space& other) {
        grow(a_, other.a_.size());
        grow(b_, other.b_.size());
        return *this;
    }
    /// Takes `other`'s buffers.
    product_space(product_space&& other) noexcept = default;
    /// Takes `other`'s buffers.
    product_space& operator=(product_space&& other) noexcept = default;
    ~product_space() = default;

    /// `dst = lhs * rhs`, as `dst.noalias() = lhs * rhs` computes it; `dst` must not alias an
    /// operand and must already have the product's sizes.
    template <class Dst, class Lhs, class Rhs>
    void multiply(Eigen::MatrixBase<Dst>& dst, const Eigen::MatrixBase<Lhs>& lhs,
                  const Eigen::MatrixBase<Rhs>& rhs) {
        if constexpr (!kept_here<Dst, Lhs, Rhs>()) {
            dst.noalias() = lhs * rhs;
        } else if ((rhs.rows() + dst.rows() + dst.cols()) < EIGEN_GEMM_TO_COEFFBASED_THRESHOLD ||
                   dst.rows() <= 1 || dst.cols() <= 1 || lhs.cols() == 0) {
            dst.noalias() = lhs * rhs; // Eigen's coefficient-based or matrix-vector product
        } else {
            general_product(dst.derived(), lhs.derived(), rhs.derived());
        }
    }

    /// Makes room for a `rows x depth` by `depth x cols` product, so that `multiply` then
    /// allocates nothing for it (a workspace of fixed sizes does this when it is made).
    void reserve(Eigen::Index rows, Eigen::Index cols, Eigen::Index depth) {
        static_cast<void>(prepare(rows, cols, depth));
    }

private:
    /// The block sizes and buffers Eigen's kernel reads (Eigen's own type, set here).
    struct blocking : Eigen::internal::level3_blocking<Scalar, Scalar> {
        /// Eigen's block sizes for a `rows x depth` by `depth x cols` product, one thread.
        void size_for(Eigen::Index rows, Eigen::Index cols, Eigen::Index depth) {
            this->m_mc = rows;
            this->m_nc = cols;
            this->m_kc = depth;
            Eigen::internal::computeProductBlockingSizes<Scalar, Scalar, 1, Eigen::Index>(
                this->m_kc, this->m_mc, this->m_nc, 1);
        }
        /// Points the blocks at `a` and `b`.
        void use(Scalar* a, Scalar* b) {
            this->m_blockA = a;
            this->m_blockB = b;
        }
    };

    /// Whether Eigen would run the general matrix-matrix product with blocks sized at run
    /// time, reading both operands in place: the products this space serves.
    template <class Dst, class Lhs, class Rhs>
    static constexpr bool kept_here() {
        using Eigen::internal::blas_traits;
        constexpr auto lhs_depth = static_cast<Eigen::Index>(Lhs::MaxColsAtCompileTime);
        constexpr Eigen::Index max_depth =
            lhs_depth == Eigen::Dynamic ? static_cast<Eigen::Index>(Rhs::MaxRowsAtCompileTime)
                                        : lhs_depth;
        return static_cast<int>(Eigen::internal::product_type<Lhs, Rhs>::value) ==
                   static_cast<int>(Eigen::GemmProduct) &&
               std::is_same_v<typename Lhs::Scalar, Scalar> &&
               std::is_same_v<typename Rhs::Scalar, Scalar> &&
               (Dst::Flags & Eigen::RowMajorBit) == 0 && Dst::InnerStrideAtCompileTime == 1 &&
               bool(blas_traits<Lhs>::HasUsableDirectAccess) &&
               bool(blas_traits<Rhs>::HasUsableDirectAccess) &&
               (static_cast<Eigen::Index>(Dst::MaxRowsAtCompileTime) == Eigen::Dynamic ||
                static_cast<Eigen::Index>(Dst::MaxColsAtCompileTime) == Eigen::Dynamic ||
                max_depth == Eigen::Dynamic);
    }

    template <class Dst, class Lhs, class Rhs>
    void general_product(Dst& dst, const Lhs& a_lhs, const Rhs& a_rhs) {
        using lhs_traits = Eigen::internal::blas_traits<Lhs>;
        using rhs_traits = Eigen::internal::blas_traits<Rhs>;
        using actual_lhs = std::remove_cvref_t<typename lhs_traits::DirectLinearAccessType>;
        using actual_rhs = std::remove_cvref_t<typename rhs_traits::DirectLinearAccessType>;
        using gemm = Eigen::internal::general_matrix_matrix_product<
            Eigen::Index, Scalar,
            (actual_lhs::Flags & Eigen::RowMajorBit) != 0 ? Eigen::RowMajor : Eigen::ColMajor,
            bool(lhs_traits::NeedToConjugate), Scalar,
            (actual_rhs::Flags & Eigen::RowMajorBit) != 0 ? Eigen::RowMajor : Eigen::ColMajor,
            bool(rhs_traits::NeedToConjugate), Eigen::ColMajor, 1>;

        const auto& lhs = lhs_traits::extract(a_lhs);
        const auto& rhs = rhs_traits::extract(a_rhs);
        if (!prepare(dst.rows(), dst.cols(), lhs.cols())) {
            dst.noalias() = a_lhs * a_rhs; // Eigen allocates nothing for it
            return;
        }
        const Scalar alpha = Eigen::internal::combine_scalar_factors(Scalar(1), a_lhs, a_rhs);
        dst.setZero();
        gemm::run(dst.rows(), dst.cols(), lhs.cols(), lhs.data(), lhs.outerStride(), rhs.data(),
                  rhs.outerStride(), dst.data(), dst.innerStride(), dst.outerStride(), alpha,
                  blocks_, nullptr);
    }

    /// Sets the block sizes Eigen chooses for a `rows x depth` by `depth x cols` product on
    /// one thread. Returns false if Eigen keeps both buffers on the stack for it; otherwise
    /// points the blocks at buffers here, grown if they are too small, and returns true.
    bool prepare(Eigen::Index rows, Eigen::Index cols, Eigen::Index depth) {
        // Blocks never exceed the operands: if whole operands fit, the blocks do.
        if (on_stack(rows * depth) && on_stack(cols * depth)) {
            return false;
        }
        blocks_.size_for(rows, cols, depth);
        const Eigen::Index size_a = std::min(rows, blocks_.mc()) * blocks_.kc();
        const Eigen::Index size_b = std::min(cols, blocks_.nc()) * blocks_.kc();
        if (on_stack(size_a) && on_stack(size_b)) {
            return false;
        }
        grow(a_, size_a);
        grow(b_, size_b);
        blocks_.use(a_.data(), b_.data());
        return true;
    }

    /// Whether Eigen puts a buffer of `size` scalars on the stack rather than the heap.
    static constexpr bool on_stack(Eigen::Index size) {
#if defined(EIGEN_ALLOCA) && !defined(EIGEN_NO_ALLOCA)
        return static_cast<std::size_t>(size) * sizeof(Scalar) <= EIGEN_STACK_ALLOCATION_LIMIT;
#else
        static_cast<void>(size);
        return false;
#endif
    }

    static void grow(Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& buffer, Eigen::Index size) {
        if (buffer.size() < size) {
            buffer.resize(size);
        }
    }

    blocking blocks_;
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> a_;
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> b_;
};

namespace detail {

/// What a layer keeps for products whose sizes are all fixed and small: nothing, as Eigen
/// computes them without allocating.
struct fixed_products {
    template <class Dst, class Lhs, class Rhs>
    static void multiply(Eigen::MatrixBase<Dst>& dst, const Eigen::MatrixBase<Lhs>& lhs,
                         const Eigen::MatrixBase<Rhs>& rhs) {
        dst.noalias() = lhs * rhs;
    }
};

/// The product space of a layer of `Out` units with `In` inputs, on batches of `Batch`
/// samples: `fixed_products` when its weights and outputs have fixed, small storage,
/// `ffn::product_space` otherwise.
template <class Scalar, Eigen::Index Out, Eigen::Index In, Eigen::Index Batch>
using products_for =
    std::conditional_t<matrix<Scalar, Out, Batch>::MaxSizeAtCompileTime != Eigen::Dynamic &&
                           matrix<Scalar, Out, In>::MaxSizeAtCompileTime != Eigen::Dynamic &&
                           matrix<Scalar, In, Batch>::MaxSizeAtCompileTime != Eigen::Dynamic,
                       fixed_products, product_space<Scalar>>;

/// A layer's product space, with room made at once for its products when all their sizes are
/// known: the forward product `(Out x In) (In x Batch)` and, with `backward`, the weight
/// gradient `(Out x Batch) (Batch x In)` and the input gradient `(In x Out) (Out x Batch)`.
/// So a workspace of fixed sizes allocates nothing in its passes, even the first.
template <class Scalar, Eigen::Index Out, Eigen::Index In, Eigen::Index Batch, bool backward>
[[nodiscard]] products_for<Scalar, Out, In, Batch> make_products() {
    products_for<Scalar, Out, In, Batch> products;
    if constexpr (!std::is_same_v<decltype(products), fixed_products> && Out != Eigen::Dynamic &&
                  In != Eigen::Dynamic && Batch != Eigen::Dynamic) {
        products.reserve(Out, Batch, In);
        if constexpr (backward) {
            products.reserve(Out, In, Batch);
            products.reserve(In, Batch, Out);
        }
    }
    return products;
}

} // namespace detail

} // namespace ffn
