// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// RMSprop (Hinton, lecture 6e of "Neural Networks for Machine Learning", 2012), with optional
/// momentum and L2 weight decay.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ffn/concepts/network.hpp"
#include "ffn/detail/optimizer.hpp"

namespace ffn {

/// The settings of `ffn::rmsprop`, with PyTorch's defaults (`torch.optim.RMSprop`). Set them
/// by name: `ffn::rmsprop opt(net, {.learning_rate = 1e-3, .momentum = 0.9});`.
struct rmsprop_options {
    /// \f$\eta\f$, positive and finite.
    double learning_rate = 1e-2;
    /// \f$\alpha\f$ in \f$[0, 1)\f$: the decay of the mean square of the gradients.
    double alpha = 0.99;
    /// \f$\epsilon > 0\f$, added to the root mean square (outside the square root).
    double epsilon = 1e-8;
    /// \f$\lambda \ge 0\f$: L2 weight decay, added to the gradient as \f$\lambda w\f$.
    double weight_decay = 0.0;
    /// \f$\mu\f$ in \f$[0, 1)\f$; 0 turns momentum off.
    double momentum = 0.0;
};

/// RMSprop. For each trainable tensor \f$w\f$ with gradient \f$g\f$, one step computes, as
/// PyTorch's `RMSprop` (not centred) does,
/// \f[ d = g + \lambda w, \quad s \leftarrow \alpha s + (1 - \alpha) d^2, \quad
///     u = \frac{d}{\sqrt{s} + \epsilon}, \f]
/// \f[ w \leftarrow w - \eta u \text{ without momentum}, \quad
///     b \leftarrow \mu b + u, \; w \leftarrow w - \eta b \text{ with momentum}, \f]
/// element by element, \f$s\f$ and \f$b\f$ starting at zero. There is no bias correction, so
/// the first steps are larger than Adam's (the first moves each parameter by about
/// \f$\eta / \sqrt{1 - \alpha}\f$). The state lives in `ffn::gradients<Net>` objects, so steps
/// on a fixed-size network allocate nothing; frozen tensors are left unchanged. Not provided:
/// PyTorch's `centered` and `maximize`.
///
/// @tparam Net the network type (deduced: `ffn::rmsprop opt(net, 0.01);`)
template <trainable_network Net>
class rmsprop {
public:
    /// The network's scalar type.
    using scalar_type = typename Net::scalar_type;
    /// The gradients' type, also the type of the per-parameter state.
    using gradient_type = typename Net::gradient_type;
    /// The settings' type.
    using options_type = rmsprop_options;

    /// RMSprop with learning rate `learning_rate` and the other settings at their defaults.
    /// @throws std::invalid_argument if `learning_rate` is not positive and finite.
    rmsprop(const Net& net, scalar_type learning_rate)
        : rmsprop(net, rmsprop_options{.learning_rate = static_cast<double>(learning_rate)}) {
        learning_rate_ = detail::checked_setting<scalar_type>(where, "learning_rate", learning_rate,
                                                              detail::setting_range::positive);
    }

    /// RMSprop with the given settings.
    /// @throws std::invalid_argument naming the setting if one is out of its range.
    rmsprop(const Net& net, const rmsprop_options& options)
        : learning_rate_(
              checked(options.learning_rate, "learning_rate", detail::setting_range::positive)),
          alpha_(checked(options.alpha, "alpha", detail::setting_range::below_one)),
          epsilon_(checked(options.epsilon, "epsilon", detail::setting_range::positive)),
          weight_decay_(
              checked(options.weight_decay, "weight_decay", detail::setting_range::non_negative)),
          momentum_(checked(options.momentum, "momentum", detail::setting_range::below_one)),
          // Formed in double, then rounded (in float, 1 - 0.99f is off by 2e-7 relative).
          one_minus_alpha_(static_cast<scalar_type>(1.0 - options.alpha)), square_average_(net) {
        if (momentum_ != 0) {
            velocity_ = gradient_type(net);
        }
    }

