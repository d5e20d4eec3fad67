// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The settings contract: how an activation or a loss with settings (a leaky relu's slope, a
/// Huber loss's delta) tells ffn what they are, so that every file ffn writes (its own format,
/// safetensors, C++ source) holds them and loading restores them.
///
/// A policy with settings provides, for its `N` settings,
/// - `static constexpr std::array<std::string_view, N> setting_names`: their names, as files
///   record them (`{"slope"}`);
/// - `std::array<double, N> settings() const`: their values, in that order;
/// - a constructor taking the `N` values as `double`s, in that order, which checks them and
///   throws `std::invalid_argument` for a value it refuses (`leaky_relu(double slope)`).
/// Settings are `double`s whatever the network's scalar type, and are saved bit for bit.
///
/// A policy without data members (an empty class, such as `ffn::sigmoid`) has no settings and
/// needs none of this. A policy that has data members but does not declare its settings cannot
/// be saved: `ffn::save` and the other writers refuse it at compile time, since they could not
/// restore it.

#include <array>
#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ffn {

namespace detail {
template <class P, std::size_t... I>
constexpr bool constructible_from_doubles(std::index_sequence<I...> /*unused*/) {
    return std::is_constructible_v<P, decltype(static_cast<void>(I), 0.0)...>;
}
} // namespace detail

/// A policy that declares its settings; see the file comment.
// clang-format off
template <class P>
concept has_settings =
    requires(const P p) {
        { P::setting_names.size() } -> std::convertible_to<std::size_t>;
        { P::setting_names[0] } -> std::convertible_to<std::string_view>;
        { p.settings() } -> std::same_as<std::array<double, P::setting_names.size()>>;
    } &&
    detail::constructible_from_doubles<P>(std::make_index_sequence<P::setting_names.size()>{});
// clang-format on

/// A policy that every ffn file can hold: one without data members, or one that declares its
/// settings.
template <class P>
concept savable_policy = std::is_empty_v<P> || has_settings<P>;

namespace detail {

/// The policy of a layer that has no activation: no settings.
struct no_settings {};

/// The number of settings of policy `P` (0 for a policy without any).
template <class P>
[[nodiscard]] constexpr std::size_t setting_count() noexcept {
    if constexpr (has_settings<P>) {
        return P::setting_names.size();
    } else {
        return 0;
    }
}

/// The names of `P`'s settings (empty for a policy without any).
template <class P>
[[nodiscard]] constexpr std::array<std::string_view, setting_count<P>()> setting_names() noexcept {
    if constexpr (has_settings<P>) {
        return P::setting_names;
    } else {
        return {};
    }
}

/// The values of `policy`'s settings (empty for a policy without any).
template <class P>
[[nodiscard]] std::array<double, setting_count<P>()> settings_of(const P& policy) {
    if constexpr (has_settings<P>) {
        return policy.settings();
    } else {
        static_cast<void>(policy);
        return {};
    }
}

/// A policy of type `P` made from the values of its settings, through its constructor (which
/// may throw `std::invalid_argument`).
template <class P, std::size_t N>
[[nodiscard]] P policy_from_settings(const std::array<double, N>& values) {
    static_assert(N == setting_count<P>());
    if constexpr (N == 0) {
        return P{};
    } else {
        return [&values]<std::size_t... I>(std::index_sequence<I...>) { return P(values[I]...); }
        (std::make_index_sequence<N>{});
    }
}

/// Whether two policies of one type compute the same: same settings (policies without settings
/// always do).
template <class P>
[[nodiscard]] bool same_settings(const P& a, const P& b) {
    if constexpr (has_settings<P>) {
        return a.settings() == b.settings();
    } else {
        static_cast<void>(a);
        static_cast<void>(b);
        return true;
    }
}

/// A layer that declares its settings (dropout's `p`, batch normalisation's `momentum` and
/// `epsilon`): `setting_names` and `settings()` as a policy has them, and
/// `set_settings(values)`, which checks the values and throws `std::invalid_argument` for one
/// it refuses. A layer's tensors are not rebuilt from its settings, so it takes them by a
/// member rather than a constructor.
// clang-format off
template <class L>
concept layer_with_settings =
    requires(L l, const L cl) {
        { L::setting_names.size() } -> std::convertible_to<std::size_t>;
        { cl.settings() } -> std::same_as<std::array<double, L::setting_names.size()>>;
        l.set_settings(cl.settings());
    };
// clang-format on

/// The number of settings of layer type `L` (0 for a layer without any).
template <class L>
[[nodiscard]] constexpr std::size_t layer_setting_count() noexcept {
    if constexpr (layer_with_settings<L>) {
        return L::setting_names.size();
    } else {
        return 0;
    }
}

/// The names of layer type `L`'s settings.
template <class L>
[[nodiscard]] constexpr std::array<std::string_view, layer_setting_count<L>()>
layer_setting_names() noexcept {
    if constexpr (layer_with_settings<L>) {
        return L::setting_names;
    } else {
        return {};
    }
}

/// The values of `layer`'s settings.
template <class L>
[[nodiscard]] std::array<double, layer_setting_count<L>()> layer_settings_of(const L& layer) {
    if constexpr (layer_with_settings<L>) {
        return layer.settings();
    } else {
        static_cast<void>(layer);
        return {};
    }
}

/// Instantiated by every writer for each policy it saves, so that a policy it could not
/// restore is refused at compile time.
template <class P>
struct check_savable_policy {
    static_assert(savable_policy<P>,
                  "ffn: this activation or loss has data members but does not declare its "
                  "settings, so a file could not restore it. Add `static constexpr "
                  "std::array<std::string_view, N> setting_names`, a member `std::array<double, "
                  "N> settings() const` and a constructor taking the N values in that order "
                  "(see include/ffn/concepts/settings.hpp).");
    static constexpr bool value = savable_policy<P>;
};

} // namespace detail

} // namespace ffn
