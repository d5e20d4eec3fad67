// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Checks a network's backpropagated gradients against central differences of its loss.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ffn/errors.hpp"
#include "ffn/layers/training.hpp"

namespace ffn {

/// How well the backpropagated gradient of one parameter tensor agrees with central
/// differences.
struct tensor_gradient_check {
    /// Index of the layer, input side first.
    std::size_t layer = 0;
    /// The tensor's name within its layer (`"weights"`, `"bias"`).
    std::string tensor;
    /// Number of values in the tensor.
    Eigen::Index size = 0;
    /// \f$\|g\|\f$, the Euclidean norm of the backpropagated gradient.
    double analytic_norm = 0;
    /// \f$\|d\|\f$, the Euclidean norm of the central-difference gradient.
    double numeric_norm = 0;
    /// \f$\|g - d\| / \max(\|g\| + \|d\|, tiny)\f$, with `tiny` the smallest normal double:
    /// 0 when both agree exactly (including both zero), at most 1 otherwise, and infinite
    /// when the backpropagated gradient holds a NaN or infinity.
    double relative_error = 0;
};

/// The outcome of `ffn::check_gradients`: one entry per parameter tensor, in the order of
/// `visit_tensors`, and the largest relative error among them.
struct gradient_check_result {
    /// One entry per parameter tensor, in the order of `visit_tensors`.
    std::vector<tensor_gradient_check> tensors;
    /// The largest relative error among the tensors.
    double max_relative_error = 0;

