// SPDX-License-Identifier: MIT
#pragma once

// Networks and data shared by the training tests: a 2-4-1 sigmoid network in four variants
// (float/double, fixed/dynamic sizes), the XOR samples, and seeded parameters.

#include <cstdint>
#include <string_view>

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>
#include <ffn/detail/random.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/init/uniform.hpp>
#include <ffn/train/evaluate.hpp>
#include <ffn/train/fit.hpp>

namespace train_test {

/// Draws every parameter of `net` (biases too) uniformly from [-scale, scale).
template <class Net>
void fill_uniform(Net& net, std::uint64_t seed, double scale = 1.0) {
    ffn::initialize(net, ffn::uniform(-scale, scale), seed, ffn::uniform(-scale, scale));
}

/// A 2-4-1 sigmoid network with the lecture's loss; `Fixed` chooses compile-time sizes.
template <class Scalar, bool Fixed>
struct xor_case {
    using scalar = Scalar;
    static constexpr Eigen::Index in = Fixed ? 2 : Eigen::Dynamic;
    static constexpr Eigen::Index hidden = Fixed ? 4 : Eigen::Dynamic;
    static constexpr Eigen::Index out = Fixed ? 1 : Eigen::Dynamic;
    using net_type =
        ffn::network<ffn::half_squared_error, ffn::dense<in, hidden, ffn::sigmoid, Scalar>,
                     ffn::dense<hidden, out, ffn::sigmoid, Scalar>>;
    using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

    /// The network with its parameters drawn from `seed`.
    static net_type make(std::uint64_t seed = 1) {
        net_type net({2, 4, 1});
        fill_uniform(net, seed);
        return net;
    }
    /// The four XOR inputs, `copies` times over.
    static matrix inputs(Eigen::Index copies = 1) {
        matrix x(2, 4 * copies);
        for (Eigen::Index c = 0; c < copies; ++c) {
            x.middleCols(4 * c, 4) << 0, 0, 1, 1, 0, 1, 0, 1;
        }
        return x;
    }
    static matrix targets(Eigen::Index copies = 1) {
        matrix y(1, 4 * copies);
        for (Eigen::Index c = 0; c < copies; ++c) {
            y.middleCols(4 * c, 4) << 0, 1, 1, 0;
        }
        return y;
    }
};

using fixed_float = xor_case<float, true>;
using fixed_double = xor_case<double, true>;
using dynamic_float = xor_case<float, false>;
using dynamic_double = xor_case<double, false>;

} // namespace train_test
