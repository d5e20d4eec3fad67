// SPDX-License-Identifier: MIT
// fit's accuracy for several sigmoid outputs counts each output as its own yes/no.
#include <ffn/losses/binary_cross_entropy.hpp>

#include "unit/train/train_fixtures.hpp"

TEST_CASE("fit reports the per-output accuracy of several sigmoid outputs", "[train]") {
    using net_type = ffn::network<ffn::binary_cross_entropy, ffn::dense<3, 3, ffn::sigmoid>>;
    net_type net;
    net.layer<0>().weights().setIdentity();
    Eigen::MatrixXd x(3, 4);
    x << 1, -2, 3, -1, -1, 2, 1, -1, 0, -1, 1, -1;
    Eigen::MatrixXd y(3, 4);
    y << 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0.5, 0; // right per sample: 3, 2, 2, 3
    ffn::sgd opt(net, 1e-300);                 // steps too small to change a decision
    ffn::fit_options<double> options{
        .batch_size = 3, .epochs = 1, .shuffle = false, .accuracy = true};
    options.validation = ffn::validation_data<double>{x, y};
    const auto history = ffn::fit(net, opt, x, y, options);
    CHECK(*history.epochs.back().training_accuracy == Approx(10.0 / 12.0));
    CHECK(*history.epochs.back().validation_accuracy == Approx(10.0 / 12.0));
    CHECK(ffn::accuracy(net, x, y) == Approx(10.0 / 12.0));
}
