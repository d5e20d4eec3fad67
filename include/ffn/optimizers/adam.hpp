// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Adam (Kingma and Ba, 2015), with optional L2 weight decay added to the gradient.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "ffn/concepts/network.hpp"
#include "ffn/detail/optimizer.hpp"

namespace ffn {

/// The settings of `ffn::adam`, with PyTorch's defaults (`torch.optim.Adam`). Set them by
/// name: `ffn::adam opt(net, {.learning_rate = 1e-2, .beta2 = 0.99});`.
struct adam_options {
    /// \f$\eta\f$, positive and finite.
    double learning_rate = 1e-3;
    /// \f$\beta_1\f$ in \f$[0, 1)\f$: the decay of the first-moment (mean) estimate.
    double beta1 = 0.9;
    /// \f$\beta_2\f$ in \f$[0, 1)\f$: the decay of the second-moment (uncentred variance)
    /// estimate.
    double beta2 = 0.999;
    /// \f$\epsilon > 0\f$, added to the square root of the second moment (outside it).
    double epsilon = 1e-8;
    /// \f$\lambda \ge 0\f$: L2 weight decay, added to the gradient as \f$\lambda w\f$ before
    /// the moments see it (for decay applied to the weights, use `ffn::adamw`).
    double weight_decay = 0.0;
};

/// The settings of `ffn::adamw`: those of Adam, with PyTorch's `AdamW` defaults (the
/// weight decay \f$\lambda\f$ is 0.01 and is applied to the weights, decoupled from the
/// gradient).
struct adamw_options {
    /// \f$\eta\f$, positive and finite.
    double learning_rate = 1e-3;
    /// \f$\beta_1\f$ in \f$[0, 1)\f$, as in `adam_options`.
    double beta1 = 0.9;
    /// \f$\beta_2\f$ in \f$[0, 1)\f$, as in `adam_options`.
    double beta2 = 0.999;
    /// \f$\epsilon > 0\f$, as in `adam_options`.
    double epsilon = 1e-8;
    /// \f$\lambda \ge 0\f$: weight decay applied to the weights, decoupled from the
    /// gradient.
    double weight_decay = 1e-2;
};

namespace detail {

/// Adam and AdamW: the same moments and bias correction, the weight decay coupled (added to
/// the gradient) or decoupled (applied to the weights).
template <class Net, class Options, bool Decoupled>
class adam_family {
public:
    using scalar_type = typename Net::scalar_type;
    using gradient_type = typename Net::gradient_type;
    using options_type = Options;

    /// Adam with learning rate `learning_rate` and the other settings at their defaults.
    /// @throws std::invalid_argument if `learning_rate` is not positive and finite.
    adam_family(const Net& net, scalar_type learning_rate)
        : adam_family(net, Options{.learning_rate = static_cast<double>(learning_rate)}) {
        learning_rate_ = detail::checked_setting<scalar_type>(where, "learning_rate", learning_rate,
                                                              setting_range::positive);
    }

    /// Adam with the given settings; the moments start at zero.
    /// @throws std::invalid_argument naming the setting if one is out of its range.
    adam_family(const Net& net, const Options& options)
        : learning_rate_(checked(options.learning_rate, "learning_rate", setting_range::positive)),
          beta1_(checked(options.beta1, "beta1", setting_range::below_one)),
          beta2_(checked(options.beta2, "beta2", setting_range::below_one)),
          epsilon_(checked(options.epsilon, "epsilon", setting_range::positive)),
          weight_decay_(checked(options.weight_decay, "weight_decay", setting_range::non_negative)),
          // 1 - beta is formed in double and then rounded, as PyTorch does: in float,
          // 1 - 0.999f would be 0.00100005, off by 5e-5.
          one_minus_beta1_(static_cast<scalar_type>(1.0 - options.beta1)),
          one_minus_beta2_(static_cast<scalar_type>(1.0 - options.beta2)),
          beta1_wide_(options.beta1), beta2_wide_(options.beta2), first_moment_(net),
          second_moment_(net) {}

    /// The learning rate \f$\eta\f$ of the next step.
    [[nodiscard]] scalar_type learning_rate() const noexcept { return learning_rate_; }

    /// Sets the learning rate of the following steps. Zero is allowed (a schedule may end
    /// there: the steps then update only the moments).
    /// @throws std::invalid_argument if `learning_rate` is negative or not finite.
    void set_learning_rate(scalar_type learning_rate) {
        learning_rate_ = detail::checked_setting<scalar_type>(where, "learning_rate", learning_rate,
                                                              setting_range::non_negative);
    }

    /// The settings in use (the learning rate as last set).
    [[nodiscard]] Options options() const noexcept {
        return {.learning_rate = static_cast<double>(learning_rate_),
                .beta1 = static_cast<double>(beta1_wide_),
                .beta2 = static_cast<double>(beta2_wide_),
                .epsilon = static_cast<double>(epsilon_),
                .weight_decay = static_cast<double>(weight_decay_)};
    }

    /// The number of steps taken, \f$t\f$ in the bias correction.
    [[nodiscard]] std::uint64_t step_count() const noexcept { return steps_; }

