// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Learning-rate schedules: the learning rate as a function of the epoch.
///
/// Each schedule holds the initial learning rate \f$\eta_0\f$ and gives the rate of epoch
/// \f$e\f$ (counted from 0, so `learning_rate(0)` is \f$\eta_0\f$) by the closed form of the
/// PyTorch scheduler of the same kind. The training loop calls
/// `optimizer.set_learning_rate(schedule.learning_rate(epoch))` before each epoch:
/// ```cpp
/// ffn::adam opt(net, {.learning_rate = 1e-2});
/// ffn::cosine_annealing schedule(opt.learning_rate(), 100); // the optimizer's scalar type
/// ```
/// The scalar type is deduced from the initial rate; the other settings are doubles.
/// Powers \f$\gamma^k\f$ are computed by repeated squaring, from multiplications only, so
/// step and exponential decay give the same bits everywhere (they may differ from PyTorch's
/// `pow` in the last bits); cosine annealing uses `std::cos`.

#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "ffn/concepts/scalar.hpp"
#include "ffn/detail/format.hpp"
#include "ffn/detail/optimizer.hpp"
#include "ffn/errors.hpp"

namespace ffn {

namespace detail {

/// \f$base^{exponent}\f$ by repeated squaring: about \f$2 \log_2 exponent\f$ multiplications,
/// each exactly rounded, so the result is the same on every platform.
template <class T>
[[nodiscard]] T integer_power(T base, std::size_t exponent) noexcept {
    T result = 1;
    while (exponent != 0) {
        if ((exponent & 1U) != 0) {
            result *= base;
        }
        exponent >>= 1U;
        if (exponent != 0) {
            base *= base;
        }
    }
    return result;
}

/// The initial learning rate of a schedule, checked.
template <class Scalar>
[[nodiscard]] Scalar checked_initial_rate(std::string_view where, Scalar rate) {
    return checked_setting<Scalar>(where, "the initial learning rate", rate,
                                   setting_range::positive);
}

} // namespace detail

/// Step decay (PyTorch's `StepLR`): the rate is multiplied by \f$\gamma\f$ every
/// `step_size` epochs, \f$\eta_e = \eta_0 \gamma^{\lfloor e / step\_size \rfloor}\f$.
///
/// @tparam Scalar the type of the learning rates (deduced from the initial rate)
template <scalar Scalar = double>
class step_decay {
public:
    /// The type of the learning rates.
    using scalar_type = Scalar;

    /// @param initial_learning_rate \f$\eta_0\f$, positive and finite
    /// @param step_size             the number of epochs between decays, positive
    /// @param gamma                 the factor \f$\gamma\f$, in \f$(0, 1]\f$ (PyTorch's
    ///                              default 0.1)
    /// @throws std::invalid_argument naming the setting if one is out of its range.
    step_decay(Scalar initial_learning_rate, std::size_t step_size, double gamma = 0.1)
        : initial_(detail::checked_initial_rate(where, initial_learning_rate)),
          step_size_(step_size), gamma_(detail::checked_setting<double>(
                                     where, "gamma", gamma, detail::setting_range::up_to_one)) {
        if (step_size == 0) {
            detail::raise(
                std::invalid_argument(std::string(where) + ": step_size must be positive, got 0"));
        }
    }

    /// \f$\eta_0 \gamma^{\lfloor epoch / step\_size \rfloor}\f$.
    [[nodiscard]] Scalar learning_rate(std::size_t epoch) const noexcept {
        return static_cast<Scalar>(
            static_cast<wide_type>(initial_) *
            detail::integer_power(static_cast<wide_type>(gamma_), epoch / step_size_));
    }

    /// \f$\eta_0\f$, the rate of epoch 0.
    [[nodiscard]] Scalar initial_learning_rate() const noexcept { return initial_; }
    /// The number of epochs between decays.
    [[nodiscard]] std::size_t step_size() const noexcept { return step_size_; }
    /// The factor \f$\gamma\f$.
    [[nodiscard]] double gamma() const noexcept { return gamma_; }

private:
    static constexpr std::string_view where = "ffn::step_decay";
    using wide_type = std::common_type_t<Scalar, double>;

    Scalar initial_;
    std::size_t step_size_;
    double gamma_;
};

/// Exponential decay (PyTorch's `ExponentialLR`): the rate is multiplied by \f$\gamma\f$
/// every epoch, \f$\eta_e = \eta_0 \gamma^e\f$.
///
/// @tparam Scalar the type of the learning rates (deduced from the initial rate)
template <scalar Scalar = double>
class exponential_decay {
public:
    /// The type of the learning rates.
    using scalar_type = Scalar;

    /// @param initial_learning_rate \f$\eta_0\f$, positive and finite
    /// @param gamma                 the factor \f$\gamma\f$ per epoch, in \f$(0, 1]\f$
    /// @throws std::invalid_argument naming the setting if one is out of its range.
    exponential_decay(Scalar initial_learning_rate, double gamma)
        : initial_(detail::checked_initial_rate(where, initial_learning_rate)),
          gamma_(detail::checked_setting<double>(where, "gamma", gamma,
                                                 detail::setting_range::up_to_one)) {}

