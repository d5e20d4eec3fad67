// SPDX-License-Identifier: MIT
// Gradient clipping allocates nothing, with fixed and dynamic sizes, and neither does an epoch
// of ffn::fit that clips and calls a per-batch callback once its buffers are sized.

#include "counting.hpp"

#include <cmath>

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>
#include <ffn/optimizers/clipping.hpp>
#include <ffn/optimizers/sgd.hpp>
#include <ffn/train/fit.hpp>

namespace {

template <class Scalar>
using clip_fixed_net = ffn::network<ffn::half_squared_error, ffn::dense<3, 8, ffn::tanh, Scalar>,
                                    ffn::dense<8, 2, ffn::sigmoid, Scalar>>;
template <class Scalar>
using clip_dynamic_net =
    ffn::network<ffn::half_squared_error,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::tanh, Scalar>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, Scalar>>;

} // namespace

TEMPLATE_TEST_CASE("clip_gradient_norm and clip_gradient_value allocate nothing",
                   "[allocation][train]", clip_fixed_net<float>, clip_fixed_net<double>,
                   clip_dynamic_net<float>, clip_dynamic_net<double>) {
    using scalar = typename TestType::scalar_type;
    TestType net({3, 8, 2});
    ffn::gradients<TestType> grads(net);
    grads.template layer<0>().weights.setConstant(scalar(0.5));
    grads.template layer<1>().bias.setConstant(scalar(-2));
    scalar norm = 0;
    CHECK(allocation::allocations_during([&] {
              norm = ffn::clip_gradient_norm(net, grads, scalar(1e-3));
              ffn::clip_gradient_value(net, grads, scalar(2e-4));
          }) == 0);
    CHECK(norm == Approx(std::sqrt(24 * 0.25 + 2 * 4.0))); // above the limit: both ran
    // Scaled to -1e-3 * 2 / sqrt(14) = -5.3e-4 by the norm, then clamped to -2e-4; the weights, 1.3e-4, stay.
    CHECK(grads.template layer<1>().bias(0) == scalar(-2e-4));
    CHECK(grads.template layer<0>().weights(0, 0) == Approx(1e-3 * 0.5 / std::sqrt(14.0)));
}

TEMPLATE_TEST_CASE("fit with clipping and a per-batch callback allocates nothing in an epoch "
                   "once its buffers are sized",
                   "[allocation][train]", clip_fixed_net<double>, clip_dynamic_net<double>) {
    TestType net({3, 8, 2});
    net.template layer<0>().weights().setConstant(0.1);
    net.template layer<1>().weights().setConstant(-0.2);
    Eigen::MatrixXd x(3, 40);
    Eigen::MatrixXd y(2, 40);
    for (Eigen::Index j = 0; j < 40; ++j) {
        const double t = static_cast<double>(j) / 40.0;
        x.col(j) << t, 1.0 - t, t * t;
        y.col(j) << (t < 0.5 ? 1.0 : 0.0), (t < 0.5 ? 0.0 : 1.0);
    }
    for (const bool by_norm : {true, false}) {
        INFO("by norm " << by_norm);
        ffn::sgd opt(net, 0.5);
        ffn::fit_options<double> options{.batch_size = 6, .epochs = 5, .seed = 1};
        if (by_norm) {
            options.clip_gradient_norm = 0.01;
        } else {
            options.clip_gradient_value = 0.001;
        }
        long during_epochs_2_to_4 = -1;
        std::size_t batches = 0;
        options.on_batch = [&batches](const ffn::batch_record<double>&) { ++batches; };
        options.on_epoch = [&](const ffn::epoch_record<double>& record) {
            if (record.epoch == 1) {
                allocation::eigen_allocations = 0;
                allocation::new_calls = 0;
                Eigen::internal::set_is_malloc_allowed(false);
                allocation::counting = true;
            } else if (record.epoch == 4) {
                allocation::counting = false;
                Eigen::internal::set_is_malloc_allowed(true);
                during_epochs_2_to_4 =
                    allocation::eigen_allocations.load() + allocation::new_calls.load();
            }
            return ffn::fit_action::continue_training;
        };
        (void)ffn::fit(net, opt, x, y, options);
        CHECK(batches == 5 * 7);
        CHECK(during_epochs_2_to_4 == 0);
    }
}
