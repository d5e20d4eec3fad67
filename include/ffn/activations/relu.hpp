// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The rectified linear unit.

#include <string_view>

#include <Eigen/Core>

namespace ffn {

namespace detail {

/// 1 where \f$x > 0\f$, else 0 (NaN too), element by element: relu's derivative. A packet at
/// a time it is a comparison and a bitwise and; Eigen's `(x > 0).cast<Scalar>()` has no packet
/// form and runs one value at a time.
template <class Scalar>
struct positive_step_op {
    Scalar operator()(const Scalar& x) const { return x > Scalar(0) ? Scalar(1) : Scalar(0); }

    template <class Packet>
    Packet packetOp(const Packet& x) const {
        using namespace Eigen::internal;
        return pand(pcmp_lt(pzero(x), x), pset1<Packet>(Scalar(1)));
    }
};

} // namespace detail

/// \f$\mathrm{relu}(x) = \max(x, 0)\f$, with derivative 1 for \f$x > 0\f$ and 0 otherwise.
/// At \f$x = 0\f$, where the derivative does not exist, ffn takes 0 (as PyTorch does), so a
/// unit whose sums are all exactly zero learns nothing through them.
struct relu {
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "relu";
    /// \f$\partial output / \partial sum\f$ as explanations write it.
    static constexpr std::string_view derivative_notation = "(sum > 0 ? 1 : 0)";

    /// The outputs, element by element, as an array expression.
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return sum.cwiseMax(scalar(0));
    }

    /// \f$\partial output / \partial sum\f$, element by element, as an array expression.
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        return sum.unaryExpr(detail::positive_step_op<typename Sum::Scalar>{});
    }
};

} // namespace ffn

namespace Eigen::internal {
template <class Scalar>
struct functor_traits<ffn::detail::positive_step_op<Scalar>> {
    enum { Cost = NumTraits<Scalar>::AddCost, PacketAccess = packet_traits<Scalar>::Vectorizable };
};
} // namespace Eigen::internal