    /// One line per tensor ("layer 1 weights: relative error 3.1e-10 (|g| = ..., |d| =
    /// ...)"), for test failure messages and logs.
    [[nodiscard]] std::string to_string() const {
        std::ostringstream out;
        out.precision(3);
        for (const auto& t : tensors) {
            out << "layer " << t.layer << ' ' << t.tensor << ": relative error " << t.relative_error
                << " (|g| = " << t.analytic_norm << ", |d| = " << t.numeric_norm << ", " << t.size
                << " values)\n";
        }
        out << "largest relative error: " << max_relative_error << '\n';
        return out.str();
    }
};

/// The default relative step of `ffn::check_gradients` for scalar type `Scalar`:
/// \f$\epsilon^{1/3}\f$, about \f$6 \cdot 10^{-6}\f$ for double and \f$5 \cdot 10^{-3}\f$ for
/// float. The error of a central difference is a truncation term that grows like \f$h^2\f$
/// plus a rounding term that grows like \f$\epsilon / h\f$; they balance at
/// \f$h \sim \epsilon^{1/3}\f$ (see e.g. Nocedal and Wright, Numerical Optimization, 2nd ed.,
/// section 8.1).
template <class Scalar>
[[nodiscard]] double default_gradient_check_step() {
    return std::cbrt(static_cast<double>(std::numeric_limits<Scalar>::epsilon()));
}

namespace detail {

/// What `check_gradients` uses of a network, as `ffn::network` provides it: a copy to
/// perturb, `forward`, `loss` and `backward` on a workspace for batches of any size, and
/// `visit_tensors(f, gradients)` (called with a generic lambda, so not spelled out here).
// clang-format off
template <class Net>
concept gradient_checkable_network =
    std::copy_constructible<Net> &&
    requires {
        typename Net::scalar_type;
        typename Net::gradient_type;
        typename Net::template workspace_type<Eigen::Dynamic>;
    } &&
    requires(const Net& net, typename Net::template workspace_type<Eigen::Dynamic>& ws,
             typename Net::gradient_type& grads,
             const Eigen::Matrix<typename Net::scalar_type, Eigen::Dynamic, Eigen::Dynamic>& m) {
        net.forward(m, ws);
        { net.loss(ws, m) } -> std::convertible_to<double>;
        net.backward(ws, m, grads);
    };
// clang-format on

template <class Net, class Input, class Target>
gradient_check_result check_gradients_in(const Net& net, const Eigen::MatrixBase<Input>& input,
                                         const Eigen::MatrixBase<Target>& target, double step,
                                         const training* mode) {
    using scalar = typename Net::scalar_type;
    static_assert(std::is_same_v<typename Input::Scalar, scalar> &&
                      std::is_same_v<typename Target::Scalar, scalar>,
                  "ffn::check_gradients: the input and the target must have the network's "
                  "scalar type (convert them with .template cast<Scalar>()).");
    constexpr std::string_view where = "ffn::check_gradients: ";
    if (!(step > 0) || !std::isfinite(step)) {
        detail::raise(std::invalid_argument(std::string(where) +
                                            "the step must be positive and finite, got " +
                                            std::to_string(step)));
    }

    typename Net::template workspace_type<Eigen::Dynamic> ws;
    typename Net::gradient_type grads;
    double unperturbed = 0;
    Net probe = net;
    // A training-mode pass changes running statistics, so it runs on the probe, each time
    // with the same copy of `mode`.
    const auto forward = [&](Net& n) {
        if (mode != nullptr) {
            if constexpr (requires(training & m) { n.forward(input, ws, m); }) {
                training copy = *mode;
                n.forward(input, ws, copy);
            }
        } else {
            std::as_const(n).forward(input, ws);
        }
    };
    detail::on_invalid_argument(
        [&] {
            forward(probe);
            unperturbed = static_cast<double>(net.loss(ws, target));
            net.backward(ws, target, grads);
        },
        [where](const char* what) {
            detail::raise(std::invalid_argument(std::string(where) + what));
        });
    if (!std::isfinite(unperturbed)) {
        detail::raise(std::invalid_argument(std::string(where) +
                                            "the loss is not finite at the network's parameters (" +
                                            std::to_string(unperturbed) + ")"));
    }

    const auto loss_at = [&](std::size_t layer, std::string_view name, Eigen::Index row,
                             Eigen::Index col, const char* side) {
        forward(probe);
        const auto value = static_cast<double>(probe.loss(ws, target));
        if (!std::isfinite(value)) {
            detail::raise(std::invalid_argument(
                std::string(where) + "the loss is not finite with layer " + std::to_string(layer) +
                "'s " + std::string(name) + "(" + std::to_string(row) + ", " + std::to_string(col) +
                ") moved by " + side + "h"));
        }
        return value;
    };

    gradient_check_result result;
    probe.visit_tensors(
        [&](std::size_t layer, std::string_view name, auto& tensor, bool /*trainable*/,
            const auto& grad) {
            Eigen::MatrixXd numeric(tensor.rows(), tensor.cols());
            for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
                for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
                    const scalar original = tensor(r, c);
                    const double h = step * std::max(1.0, std::abs(static_cast<double>(original)));
                    const auto up = static_cast<scalar>(static_cast<double>(original) + h);
                    const auto down = static_cast<scalar>(static_cast<double>(original) - h);
                    const double taken = static_cast<double>(up) - static_cast<double>(down);
                    if (!(taken > 0)) {
                        detail::raise(std::invalid_argument(
                            std::string(where) + "the step " + std::to_string(step) +
                            " is too small to change layer " + std::to_string(layer) + "'s " +
                            std::string(name) + "(" + std::to_string(r) + ", " + std::to_string(c) +
                            ")"));
                    }
                    tensor(r, c) = up;
                    const double above = loss_at(layer, name, r, c, "+");
                    tensor(r, c) = down;
                    const double below = loss_at(layer, name, r, c, "-");
                    tensor(r, c) = original;
                    numeric(r, c) = (above - below) / taken;
                }
            }
            const Eigen::MatrixXd analytic = grad.template cast<double>();
            tensor_gradient_check check;
            check.layer = layer;
            check.tensor = std::string(name);
            check.size = tensor.size();
            check.analytic_norm = analytic.norm();
            check.numeric_norm = numeric.norm();
            if (!analytic.allFinite()) {
                check.relative_error = std::numeric_limits<double>::infinity();
            } else {
                check.relative_error =
                    (analytic - numeric).norm() / std::max(check.analytic_norm + check.numeric_norm,
                                                           std::numeric_limits<double>::min());
            }
            result.max_relative_error = std::max(result.max_relative_error, check.relative_error);
            result.tensors.push_back(std::move(check));
        },
        grads);
    return result;
}

} // namespace detail

