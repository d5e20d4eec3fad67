// SPDX-License-Identifier: MIT
// After ffn::divergence_error the network holds the parameters it had before the step that
// first made something non-finite (a parameter, or the next batch's loss), every one of them
// finite; and no batch size, however large, overflows fit's arithmetic.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include <ffn/activations/identity.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>
#include <ffn/optimizers/adam.hpp>
#include <ffn/optimizers/sgd.hpp>
#include <ffn/train/fit.hpp>

namespace {

using sigmoid_net = ffn::network<ffn::binary_cross_entropy, ffn::dense<1, 1, ffn::sigmoid>,
                                 ffn::dense<1, 1, ffn::sigmoid>>;

template <class Net>
bool all_finite(const Net& net) {
    bool finite = true;
    net.visit_tensors([&finite](std::size_t, std::string_view, const auto& tensor, bool) {
        finite = finite && tensor.allFinite();
    });
    return finite;
}

} // namespace

TEST_CASE("a step that sends weights to infinity behind saturated units is undone",
          "[train][divergence]") {
    // One step at rate 1e308 sends the weights to -inf; the saturated sigmoid units keep the
    // next batches' losses finite, so only a check of the parameters after the step sees it.
    sigmoid_net net;
    net.layer<0>().weights() << 0.5;
    net.layer<0>().bias() << -0.25;
    net.layer<1>().weights() << 10.0;
    net.layer<1>().bias() << 0.1;
    const Eigen::RowVector4d x = Eigen::RowVector4d::Constant(2.0);
    const Eigen::RowVector4d y(0.0, 1.0, 0.0, 1.0);
    const ffn::fit_options<double> options{.batch_size = 1, .epochs = 3, .shuffle = false};

    // The same steps by hand: the first one after which a parameter, or the next loss, is not
    // finite, and the parameters before it.
    sigmoid_net by_hand = net;
    sigmoid_net before = net;
    ffn::sgd hand_optimizer(by_hand, 1e308);
    ffn::workspace<sigmoid_net> ws;
    ffn::gradients<sigmoid_net> grads;
    std::size_t step = 0;
    std::string what;
    for (; step < 1000; ++step) {
        const auto sample = static_cast<Eigen::Index>(step % 4);
        by_hand.forward(x.col(sample), ws);
        if (!std::isfinite(by_hand.loss(ws, y.col(sample)))) {
            what = "the training loss became";
            break; // undo the step before this batch: `before` holds what preceded it
        }
        by_hand.backward(ws, y.col(sample), grads);
        const sigmoid_net previous = by_hand;
        hand_optimizer.step(by_hand, grads);
        if (!all_finite(by_hand)) {
            before = previous;
            what = "a parameter became nan or infinite";
            break;
        }
        before = previous;
    }
    INFO("diverges at step " << step << ": " << what);
    REQUIRE(what == "a parameter became nan or infinite");
    REQUIRE(step == 0);

    ffn::sgd optimizer(net, 1e308);
    CHECK_THROWS_MATCHES(ffn::fit(net, optimizer, x, y, options), ffn::divergence_error,
                         Catch::Message("ffn::fit: training diverged at epoch 0, batch 0 (both "
                                        "counted from 0): a parameter became nan or infinite; "
                                        "the network keeps the parameters it had before the "
                                        "last step. Try a smaller learning rate or "
                                        "standardised inputs"));
    CHECK(all_finite(net));
    CHECK(net == before);
}

TEST_CASE("a divergence undoes exactly one step, replayed bit for bit from the epoch's "
          "start, also across an epoch's end, with shuffling and with momentum",
          "[train][divergence]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<1, 1, ffn::identity>>;
    // With x = 10 and y = 0 each step multiplies the weight by about -199, so the loss
    // overflows after some dozens of steps, at an epoch and batch that depend on the batch
    // size, the order and the momentum.
    int at_first_batch = 0;
    for (const Eigen::Index batch_size : {1, 2, 3}) {
        for (const bool shuffle : {false, true}) {
            for (const double momentum : {0.0, 0.5}) {
                net_type net;
                net.layer<0>().weights() << 0.5;
                net.layer<0>().bias() << 0.25;
                Eigen::RowVectorXd x = Eigen::RowVectorXd::Constant(5, 10.0);
                x(3) = 9.0; // the order matters
                const Eigen::RowVectorXd y = Eigen::RowVectorXd::Zero(5);

                // The network after every step, recorded by the batch callback (which runs
                // after the step).
                std::vector<net_type> after_each_step{net};
                ffn::sgd optimizer(net, {.learning_rate = 2.0, .momentum = momentum});
                ffn::fit_options<double> options{
                    .batch_size = batch_size, .epochs = 10000, .seed = 3, .shuffle = shuffle};
                options.on_batch = [&](const ffn::batch_record<double>&) {
                    after_each_step.push_back(net);
                };
                std::string message;
                try {
                    ffn::fit(net, optimizer, x, y, options);
                } catch (const ffn::divergence_error& e) {
                    message = e.what();
                }
                INFO("batch size " << batch_size << ", shuffle " << shuffle << ", momentum "
                                   << momentum << ": " << message);
                REQUIRE_THAT(message, Catch::Contains("the training loss became inf"));
                REQUIRE(after_each_step.size() >= 2);
                // The loss after the last recorded step was not finite: that step is undone.
                CHECK(net == after_each_step[after_each_step.size() - 2]);
                CHECK(all_finite(net));
                at_first_batch += message.find(", batch 0 ") != std::string::npos ? 1 : 0;
            }
        }
    }
    // Some of the cases diverge on an epoch's first batch, so that the step undone is the
    // previous epoch's last.
    CHECK(at_first_batch > 0);
}

TEST_CASE("no batch size overflows fit's arithmetic", "[train][divergence]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<1, 1, ffn::identity>>;
    net_type net;
    net.layer<0>().weights() << 1e150;
    const net_type before = net;
    const Eigen::RowVector2d x(1.0, 1.0);
    const Eigen::RowVector2d y(0.0, 0.0);
    // Finite on the training samples, infinite on the validation sample (1e160 squared).
    const Eigen::Matrix<double, 1, 1> validation_x(1e10);
    const Eigen::Matrix<double, 1, 1> validation_y(0.0);
    ffn::sgd optimizer(net, 1e-3);
    const ffn::fit_options<double> options{
        .batch_size = std::numeric_limits<Eigen::Index>::max(),
        .epochs = 2,
        .validation = ffn::validation_data<double>{validation_x, validation_y}};
    CHECK_THROWS_MATCHES(ffn::fit(net, optimizer, x, y, options), ffn::divergence_error,
                         Catch::Message("ffn::fit: training diverged at epoch 0, batch 0 (both "
                                        "counted from 0): the validation loss after it became "
                                        "inf; the network keeps the parameters it had before "
                                        "the last step. Try a smaller learning rate or "
                                        "standardised inputs"));
    CHECK(net == before);

    // And a batch size near the largest trains as one batch per epoch.
    net_type small;
    small.layer<0>().weights() << 0.5;
    ffn::sgd small_optimizer(small, 0.1);
    const auto history =
        ffn::fit(small, small_optimizer, x, y,
                 {.batch_size = std::numeric_limits<Eigen::Index>::max() - 1, .epochs = 3});
    CHECK(history.epochs.size() == 3);
    CHECK(small.layer<0>().weights()(0, 0) < 0.5);
}
