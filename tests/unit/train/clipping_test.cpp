// SPDX-License-Identifier: MIT
// Gradient clipping: ffn::clip_gradient_norm and ffn::clip_gradient_value against numbers
// worked by hand, with PyTorch's definitions; frozen tensors; errors; and fit's
// clip_gradient_norm and clip_gradient_value options against a hand-written loop.

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include <ffn/optimizers/clipping.hpp>

#include "train_fixtures.hpp"

using train_test::dynamic_double;
using train_test::dynamic_float;
using train_test::fixed_double;
using train_test::fixed_float;

namespace {

/// A 2-1 network: its gradients are a 1x2 weight matrix and a bias of 1.
template <class Scalar, bool Fixed>
struct two_one {
    using scalar = Scalar;
    static constexpr Eigen::Index in = Fixed ? 2 : Eigen::Dynamic;
    static constexpr Eigen::Index out = Fixed ? 1 : Eigen::Dynamic;
    using net_type =
        ffn::network<ffn::half_squared_error, ffn::dense<in, out, ffn::identity, Scalar>>;
};

using two_one_fixed_float = two_one<float, true>;
using two_one_fixed_double = two_one<double, true>;
using two_one_dynamic_float = two_one<float, false>;
using two_one_dynamic_double = two_one<double, false>;

/// Gradients [w1 w2] for the weights and [b] for the bias.
template <class Net, class Scalar>
ffn::gradients<Net> gradients_of(const Net& net, Scalar w1, Scalar w2, Scalar b) {
    ffn::gradients<Net> g(net);
    g.template layer<0>().weights << w1, w2;
    g.template layer<0>().bias << b;
    return g;
}

} // namespace

TEMPLATE_TEST_CASE("clip_gradient_norm scales every gradient by max_norm / (norm + 1e-6) when "
                   "the global norm is above max_norm",
                   "[train]", two_one_fixed_float, two_one_fixed_double, two_one_dynamic_float,
                   two_one_dynamic_double) {
    using scalar = typename TestType::scalar;
    const typename TestType::net_type net({2, 1});
    // [3, 4] and [12]: sqrt(9 + 16 + 144) = 13.
    auto g = gradients_of(net, scalar(3), scalar(4), scalar(12));
    const scalar norm = ffn::clip_gradient_norm(net, g, scalar(6.5));
    CHECK(norm == scalar(13));
    // The factor is computed in double (the accumulator for float), then rounded once.
    const auto factor = static_cast<scalar>(6.5 / (13.0 + 1e-6));
    CHECK(g.template layer<0>().weights(0, 0) == scalar(3) * factor);
    CHECK(g.template layer<0>().weights(0, 1) == scalar(4) * factor);
    CHECK(g.template layer<0>().bias(0) == scalar(12) * factor);
    // The new norm is just below 6.5.
    const scalar after = ffn::clip_gradient_norm(net, g, scalar(100));
    CHECK(after == Approx(6.5).epsilon(1e-6));
    CHECK(after < scalar(6.5));
    if constexpr (std::is_same_v<scalar, double>) {
        // The 1e-6 shows in double: a plain max_norm / norm would give 1.5 exactly.
        CHECK(g.template layer<0>().weights(0, 0) != 1.5);
        CHECK(g.template layer<0>().weights(0, 0) == 3.0 * (6.5 / (13.0 + 1e-6)));
    }
}

TEMPLATE_TEST_CASE("clip_gradient_norm leaves gradients below max_norm alone and, as PyTorch, "
                   "scales a norm equal to max_norm by max_norm / (max_norm + 1e-6)",
                   "[train]", two_one_fixed_float, two_one_dynamic_double) {
    using scalar = typename TestType::scalar;
    const typename TestType::net_type net({2, 1});
    auto g = gradients_of(net, scalar(3), scalar(4), scalar(12));
    CHECK(ffn::clip_gradient_norm(net, g, scalar(14)) == scalar(13));
    CHECK(g.template layer<0>().weights(0, 0) == scalar(3));
    CHECK(g.template layer<0>().weights(0, 1) == scalar(4));
    CHECK(g.template layer<0>().bias(0) == scalar(12));

    CHECK(ffn::clip_gradient_norm(net, g, scalar(13)) == scalar(13));
    const auto factor = static_cast<scalar>(13.0 / (13.0 + 1e-6));
    REQUIRE(factor < scalar(1));
    CHECK(g.template layer<0>().bias(0) == scalar(12) * factor);
}