/// Compares the gradients that `net.backward` computes for the batch `input` and `target`
/// with central differences of `net.loss`, for every parameter tensor (frozen ones too).
///
/// Each parameter \f$w\f$ in turn is moved by \f$\pm h\f$ with
/// \f$h = step \cdot \max(1, |w|)\f$, and its numeric gradient is
/// \f$(E(w + h) - E(w - h)) / ((w + h) - (w - h))\f$, where the denominator is the step
/// actually taken after rounding. `net` itself is not changed: the check works on a copy.
///
/// Use double: with \f$h \approx 6 \cdot 10^{-6}\f$, a correct gradient typically agrees to a
/// relative error below \f$10^{-7}\f$. In float the loss itself has only about 7 digits and
/// errors around \f$10^{-3}\f$ are normal. Near a kink (a relu whose sum lies within \f$h\f$
/// of 0, a Huber loss at \f$|d| = \delta\f$) the central difference is not the derivative;
/// keep sums away from kinks when checking. A tensor whose true gradient is 0 (a shared bias
/// before a softmax, which shifts every sum of a column equally and so changes nothing)
/// compares rounding noise with rounding noise and shows a relative error near 1: look at
/// its norms, which are both tiny.
///
/// Cost: two forward passes per parameter.
///
/// @param net    the network to check
/// @param input  a batch of inputs, one column per sample, in the network's scalar type
/// @param target the matching targets
/// @param step   the relative step (see `default_gradient_check_step`)
/// @throws std::invalid_argument if `step` is not positive and finite, if it is too small
///         to change a parameter, if `input` or `target` has the wrong shape (the network's
///         message, prefixed), or if the loss is not finite at the network's parameters or
///         at a point the check visits (naming the layer, tensor and element moved).
template <detail::gradient_checkable_network Net, class Input, class Target>
[[nodiscard]] gradient_check_result check_gradients(const Net& net,
                                                    const Eigen::MatrixBase<Input>& input,
                                                    const Eigen::MatrixBase<Target>& target,
                                                    double step) {
    return detail::check_gradients_in(net, input, target, step, nullptr);
}

/// `check_gradients` in training mode: every forward pass of the check is a training-mode
/// pass with a copy of `mode`, so each draws the same dropout masks, and batch normalisation
/// uses the batch's statistics. This checks the backward pass that training takes.
template <detail::gradient_checkable_network Net, class Input, class Target>
[[nodiscard]] gradient_check_result check_gradients(const Net& net,
                                                    const Eigen::MatrixBase<Input>& input,
                                                    const Eigen::MatrixBase<Target>& target,
                                                    const training& mode, double step) {
    return detail::check_gradients_in(net, input, target, step, &mode);
}

/// `check_gradients` in training mode with the default step for the network's scalar type.
template <detail::gradient_checkable_network Net, class Input, class Target>
[[nodiscard]] gradient_check_result check_gradients(const Net& net,
                                                    const Eigen::MatrixBase<Input>& input,
                                                    const Eigen::MatrixBase<Target>& target,
                                                    const training& mode) {
    return detail::check_gradients_in(
        net, input, target, default_gradient_check_step<typename Net::scalar_type>(), &mode);
}

/// `check_gradients` with the default step for the network's scalar type.
template <detail::gradient_checkable_network Net, class Input, class Target>
[[nodiscard]] gradient_check_result check_gradients(const Net& net,
                                                    const Eigen::MatrixBase<Input>& input,
                                                    const Eigen::MatrixBase<Target>& target) {
    return check_gradients(net, input, target,
                           default_gradient_check_step<typename Net::scalar_type>());
}

} // namespace ffn