    /// The first-moment estimates \f$m\f$, one tensor per parameter tensor.
    [[nodiscard]] const gradient_type& first_moment() const noexcept { return first_moment_; }
    /// The second-moment estimates \f$v\f$, one tensor per parameter tensor.
    [[nodiscard]] const gradient_type& second_moment() const noexcept { return second_moment_; }

    /// One step against the gradients of the last backward pass (see `ffn::adam`).
    /// @throws std::invalid_argument, before changing anything, if a trainable tensor's
    ///         gradient or moments do not have the tensor's shape (a network
    ///         with dynamic sizes: with fixed sizes the type proves the shapes, and `step` is
    ///         `noexcept`).
    void step(Net& net, const gradient_type& grads) noexcept(detail::fixed_size_network<Net>) {
        detail::check_step_shapes(where, net, grads, first_moment_, second_moment_);
        // One step of the optimizer is one step of t, however many tensors it updates.
        ++steps_;
        beta1_power_ *= beta1_wide_;
        beta2_power_ *= beta2_wide_;
        const wide_type learning_rate = learning_rate_;
        const auto step_size =
            static_cast<scalar_type>(learning_rate / (wide_type(1) - beta1_power_));
        const auto correction2_sqrt =
            static_cast<scalar_type>(std::sqrt(wide_type(1) - beta2_power_));
        const auto decay = static_cast<scalar_type>(
            wide_type(1) - learning_rate * static_cast<wide_type>(weight_decay_));
        net.visit_tensors(
            [&](std::size_t, std::string_view, auto& w, bool trainable, const auto& g, auto& m,
                auto& v) {
                if (!trainable) {
                    return;
                }
                if (Decoupled || weight_decay_ == 0) {
                    if (Decoupled && weight_decay_ != 0) {
                        w *= decay;
                    }
                    m.array() = beta1_ * m.array() + one_minus_beta1_ * g.array();
                    v.array() = beta2_ * v.array() + one_minus_beta2_ * g.array().square();
                } else {
                    m.array() = beta1_ * m.array() +
                                one_minus_beta1_ * (g.array() + weight_decay_ * w.array());
                    v.array() = beta2_ * v.array() +
                                one_minus_beta2_ * (g.array() + weight_decay_ * w.array()).square();
                }
                // epsilon is added outside the square root, to the bias-corrected sqrt(v).
                w.array() -=
                    step_size * (m.array() / (v.array().sqrt() / correction2_sqrt + epsilon_));
            },
            grads, first_moment_, second_moment_);
    }

private:
    static constexpr std::string_view where = Decoupled ? "ffn::adamw" : "ffn::adam";
    /// The bias corrections are computed in at least double precision, as PyTorch does.
    using wide_type = std::common_type_t<scalar_type, double>;

    static scalar_type checked(double value, std::string_view setting, setting_range range) {
        return detail::checked_setting<scalar_type>(where, setting, value, range);
    }

    scalar_type learning_rate_;
    scalar_type beta1_;
    scalar_type beta2_;
    scalar_type epsilon_;
    scalar_type weight_decay_;
    scalar_type one_minus_beta1_;
    scalar_type one_minus_beta2_;
    wide_type beta1_wide_;
    wide_type beta2_wide_;
    wide_type beta1_power_ = 1; // beta1^t
    wide_type beta2_power_ = 1; // beta2^t
    gradient_type first_moment_;
    gradient_type second_moment_;
    std::uint64_t steps_ = 0;
};

} // namespace detail

/// Adam. For each trainable tensor \f$w\f$ with gradient \f$g\f$, step \f$t\f$ (counted from
/// 1, once per call of `step`, for all tensors alike) computes, as PyTorch's `Adam` does,
/// \f[ d = g + \lambda w, \quad m \leftarrow \beta_1 m + (1 - \beta_1) d, \quad
///     v \leftarrow \beta_2 v + (1 - \beta_2) d^2, \f]
/// \f[ w \leftarrow w - \frac{\eta}{1 - \beta_1^t} \cdot
///     \frac{m}{\sqrt{v} / \sqrt{1 - \beta_2^t} + \epsilon} \f]
/// element by element, so the first step moves every parameter by about \f$\eta\f$ against
/// the sign of its gradient. \f$\epsilon\f$ is outside the square root. The moments \f$m\f$,
/// \f$v\f$ start at zero and live in two `ffn::gradients<Net>`, so steps on a fixed-size
/// network allocate nothing. Frozen tensors are left unchanged and their moments stay zero.
/// \f$t\f$ counts the optimizer's steps; PyTorch counts per tensor, which differs only for a
/// tensor unfrozen after some steps (here its first update has the bias correction of the
/// current \f$t\f$). Not provided: PyTorch's `amsgrad` and `maximize`.
///
/// @tparam Net the network type (deduced: `ffn::adam opt(net, {.learning_rate = 1e-2});`)
template <trainable_network Net>
class adam : public detail::adam_family<Net, adam_options, false> {
public:
    using detail::adam_family<Net, adam_options, false>::adam_family;
};

/// Deduces the network type: `ffn::adam opt(net, learning_rate);`.
template <class Net>
adam(const Net&, typename Net::scalar_type) -> adam<Net>;

/// Deduces the network type: `ffn::adam opt(net, {...});` with `adam_options`.
template <class Net>
adam(const Net&, const adam_options&) -> adam<Net>;

} // namespace ffn