    /// The learning rate \f$\eta\f$ of the next step.
    [[nodiscard]] scalar_type learning_rate() const noexcept { return learning_rate_; }

    /// Sets the learning rate of the following steps. Zero is allowed (a schedule may end
    /// there: the steps then update only the state).
    /// @throws std::invalid_argument if `learning_rate` is negative or not finite.
    void set_learning_rate(scalar_type learning_rate) {
        learning_rate_ = detail::checked_setting<scalar_type>(where, "learning_rate", learning_rate,
                                                              detail::setting_range::non_negative);
    }

    /// The settings in use (the learning rate as last set).
    [[nodiscard]] rmsprop_options options() const noexcept {
        return {.learning_rate = static_cast<double>(learning_rate_),
                .alpha = static_cast<double>(alpha_),
                .epsilon = static_cast<double>(epsilon_),
                .weight_decay = static_cast<double>(weight_decay_),
                .momentum = static_cast<double>(momentum_)};
    }

    /// The number of steps taken.
    [[nodiscard]] std::uint64_t step_count() const noexcept { return steps_; }

    /// One step against the gradients of the last backward pass.
    /// @throws std::invalid_argument, before changing anything, if a trainable tensor's
    ///         gradient or state does not have the tensor's shape (a network
    ///         with dynamic sizes: with fixed sizes the type proves the shapes, and `step` is
    ///         `noexcept`).
    void step(Net& net, const gradient_type& grads) noexcept(detail::fixed_size_network<Net>) {
        if (momentum_ == 0) {
            detail::check_step_shapes(where, net, grads, square_average_);
            net.visit_tensors(
                [&](std::size_t, std::string_view, auto& w, bool trainable, const auto& g,
                    auto& s) {
                    if (!trainable) {
                        return;
                    }
                    s.array() = alpha_ * s.array() +
                                one_minus_alpha_ * (g.array() + weight_decay_ * w.array()).square();
                    w.array() -= learning_rate_ * ((g.array() + weight_decay_ * w.array()) /
                                                   (s.array().sqrt() + epsilon_));
                },
                grads, square_average_);
        } else {
            detail::check_step_shapes(where, net, grads, square_average_, velocity_);
            net.visit_tensors(
                [&](std::size_t, std::string_view, auto& w, bool trainable, const auto& g, auto& s,
                    auto& b) {
                    if (!trainable) {
                        return;
                    }
                    s.array() = alpha_ * s.array() +
                                one_minus_alpha_ * (g.array() + weight_decay_ * w.array()).square();
                    b.array() = momentum_ * b.array() + (g.array() + weight_decay_ * w.array()) /
                                                            (s.array().sqrt() + epsilon_);
                    w.array() -= learning_rate_ * b.array();
                },
                grads, square_average_, velocity_);
        }
        ++steps_;
    }

private:
    static constexpr std::string_view where = "ffn::rmsprop";

    static scalar_type checked(double value, std::string_view setting,
                               detail::setting_range range) {
        return detail::checked_setting<scalar_type>(where, setting, value, range);
    }

    scalar_type learning_rate_;
    scalar_type alpha_;
    scalar_type epsilon_;
    scalar_type weight_decay_;
    scalar_type momentum_;
    scalar_type one_minus_alpha_;
    gradient_type square_average_;
    gradient_type velocity_{};
    std::uint64_t steps_ = 0;
};

/// Deduces the network type: `ffn::rmsprop opt(net, learning_rate);`.
template <class Net>
rmsprop(const Net&, typename Net::scalar_type) -> rmsprop<Net>;

/// Deduces the network type: `ffn::rmsprop opt(net, {...});` with `rmsprop_options`.
template <class Net>
rmsprop(const Net&, const rmsprop_options&) -> rmsprop<Net>;

} // namespace ffn
