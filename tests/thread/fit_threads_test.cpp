// SPDX-License-Identifier: MIT
// ffn::fit with fit_options::threads: each batch split into blocks of samples, one per thread,
// whose gradients are added in block order. What is promised: the same parameters on every run
// with the same number of blocks (whatever the scheduling), the parameters of one thread when
// a batch is not split, and close to them when it is; the rule that decides the number of
// blocks (ffn::fit_threads); a network with dropout staying on one thread; and the divergence
// guarantee with threads. Built with the thread tests, which the tsan preset runs under
// ThreadSanitizer.

#include <cmath>
#include <cstddef>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>

using Catch::Matchers::Contains;

namespace {

constexpr Eigen::Index dyn = Eigen::Dynamic;

// 64-256-10: 19210 parameters, so a block needs 110 samples (2^21 / 19210, rounded up) and a
// batch of 256 is split into 2 blocks, of 330 into 3.
using wide_net = ffn::network<ffn::categorical_cross_entropy, ffn::dense<dyn, dyn, ffn::relu>,
                              ffn::dense<dyn, dyn, ffn::softmax>>;
using small_net = ffn::network<ffn::categorical_cross_entropy, ffn::dense<64, 32, ffn::relu>,
                               ffn::dense<32, 10, ffn::softmax>>;
using dropout_net = ffn::network<ffn::categorical_cross_entropy, ffn::dense<dyn, dyn, ffn::relu>,
                                 ffn::dropout<dyn>, ffn::dense<dyn, dyn, ffn::softmax>>;

/// Inputs in [-1, 1] and one-hot targets whose class follows from the inputs.
struct data_set {
    Eigen::MatrixXd inputs;
    Eigen::MatrixXd targets;

    explicit data_set(Eigen::Index samples) : inputs(64, samples), targets(10, samples) {
        ffn::detail::random_engine engine(3);
        targets.setZero();
        for (Eigen::Index c = 0; c < samples; ++c) {
            for (Eigen::Index r = 0; r < 64; ++r) {
                inputs(r, c) = 2.0 * engine.uniform() - 1.0;
            }
            const Eigen::Index label = (inputs(0, c) > 0 ? 5 : 0) + (c % 5);
            targets(label, c) = 1.0;
        }
    }
};

/// Every parameter, tensor after tensor.
template <class Net>
std::vector<double> parameters_of(const Net& net) {
    std::vector<double> values;
    net.visit_tensors([&values](std::size_t, std::string_view, const auto& tensor, bool) {
        values.insert(values.end(), tensor.data(), tensor.data() + tensor.size());
    });
    return values;
}

double largest_difference(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        d = std::max(d, std::abs(a[i] - b[i]));
    }
    return d;
}

wide_net make_wide_net() {
    wide_net net({64, 256, 10});
    ffn::initialize(net, ffn::he_uniform{}, 9);
    return net;
}

/// `net` after `fit` with SGD and the given threads and batch size.
template <class Net>
Net trained(Net net, const data_set& data, std::size_t threads, Eigen::Index batch,
            ffn::history<double>* record = nullptr) {
    ffn::sgd optimizer(net, 0.05);
    ffn::fit_options<double> options{
        .batch_size = batch, .epochs = 2, .seed = 4, .validation_fraction = 0.1, .accuracy = true};
    options.threads = threads;
    ffn::history<double> h = ffn::fit(net, optimizer, data.inputs, data.targets, options);
    if (record != nullptr) {
        *record = h;
    }
    return net;
}

} // namespace

TEST_CASE("threads: fit_threads splits a batch only where each block has enough work",
          "[threads][train]") {
    const wide_net wide = make_wide_net();
    CHECK(ffn::fit_threads(wide, 256, 1) == 1);
    CHECK(ffn::fit_threads(wide, 256, 2) == 2);
    CHECK(ffn::fit_threads(wide, 330, 3) == 3);
    CHECK(ffn::fit_threads(wide, 330, 8) == 3); // 330 / 110 blocks at most
    CHECK(ffn::fit_threads(wide, 219, 2) == 1); // two blocks would hold under 110 samples each
    CHECK(ffn::fit_threads(wide, 220, 2) == 2);
    CHECK(ffn::fit_threads(wide, 1, 4) == 1);
    const std::size_t hardware = std::max(1U, std::thread::hardware_concurrency());
    CHECK(ffn::fit_threads(wide, 4096, 0) == std::min<std::size_t>(hardware, 4096 / 110));
    // A large network still needs 32 samples per block: 235146 parameters.
    using mnist_net =
        ffn::network<ffn::categorical_cross_entropy, ffn::dense<784, 256, ffn::relu>,
                     ffn::dense<256, 128, ffn::relu>, ffn::dense<128, 10, ffn::softmax>>;
    const auto mnist = std::make_unique<mnist_net>();
    CHECK(ffn::fit_threads(*mnist, 63, 2) == 1);
    CHECK(ffn::fit_threads(*mnist, 64, 2) == 2);
    CHECK(ffn::fit_threads(*mnist, 256, 2) == 2);
    // 64-32-10 (2410 parameters) with batches of 32: far too little work to split.
    CHECK(ffn::fit_threads(small_net{}, 32, 2) == 1);
    // Dropout draws its masks over the whole batch: never split.
    dropout_net with_dropout({64, 256, 256, 10});
    CHECK(ffn::fit_threads(with_dropout, 4096, 2) == 1);
}

