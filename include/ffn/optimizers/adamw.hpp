// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// AdamW (Loshchilov and Hutter, 2019): Adam with weight decay decoupled from the gradient.

#include "ffn/concepts/network.hpp"
#include "ffn/optimizers/adam.hpp"

namespace ffn {

/// AdamW. Step \f$t\f$ first shrinks each trainable tensor, then takes Adam's step with the
/// plain gradient, as PyTorch's `AdamW` does:
/// \f[ w \leftarrow w (1 - \eta \lambda), \quad m \leftarrow \beta_1 m + (1 - \beta_1) g,
///     \quad v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \f]
/// \f[ w \leftarrow w - \frac{\eta}{1 - \beta_1^t} \cdot
///     \frac{m}{\sqrt{v} / \sqrt{1 - \beta_2^t} + \epsilon}. \f]
/// The decay never enters the moments, so it shrinks every weight by the same factor whatever
/// its gradient's size (with `ffn::adam`'s coupled decay, a weight with large gradients is
/// hardly decayed at all). Everything else (bias correction once per step, \f$\epsilon\f$
/// outside the square root, state, frozen tensors) is as in `ffn::adam`. The factor
/// \f$1 - \eta\lambda\f$ uses the learning rate of the step, so a schedule scales the decay
/// too; keep \f$\eta\lambda < 1\f$.
///
/// @tparam Net the network type (deduced: `ffn::adamw opt(net, {.weight_decay = 0.1});`)
template <trainable_network Net>
class adamw : public detail::adam_family<Net, adamw_options, true> {
public:
    using detail::adam_family<Net, adamw_options, true>::adam_family;
};

/// Deduces the network type: `ffn::adamw opt(net, learning_rate);`.
template <class Net>
adamw(const Net&, typename Net::scalar_type) -> adamw<Net>;

/// Deduces the network type: `ffn::adamw opt(net, {...});` with `adamw_options`.
template <class Net>
adamw(const Net&, const adamw_options&) -> adamw<Net>;

} // namespace ffn
