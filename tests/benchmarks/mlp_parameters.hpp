// SPDX-License-Identifier: MIT
#pragma once

// The parameters of a hand-written float MLP (any type with `weights()` and `biases()`, one
// matrix and one vector per layer) beside an ffn network's: the same starting values, copied
// across, and the largest difference between the two.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <string_view>

#include <Eigen/Core>

namespace bench {

/// Starting weights uniform in \f$\pm 1/\sqrt{inputs}\f$, biases 0.1.
template <class Mlp>
void initialise(Mlp& mlp) {
    std::mt19937 gen(7);
    for (auto& w : mlp.weights()) {
        std::uniform_real_distribution<float> uniform(-1.0F, 1.0F);
        const float r = 1.0F / std::sqrt(static_cast<float>(w.cols()));
        for (Eigen::Index i = 0; i < w.size(); ++i) {
            w.data()[i] = r * uniform(gen);
        }
    }
    for (auto& b : mlp.biases()) {
        b.setConstant(0.1F);
    }
}

/// The hand-written MLP's tensor that matches ffn's tensor `name` of `layer`, viewed with the
/// shape of `like` (a bias vector is seen as a one-column matrix).
template <class Mlp, class Like>
Eigen::Map<Eigen::MatrixXf> tensor_of(Mlp& mlp, std::size_t layer, std::string_view name,
                                      const Like& like) {
    float* data = name == "weights" ? mlp.weights()[layer].data() : mlp.biases()[layer].data();
    return {data, like.rows(), like.cols()};
}

/// Copies the hand-written MLP's parameters into an ffn network.
template <class Mlp, class Net>
void copy_parameters(Mlp& from, Net& to) {
    to.visit_tensors([&](std::size_t layer, std::string_view name, auto& tensor, bool) {
        tensor = tensor_of(from, layer, name, tensor);
    });
}

/// The largest difference between the two sets of parameters.
template <class Mlp, class Net>
float max_difference(Mlp& a, const Net& b) {
    float d = 0;
    b.visit_tensors([&](std::size_t layer, std::string_view name, const auto& tensor, bool) {
        d = std::max(d, (tensor - tensor_of(a, layer, name, tensor)).cwiseAbs().maxCoeff());
    });
    return d;
}

} // namespace bench