TEMPLATE_TEST_CASE("clip_gradient_norm counts and changes only trainable tensors", "[train]",
                   two_one_fixed_double, two_one_dynamic_float) {
    using scalar = typename TestType::scalar;
    typename TestType::net_type net({2, 1});
    net.template layer<0>().freeze_bias();
    auto g = gradients_of(net, scalar(3), scalar(4), scalar(12));
    CHECK(ffn::clip_gradient_norm(net, g, scalar(2.5)) == scalar(5)); // the bias is left out
    const auto factor = static_cast<scalar>(2.5 / (5.0 + 1e-6));
    CHECK(g.template layer<0>().weights(0, 0) == scalar(3) * factor);
    CHECK(g.template layer<0>().weights(0, 1) == scalar(4) * factor);
    CHECK(g.template layer<0>().bias(0) == scalar(12));
}

TEST_CASE("clip_gradient_norm sums a float network's squares in double", "[train]") {
    const two_one_fixed_float::net_type net;
    // 1e30f squared overflows float, not double: the norm is sqrt(2) * 1e30.
    auto g = gradients_of(net, 1e30F, 1e30F, 0.0F);
    const float norm = ffn::clip_gradient_norm(net, g, 1.0F);
    CHECK(norm == Approx(std::sqrt(2.0) * 1e30).epsilon(1e-6));
    CHECK(g.layer<0>().weights(0, 0) == Approx(1.0 / std::sqrt(2.0)).epsilon(1e-6));
}

TEMPLATE_TEST_CASE("clip_gradient_norm throws, naming the tensor and changing nothing, when the "
                   "total norm is not finite",
                   "[train]", two_one_fixed_float, two_one_dynamic_double) {
    using scalar = typename TestType::scalar;
    const typename TestType::net_type net({2, 1});
    auto g = gradients_of(net, scalar(3), scalar(4), std::numeric_limits<scalar>::quiet_NaN());
    CHECK_THROWS_AS(ffn::clip_gradient_norm(net, g, scalar(1)), ffn::divergence_error);
    CHECK_THROWS_WITH(ffn::clip_gradient_norm(net, g, scalar(1)),
                      "ffn::clip_gradient_norm: the total norm of the gradients is nan (the "
                      "gradient of layer 0 bias holds a nan or an infinity)");
    CHECK(g.template layer<0>().weights(0, 0) == scalar(3));
    CHECK(g.template layer<0>().weights(0, 1) == scalar(4));

    g.template layer<0>().weights(0, 1) = -std::numeric_limits<scalar>::infinity();
    CHECK_THROWS_WITH(ffn::clip_gradient_norm(net, g, scalar(1)),
                      Catch::StartsWith("ffn::clip_gradient_norm: the total norm of the "
                                        "gradients is") &&
                          Catch::Contains("(the gradient of layer 0 weights holds"));
}

TEST_CASE("clip_gradient_norm says when finite double gradients overflow the sum of squares",
          "[train]") {
    const two_one_fixed_double::net_type net;
    auto g = gradients_of(net, 1e200, 1.0, 1.0);
    CHECK_THROWS_WITH(ffn::clip_gradient_norm(net, g, 1.0),
                      "ffn::clip_gradient_norm: the total norm of the gradients is inf (the sum "
                      "of the squares overflowed)");
}

TEMPLATE_TEST_CASE("clip_gradient_value clamps every element of the trainable gradients", "[train]",
                   two_one_fixed_float, two_one_fixed_double, two_one_dynamic_float,
                   two_one_dynamic_double) {
    using scalar = typename TestType::scalar;
    typename TestType::net_type net({2, 1});
    auto g = gradients_of(net, scalar(3), scalar(-4), scalar(0.25));
    ffn::clip_gradient_value(net, g, scalar(0.5));
    CHECK(g.template layer<0>().weights(0, 0) == scalar(0.5));
    CHECK(g.template layer<0>().weights(0, 1) == scalar(-0.5));
    CHECK(g.template layer<0>().bias(0) == scalar(0.25)); // inside: unchanged

    // NaN stays NaN (torch.clamp propagates it); a frozen tensor's gradient is not touched.
    net.template layer<0>().freeze_bias();
    g = gradients_of(net, std::numeric_limits<scalar>::quiet_NaN(), scalar(-0.5), scalar(7));
    ffn::clip_gradient_value(net, g, scalar(0.1));
    CHECK(std::isnan(g.template layer<0>().weights(0, 0)));
    CHECK(g.template layer<0>().weights(0, 1) == scalar(-0.1));
    CHECK(g.template layer<0>().bias(0) == scalar(7));
}

