// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "ffn/concepts/network.hpp"
#include "ffn/detail/optimizer.hpp"
#include "ffn/errors.hpp"

namespace ffn {

/// The settings of `ffn::sgd`, with PyTorch's defaults (`torch.optim.SGD`, 2.x). Set them by
/// name: `ffn::sgd opt(net, {.learning_rate = 0.1, .momentum = 0.9});`.
struct sgd_options {
    /// \f$\eta\f$, positive and finite.
    double learning_rate = 1e-3;
    /// \f$\mu\f$ in \f$[0, 1)\f$; 0 turns momentum off.
    double momentum = 0.0;
    /// \f$\tau\f$ in \f$[0, 1]\f$: the share of each gradient left out of the velocity.
    double dampening = 0.0;
    /// \f$\lambda \ge 0\f$: L2 weight decay, added to the gradient as \f$\lambda w\f$.
    double weight_decay = 0.0;
    /// Nesterov momentum; needs `momentum > 0` and `dampening == 0` (as in PyTorch).
    bool nesterov = false;
};

/// Stochastic gradient descent. For each trainable tensor \f$w\f$ with gradient \f$g\f$, one
/// step computes, as PyTorch's `SGD` does,
/// \f[ d = g + \lambda w, \qquad b \leftarrow \mu b + (1 - \tau) d \quad
///     (b \leftarrow d \text{ on the first step}), \f]
/// \f[ w \leftarrow w - \eta d \; (\mu = 0), \quad w \leftarrow w - \eta (d + \mu b) \;
///     (\text{Nesterov}), \quad w \leftarrow w - \eta b \; (\text{otherwise}). \f]
/// With the defaults besides the learning rate this is the lecture's plain
/// \f$w \leftarrow w - \eta \, \partial E / \partial w\f$. Frozen tensors are left unchanged
/// and their velocities stay zero. "First step" means the optimizer's first step (PyTorch
/// counts it per tensor: they differ only for a tensor unfrozen later, whose velocity then
/// starts at \f$(1 - \tau) d\f$ instead of \f$d\f$).
///
/// The velocities \f$b\f$ are kept in a `ffn::gradients<Net>`, made when momentum is on, so
/// steps on a fixed-size network allocate nothing.
///
/// @tparam Net the network type (deduced: `ffn::sgd opt(net, 0.6);`)
template <trainable_network Net>
class sgd {
public:
    /// The network's scalar type.
    using scalar_type = typename Net::scalar_type;
    /// The gradients' type, also the type of the per-parameter state.
    using gradient_type = typename Net::gradient_type;
    /// The settings' type.
    using options_type = sgd_options;

    /// Plain SGD with learning rate `learning_rate` (no momentum, no weight decay).
    /// @throws std::invalid_argument if `learning_rate` is not positive and finite.
    sgd(const Net& net, scalar_type learning_rate)
        : sgd(net, sgd_options{.learning_rate = static_cast<double>(learning_rate)}) {
        learning_rate_ = detail::checked_setting<scalar_type>(where, "learning_rate", learning_rate,
                                                              detail::setting_range::positive);
    }

    /// SGD with the given settings.
    /// @throws std::invalid_argument naming the setting if one is out of its range (see
    ///         `sgd_options`), or if `nesterov` is set without momentum or with dampening.
    sgd(const Net& net, const sgd_options& options)
        : learning_rate_(
              checked(options.learning_rate, "learning_rate", detail::setting_range::positive)),
          momentum_(checked(options.momentum, "momentum", detail::setting_range::below_one)),
          dampening_(checked(options.dampening, "dampening", detail::setting_range::unit)),
          weight_decay_(
              checked(options.weight_decay, "weight_decay", detail::setting_range::non_negative)),
          one_minus_dampening_(static_cast<scalar_type>(1.0 - options.dampening)),
          nesterov_(options.nesterov) {
        if (nesterov_ && (momentum_ == 0 || dampening_ != 0)) {
            detail::raise<std::invalid_argument>(
                detail::message() << where
                                  << ": nesterov needs momentum > 0 and dampening = 0, got "
                                     "momentum = "
                                  << options.momentum << ", dampening = " << options.dampening);
        }
        if (momentum_ != 0) {
            velocity_ = gradient_type(net);
        }
    }

    /// The learning rate \f$\eta\f$ of the next step.
    [[nodiscard]] scalar_type learning_rate() const noexcept { return learning_rate_; }

