// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The contracts of optimizers and learning-rate schedules.
///
/// An optimizer `O` for a network type `Net` provides
/// - `o.step(net, grads)`: changes every trainable (not frozen) parameter tensor of `net` from
///   the gradients `grads` (a `ffn::gradients<Net>`) of the last backward pass, and leaves
///   frozen tensors unchanged;
/// - `o.learning_rate()`: the learning rate in use, convertible to `Net::scalar_type`;
/// - `o.set_learning_rate(lr)`: sets it for the following steps (a schedule calls it once per
///   epoch), throwing `std::invalid_argument` if `lr` is negative or not finite.
/// An optimizer keeps its state (momenta, moment estimates) in objects of the shape of
/// `ffn::gradients<Net>`, made when it is constructed from the network, so that steps
/// allocate nothing.
///
/// A learning-rate schedule `S` provides `s.learning_rate(epoch)`: the learning rate for
/// epoch `epoch`, counted from 0, as a floating-point number. It holds its own initial rate;
/// it is a pure function of the epoch.

#include <concepts>
#include <cstddef>

#include "ffn/concepts/network.hpp"
#include "ffn/concepts/scalar.hpp"

namespace ffn {

/// An optimizer for networks of type `Net`; see the file comment.
template <class O, class Net>
concept optimizer = trainable_network<Net> &&
    requires(O& o, const O& co, Net& net, const typename Net::gradient_type& grads,
             typename Net::scalar_type learning_rate) {
    o.step(net, grads);
    { co.learning_rate() } -> std::convertible_to<typename Net::scalar_type>;
    o.set_learning_rate(learning_rate);
};

/// A learning-rate schedule; see the file comment.
template <class S>
concept learning_rate_schedule = std::copy_constructible<S> &&
    requires(const S& s, std::size_t epoch) {
    { s.learning_rate(epoch) } -> scalar;
};

} // namespace ffn