TEMPLATE_TEST_CASE("the clipping functions refuse settings that are not positive and finite",
                   "[train]", two_one_fixed_float, two_one_dynamic_double) {
    using scalar = typename TestType::scalar;
    const typename TestType::net_type net({2, 1});
    auto g = gradients_of(net, scalar(3), scalar(4), scalar(12));
    CHECK_THROWS_WITH(ffn::clip_gradient_norm(net, g, scalar(0)),
                      "ffn::clip_gradient_norm: max_norm must be positive and finite, got 0");
    CHECK_THROWS_WITH(ffn::clip_gradient_norm(net, g, scalar(-2)),
                      "ffn::clip_gradient_norm: max_norm must be positive and finite, got -2");
    CHECK_THROWS_WITH(ffn::clip_gradient_norm(net, g, std::numeric_limits<scalar>::infinity()),
                      "ffn::clip_gradient_norm: max_norm must be positive and finite, got inf");
    CHECK_THROWS_WITH(ffn::clip_gradient_value(net, g, std::numeric_limits<scalar>::quiet_NaN()),
                      "ffn::clip_gradient_value: clip_value must be positive and finite, got nan");
    CHECK_THROWS_WITH(ffn::clip_gradient_value(net, g, scalar(-1)),
                      "ffn::clip_gradient_value: clip_value must be positive and finite, got -1");
    CHECK_THROWS_AS(ffn::clip_gradient_value(net, g, scalar(0)), std::invalid_argument);
    // Nothing was changed by the refused calls.
    CHECK(g.template layer<0>().bias(0) == scalar(12));
}

TEST_CASE("the clipping functions refuse gradients of another shape", "[train]") {
    const two_one_dynamic_double::net_type net({2, 1});
    const two_one_dynamic_double::net_type wider({3, 1});
    ffn::gradients<two_one_dynamic_double::net_type> g(wider);
    CHECK_THROWS_WITH(ffn::clip_gradient_norm(net, g, 1.0),
                      Catch::StartsWith("ffn::clip_gradient_norm: layer 0 weights: the gradient "
                                        "is 1x3 but the tensor is 1x2"));
    CHECK_THROWS_WITH(ffn::clip_gradient_value(net, g, 1.0),
                      Catch::StartsWith("ffn::clip_gradient_value: layer 0 weights"));
}

namespace {

/// fit without shuffling, written out by hand, with `clip` applied to each batch's gradients.
template <class Case, class Clip>
typename Case::net_type clipped_by_hand(const typename Case::matrix& x,
                                        const typename Case::matrix& y, Eigen::Index batch_size,
                                        std::size_t epochs, Clip clip) {
    using scalar = typename Case::scalar;
    auto net = Case::make(5);
    ffn::sgd opt(net, scalar(2));
    ffn::workspace<typename Case::net_type, Eigen::Dynamic> ws;
    ffn::gradients<typename Case::net_type> grads;
    for (std::size_t epoch = 0; epoch < epochs; ++epoch) {
        for (Eigen::Index start = 0; start < x.cols(); start += batch_size) {
            const Eigen::Index count = std::min(batch_size, x.cols() - start);
            const typename Case::matrix bx = x.middleCols(start, count);
            const typename Case::matrix by = y.middleCols(start, count);
            net.forward(bx, ws);
            net.backward(ws, by, grads);
            clip(net, grads);
            opt.step(net, grads);
        }
    }
    return net;
}

} // namespace