    /// Sets the learning rate of the following steps. Zero is allowed (a schedule may end
    /// there: the steps then change nothing but the velocities).
    /// @throws std::invalid_argument if `learning_rate` is negative or not finite.
    void set_learning_rate(scalar_type learning_rate) {
        learning_rate_ = detail::checked_setting<scalar_type>(where, "learning_rate", learning_rate,
                                                              detail::setting_range::non_negative);
    }

    /// The settings in use (the learning rate as last set).
    [[nodiscard]] sgd_options options() const noexcept {
        return {.learning_rate = static_cast<double>(learning_rate_),
                .momentum = static_cast<double>(momentum_),
                .dampening = static_cast<double>(dampening_),
                .weight_decay = static_cast<double>(weight_decay_),
                .nesterov = nesterov_};
    }

    /// The number of steps taken.
    [[nodiscard]] std::uint64_t step_count() const noexcept { return steps_; }

    /// One step against the gradients of the last backward pass.
    /// @throws std::invalid_argument, before changing anything, if a trainable tensor's
    ///         gradient or velocity does not have the tensor's shape (a network
    ///         with dynamic sizes: with fixed sizes the type proves the shapes, and `step` is
    ///         `noexcept`).
    void step(Net& net, const gradient_type& grads) noexcept(detail::fixed_size_network<Net>) {
        if (momentum_ == 0) {
            detail::check_step_shapes(where, net, grads);
            net.visit_tensors(
                [this](std::size_t, std::string_view, auto& w, bool trainable, const auto& g) {
                    if (!trainable) {
                        return;
                    }
                    if (weight_decay_ == 0) {
                        descend(w, g);
                    } else {
                        w.array() -= learning_rate_ * (g.array() + weight_decay_ * w.array());
                    }
                },
                grads);
        } else {
            detail::check_step_shapes(where, net, grads, velocity_);
            const bool first = steps_ == 0;
            net.visit_tensors(
                [this, first](std::size_t, std::string_view, auto& w, bool trainable, const auto& g,
                              auto& b) {
                    if (!trainable) {
                        return;
                    }
                    // d = g + weight_decay * w, written out each time (not held in a
                    // variable: it is an Eigen expression).
                    if (first) {
                        b.array() = g.array() + weight_decay_ * w.array();
                    } else {
                        b.array() = momentum_ * b.array() +
                                    one_minus_dampening_ * (g.array() + weight_decay_ * w.array());
                    }
                    if (nesterov_) {
                        w.array() -= learning_rate_ * (g.array() + weight_decay_ * w.array() +
                                                       momentum_ * b.array());
                    } else {
                        w.array() -= learning_rate_ * b.array();
                    }
                },
                grads, velocity_);
        }
        ++steps_;
    }

private:
    static constexpr std::string_view where = "ffn::sgd";

    /// `w -= learning_rate * g`. A small fixed-size matrix is updated column by column: the
    /// backward pass has just written `g` one column at a time, and reading it back in wider
    /// packets than it was written would wait for those stores to reach the cache
    /// (docs/performance.md, the lecture's training step).
    template <class Tensor, class Gradient>
    void descend(Tensor& w, const Gradient& g) const {
        if constexpr (Tensor::SizeAtCompileTime != Eigen::Dynamic &&
                      Tensor::ColsAtCompileTime > 1) {
            for (Eigen::Index c = 0; c < w.cols(); ++c) {
                w.col(c).noalias() -= learning_rate_ * g.col(c);
            }
        } else {
            w.noalias() -= learning_rate_ * g;
        }
    }

    static scalar_type checked(double value, std::string_view setting,
                               detail::setting_range range) {
        return detail::checked_setting<scalar_type>(where, setting, value, range);
    }

    scalar_type learning_rate_;
    scalar_type momentum_;
    scalar_type dampening_;
    scalar_type weight_decay_;
    scalar_type one_minus_dampening_;
    bool nesterov_;
    gradient_type velocity_{};
    std::uint64_t steps_ = 0;
};

/// Deduces the network type: `ffn::sgd opt(net, learning_rate);`.
template <class Net>
sgd(const Net&, typename Net::scalar_type) -> sgd<Net>;

/// Deduces the network type: `ffn::sgd opt(net, {...});` with `sgd_options`.
template <class Net>
sgd(const Net&, const sgd_options&) -> sgd<Net>;

} // namespace ffn