TEST_CASE("threads: a batch split between threads gives the same parameters on every run",
          "[threads][train]") {
    const data_set data(1400);
    const wide_net start = make_wide_net();
    REQUIRE(ffn::fit_threads(start, 256, 2) == 2);
    REQUIRE(ffn::fit_threads(start, 330, 3) == 3);
    ffn::history<double> h1;
    ffn::history<double> h2;
    const std::vector<double> one = parameters_of(trained(start, data, 1, 256, &h1));
    const std::vector<double> two_a = parameters_of(trained(start, data, 2, 256, &h2));
    for (int run = 0; run < 3; ++run) {
        CHECK(parameters_of(trained(start, data, 2, 256)) == two_a);
    }
    const std::vector<double> three_a = parameters_of(trained(start, data, 3, 330));
    CHECK(parameters_of(trained(start, data, 3, 330)) == three_a);

    // Another grouping of the same sums: close to one thread's result.
    CHECK(largest_difference(one, two_a) < 1e-12);
    CHECK(parameters_of(start) != two_a); // and training did move the parameters
    REQUIRE(h1.epochs.size() == 2);
    REQUIRE(h2.epochs.size() == 2);
    for (std::size_t e = 0; e < 2; ++e) {
        CHECK(h2.epochs[e].training_loss == Approx(h1.epochs[e].training_loss).epsilon(1e-12));
        CHECK(*h2.epochs[e].validation_loss ==
              Approx(*h1.epochs[e].validation_loss).epsilon(1e-12));
        CHECK(*h2.epochs[e].training_accuracy == Approx(*h1.epochs[e].training_accuracy));
    }
    CHECK(h2.epochs[1].training_loss < h2.epochs[0].training_loss);
}

TEST_CASE("threads: a batch that is not split gives one thread's parameters bit for bit",
          "[threads][train]") {
    const data_set data(300);
    small_net start;
    ffn::initialize(start, ffn::he_uniform{}, 2);
    REQUIRE(ffn::fit_threads(start, 32, 2) == 1);
    CHECK(parameters_of(trained(start, data, 2, 32)) == parameters_of(trained(start, data, 1, 32)));

    dropout_net with_dropout({64, 256, 256, 10});
    ffn::initialize(with_dropout, ffn::he_uniform{}, 6);
    CHECK(parameters_of(trained(with_dropout, data, 2, 150)) ==
          parameters_of(trained(with_dropout, data, 1, 150)));
}

TEST_CASE("threads: after a divergence with threads the network is put back before the step",
          "[threads][train]") {
    const data_set data(512);
    wide_net net = make_wide_net();
    const std::vector<double> start = parameters_of(net);
    ffn::sgd optimizer(net, 1e300);
    ffn::fit_options<double> options{.batch_size = 256, .epochs = 3, .seed = 4};
    options.threads = 2;
    REQUIRE(ffn::fit_threads(net, 256, 2) == 2);
    CHECK_THROWS_MATCHES(ffn::fit(net, optimizer, data.inputs, data.targets, options),
                         ffn::divergence_error,
                         Catch::Matchers::Predicate<std::exception>(
                             [](const std::exception& e) {
                                 return std::string_view(e.what()).find("training diverged") !=
                                        std::string_view::npos;
                             },
                             "names the divergence"));
    // The first step leaves huge but finite weights, whose next loss is NaN: the network is
    // put back to before that step, here its start, computed again with the same two blocks.
    const std::vector<double> after = parameters_of(net);
    bool finite = true;
    for (const double v : after) {
        finite = finite && std::isfinite(v);
    }
    CHECK(finite);
    CHECK(largest_difference(after, start) == 0.0);
}

TEST_CASE("threads: a divergence late in an epoch is undone by replaying the split batches",
          "[threads][train]") {
    // Epoch 1's third step (batch 2) runs at a rate of 1e300: the network must end as it was
    // after batch 1, which the replay recomputes from the epoch's start with the same blocks.
    const data_set data(1280);
    wide_net net = make_wide_net();
    ffn::sgd optimizer(net, 0.05);
    std::vector<double> after_batch_1;
    ffn::fit_options<double> options{.batch_size = 256, .epochs = 3, .seed = 4};
    options.threads = 2;
    options.on_batch = [&](const ffn::batch_record<double>& b) {
        if (b.epoch == 1 && b.batch == 1) {
            after_batch_1 = parameters_of(net);
            optimizer.set_learning_rate(1e300);
        }
    };
    REQUIRE(ffn::fit_threads(net, 256, 2) == 2);
    CHECK_THROWS_WITH(ffn::fit(net, optimizer, data.inputs, data.targets, options),
                      Contains("training diverged at epoch 1, batch"));
    REQUIRE(after_batch_1.size() == parameters_of(net).size());
    CHECK(largest_difference(parameters_of(net), after_batch_1) == 0.0);
}
