// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Plain stochastic gradient descent.

#include <cmath>
#include <stdexcept>
#include <string>

namespace ffn {

/// Stochastic gradient descent: \f$w \leftarrow w - \eta \, \partial E / \partial w\f$ for
/// every trainable tensor, where \f$\eta\f$ is the learning rate. Frozen tensors are left
/// unchanged.
///
/// @tparam Net the network type (deduced: `ffn::sgd opt(net, 0.6);`)
template <class Net>
class sgd {
public:
    /// The network's scalar type.
    using scalar_type = typename Net::scalar_type;

    /// An optimizer for `net` with the given learning rate.
    /// @throws std::invalid_argument if `learning_rate` is not positive and finite.
    sgd(const Net& /*net*/, scalar_type learning_rate) { set_learning_rate(learning_rate); }

    /// The learning rate \f$\eta\f$.
    [[nodiscard]] scalar_type learning_rate() const noexcept { return learning_rate_; }

    /// Sets the learning rate \f$\eta\f$.
    /// @throws std::invalid_argument if `learning_rate` is not positive and finite.
    void set_learning_rate(scalar_type learning_rate) {
        if (!(learning_rate > 0) || !std::isfinite(learning_rate)) {
            throw std::invalid_argument("ffn::sgd: the learning rate must be positive and "
                                        "finite, got " +
                                        std::to_string(learning_rate));
        }
        learning_rate_ = learning_rate;
    }

    /// One step against the gradients of the last backward pass.
    void step(Net& net, const typename Net::gradient_type& grads) {
        net.visit_tensors(
            [this](std::size_t, std::string_view, auto& tensor, bool trainable, const auto& grad) {
                if (trainable) {
                    tensor.noalias() -= learning_rate_ * grad;
                }
            },
            grads);
    }

private:
    scalar_type learning_rate_{};
};

/// Deduces the network type: `ffn::sgd opt(net, 0.6);`.
template <class Net>
sgd(const Net&, typename Net::scalar_type) -> sgd<Net>;

} // namespace ffn