TEMPLATE_TEST_CASE("fit with clip_gradient_norm or clip_gradient_value takes the steps of a "
                   "hand-written loop that clips",
                   "[train]", fixed_float, fixed_double, dynamic_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    using net_type = typename TestType::net_type;
    const auto x = TestType::inputs(3); // 12 samples: batches of 5, 5 and 2
    const auto y = TestType::targets(3);
    const auto train = [&](const ffn::fit_options<scalar>& options) {
        auto net = TestType::make(5);
        ffn::sgd opt(net, scalar(2));
        (void)ffn::fit(net, opt, x, y, options);
        return net;
    };
    ffn::fit_options<scalar> options{.batch_size = 5, .epochs = 4, .shuffle = false};
    const net_type plain = train(options);
    REQUIRE(plain == clipped_by_hand<TestType>(x, y, 5, 4, [](const auto&, auto&) {}));

    options.clip_gradient_norm = scalar(0.05);
    const net_type by_norm = train(options);
    CHECK(by_norm == clipped_by_hand<TestType>(x, y, 5, 4, [](const auto& n, auto& g) {
              (void)ffn::clip_gradient_norm(n, g, scalar(0.05));
          }));
    CHECK_FALSE(by_norm == plain); // the gradients were clipped

    options.clip_gradient_norm.reset();
    options.clip_gradient_value = scalar(0.01);
    const net_type by_value = train(options);
    CHECK(by_value == clipped_by_hand<TestType>(x, y, 5, 4, [](const auto& n, auto& g) {
              ffn::clip_gradient_value(n, g, scalar(0.01));
          }));
    CHECK_FALSE(by_value == plain);
    CHECK_FALSE(by_value == by_norm);
}

TEMPLATE_TEST_CASE("fit refuses both clipping options at once and settings that are not "
                   "positive and finite",
                   "[train]", fixed_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    const auto x = TestType::inputs();
    const auto y = TestType::targets();
    auto net = TestType::make(1);
    const auto before = net;
    ffn::sgd opt(net, scalar(1));
    ffn::fit_options<scalar> options{.batch_size = 4, .epochs = 2};
    options.clip_gradient_norm = scalar(1);
    options.clip_gradient_value = scalar(1);
    CHECK_THROWS_WITH(ffn::fit(net, opt, x, y, options),
                      "ffn::fit: options.clip_gradient_norm and options.clip_gradient_value are "
                      "both set; choose one");
    options.clip_gradient_value.reset();
    options.clip_gradient_norm = scalar(-1);
    CHECK_THROWS_WITH(ffn::fit(net, opt, x, y, options),
                      "ffn::fit: options.clip_gradient_norm must be positive and finite, got -1");
    options.clip_gradient_norm.reset();
    options.clip_gradient_value = std::numeric_limits<scalar>::infinity();
    CHECK_THROWS_WITH(ffn::fit(net, opt, x, y, options),
                      "ffn::fit: options.clip_gradient_value must be positive and finite, got "
                      "inf");
    options.clip_gradient_value = scalar(0);
    CHECK_THROWS_AS(ffn::fit(net, opt, x, y, options), std::invalid_argument);
    CHECK(net == before); // refused before any training
}

TEST_CASE("fit with clip_gradient_norm ends with divergence_error when the gradients' norm is "
          "not finite, keeping the parameters from before the last step",
          "[train]") {
    // A 1-1 linear network, weight 1, input 1e154, target 0: the loss 0.5 * (1e154)^2 is
    // finite, the weight's gradient 1e154 * 1e154 = 1e308 too, but its square is not.
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<1, 1, ffn::identity>>;
    net_type net;
    net.layer<0>().weights() << 1.0;
    Eigen::MatrixXd x(1, 1);
    x << 1e154;
    Eigen::MatrixXd y(1, 1);
    y << 0.0;
    const auto before = net;
    ffn::sgd opt(net, 1e-3);
    ffn::fit_options<double> options{.batch_size = 1, .epochs = 1};
    options.clip_gradient_norm = 1.0;
    CHECK_THROWS_AS(ffn::fit(net, opt, x, y, options), ffn::divergence_error);
    CHECK_THROWS_WITH(ffn::fit(net, opt, x, y, options),
                      Catch::StartsWith("ffn::fit: training diverged at epoch 0, batch 0 (both "
                                        "counted from 0): the total norm of the gradients became "
                                        "inf (the sum of the squares overflowed)"));
    CHECK(net == before);
    // Without clipping the same step is taken (the optimizer does not look at the norm).
    options.clip_gradient_norm.reset();
    CHECK_NOTHROW(ffn::fit(net, opt, x, y, options));
    CHECK_FALSE(net == before);
}