    /// \f$\eta_0 \gamma^{epoch}\f$ (it reaches 0 once \f$\gamma^{epoch}\f$ underflows).
    [[nodiscard]] Scalar learning_rate(std::size_t epoch) const noexcept {
        return static_cast<Scalar>(static_cast<wide_type>(initial_) *
                                   detail::integer_power(static_cast<wide_type>(gamma_), epoch));
    }

    /// \f$\eta_0\f$, the rate of epoch 0.
    [[nodiscard]] Scalar initial_learning_rate() const noexcept { return initial_; }
    /// The factor \f$\gamma\f$.
    [[nodiscard]] double gamma() const noexcept { return gamma_; }

private:
    static constexpr std::string_view where = "ffn::exponential_decay";
    using wide_type = std::common_type_t<Scalar, double>;

    Scalar initial_;
    double gamma_;
};

/// Cosine annealing (PyTorch's `CosineAnnealingLR`, the closed form, without restarts):
/// \f[ \eta_e = \eta_{min} + (\eta_0 - \eta_{min}) \frac{1 + \cos(\pi e / T_{max})}{2}, \f]
/// from \f$\eta_0\f$ at epoch 0 down to \f$\eta_{min}\f$ at epoch \f$T_{max}\f$. Past
/// \f$T_{max}\f$ the same formula rises again (period \f$2 T_{max}\f$), as PyTorch's does; for
/// \f$T_{max}\f$ epochs of training set \f$T_{max}\f$ to the number of epochs. With
/// \f$\eta_{min} = 0\f$ (the default) epoch \f$T_{max}\f$ has rate 0, which the optimizers'
/// `set_learning_rate` accepts. Uses `std::cos`, whose last bit may vary between standard
/// libraries.
///
/// @tparam Scalar the type of the learning rates (deduced from the initial rate)
template <scalar Scalar = double>
class cosine_annealing {
public:
    /// The type of the learning rates.
    using scalar_type = Scalar;

    /// @param initial_learning_rate \f$\eta_0\f$, positive and finite
    /// @param t_max                 \f$T_{max}\f$: the number of epochs from \f$\eta_0\f$
    ///                              down to \f$\eta_{min}\f$, positive
    /// @param eta_min               \f$\eta_{min}\f$, in \f$[0, \eta_0]\f$ (default 0)
    /// @throws std::invalid_argument naming the setting if one is out of its range.
    cosine_annealing(Scalar initial_learning_rate, std::size_t t_max, double eta_min = 0.0)
        : initial_(detail::checked_initial_rate(where, initial_learning_rate)), t_max_(t_max),
          eta_min_(detail::checked_setting<double>(where, "eta_min", eta_min,
                                                   detail::setting_range::non_negative)) {
        if (t_max == 0) {
            detail::raise(
                std::invalid_argument(std::string(where) + ": t_max must be positive, got 0"));
        }
        if (static_cast<wide_type>(eta_min) > static_cast<wide_type>(initial_)) {
            detail::raise(std::invalid_argument(
                std::string(where) +
                ": eta_min must not exceed the initial learning rate, got "
                "eta_min = " +
                detail::format_number(eta_min) + ", initial learning rate = " +
                detail::format_number(static_cast<double>(initial_))));
        }
    }

    /// \f$\eta_{min} + (\eta_0 - \eta_{min})(1 + \cos(\pi \cdot epoch / T_{max})) / 2\f$.
    [[nodiscard]] Scalar learning_rate(std::size_t epoch) const noexcept {
        // The angle's epoch is reduced modulo 2 T_max first (the cosine's period), so that
        // the angle stays small and exact for any epoch.
        // (When 2 T_max would overflow, every epoch is already below it.)
        const std::size_t phase =
            t_max_ <= std::numeric_limits<std::size_t>::max() / 2 ? epoch % (2 * t_max_) : epoch;
        const wide_type angle = std::numbers::pi_v<wide_type> * static_cast<wide_type>(phase) /
                                static_cast<wide_type>(t_max_);
        wide_type factor = (wide_type(1) + std::cos(angle)) / wide_type(2);
        factor = factor < 0 ? wide_type(0) : (factor > 1 ? wide_type(1) : factor);
        const auto eta_min = static_cast<wide_type>(eta_min_);
        return static_cast<Scalar>(eta_min + (static_cast<wide_type>(initial_) - eta_min) * factor);
    }

    /// \f$\eta_0\f$, the rate of epoch 0.
    [[nodiscard]] Scalar initial_learning_rate() const noexcept { return initial_; }
    /// \f$T_{max}\f$, the epochs from \f$\eta_0\f$ down to \f$\eta_{min}\f$.
    [[nodiscard]] std::size_t t_max() const noexcept { return t_max_; }
    /// \f$\eta_{min}\f$, the lowest rate.
    [[nodiscard]] double eta_min() const noexcept { return eta_min_; }

private:
    static constexpr std::string_view where = "ffn::cosine_annealing";
    using wide_type = std::common_type_t<Scalar, double>;

    Scalar initial_;
    std::size_t t_max_;
    double eta_min_;
};

} // namespace ffn
