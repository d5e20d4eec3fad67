// SPDX-License-Identifier: MIT
// ffn::fit over whole epochs beside a training loop written by hand that does the same work:
// the samples put in a new order every epoch, each batch gathered into buffers allocated
// once, a forward pass, a backward pass and an SGD step per batch, the last batch partial.
// Float, relu hidden units, a softmax output with categorical cross-entropy. Two shapes: the
// digits data set's 64-32-10 (1797 samples, batches of 32) and 784-256-128-10 (1000 samples,
// batches of 128), on random numbers of those shapes. A step of the benchmark is one epoch.
// Then fit with two threads against one: 784-256-128-10 with batches of 256, and digits.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include <ffn/activations/relu.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/detail/random.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/network.hpp>
#include <ffn/optimizers/sgd.hpp>
#include <ffn/train/fit.hpp>
#include <ffn/train/split.hpp>

#include "benchmarks.hpp"
#include "harness.hpp"
#include "mlp_parameters.hpp"

namespace {

using matrix = Eigen::MatrixXf;
using vector = Eigen::VectorXf;
constexpr float learning_rate = 0.1F;
constexpr std::uint64_t seed = 5;

/// The loop an Eigen user writes for mini-batch training: the parameters and one set of
/// buffers sized for a full batch, a partial batch computed in the buffers' left columns (no
/// allocation), products with noalias, the epoch's order drawn as ffn draws it (so that both
/// sides train on the same batches and can be compared).
class hand_written_fit {
public:
    hand_written_fit(const std::vector<Eigen::Index>& units, Eigen::Index batch) : batch_(batch) {
        for (std::size_t l = 0; l + 1 < units.size(); ++l) {
            w_.emplace_back(units[l + 1], units[l]);
            b_.emplace_back(units[l + 1]);
            gw_.emplace_back(units[l + 1], units[l]);
            gb_.emplace_back(units[l + 1]);
            z_.emplace_back(units[l + 1], batch);
            a_.emplace_back(units[l + 1], batch);
            d_.emplace_back(units[l + 1], batch);
        }
        x_.resize(units.front(), batch);
        y_.resize(units.back(), batch);
        column_max_.resize(batch);
        column_sum_.resize(batch);
    }

    std::vector<matrix>& weights() { return w_; }
    std::vector<vector>& biases() { return b_; }

    /// `epochs` epochs over the samples (columns) of `x` and `y`.
    void train(const matrix& x, const matrix& y, long epochs) {
        order_.resize(static_cast<std::size_t>(x.cols()));
        for (long epoch = 0; epoch < epochs; ++epoch) {
            std::iota(order_.begin(), order_.end(), Eigen::Index{0});
            ffn::detail::random_engine engine(seed, ffn::detail::shuffle_stream +
                                                        static_cast<std::uint64_t>(epoch));
            ffn::detail::shuffle(order_.begin(), order_.size(), engine);
            for (Eigen::Index start = 0; start < x.cols(); start += batch_) {
                const Eigen::Index count = std::min(batch_, x.cols() - start);
                for (Eigen::Index j = 0; j < count; ++j) {
                    const Eigen::Index source = order_[static_cast<std::size_t>(start + j)];
                    x_.col(j) = x.col(source);
                    y_.col(j) = y.col(source);
                }
                step(count);
            }
        }
    }

private:
    void step(Eigen::Index n) {
        const std::size_t last = w_.size() - 1;
        const auto x = x_.leftCols(n);
        for (std::size_t l = 0; l <= last; ++l) {
            auto z = z_[l].leftCols(n);
            if (l == 0) {
                z.noalias() = w_[l] * x;
            } else {
                z.noalias() = w_[l] * a_[l - 1].leftCols(n);
            }
            z.colwise() += b_[l];
            if (l < last) {
                a_[l].leftCols(n).array() = z.array().max(0.0F);
            }
        }
        // Softmax of each column, shifted by the column's largest sum.
        auto p = a_[last].leftCols(n);
        auto max = column_max_.leftCols(n);
        auto sum = column_sum_.leftCols(n);
        max.noalias() = z_[last].leftCols(n).colwise().maxCoeff();
        p.noalias() = z_[last].leftCols(n) - vector::Ones(p.rows()) * max;
        p.array() = p.array().exp();
        sum.noalias() = p.colwise().sum();
        p.array().rowwise() /= sum.array();

        const float scale = 1.0F / static_cast<float>(n);
        d_[last].leftCols(n).noalias() = scale * (p - y_.leftCols(n));
        for (std::size_t l = last + 1; l-- > 0;) {
            const auto d = d_[l].leftCols(n);
            if (l == 0) {
                gw_[l].noalias() = d * x.transpose();
            } else {
                gw_[l].noalias() = d * a_[l - 1].leftCols(n).transpose();
            }
            gb_[l].noalias() = d.rowwise().sum();
            if (l > 0) {
                auto below = d_[l - 1].leftCols(n);
                below.noalias() = w_[l].transpose() * d;
                below.array() *= (z_[l - 1].leftCols(n).array() > 0.0F).cast<float>();
            }
        }
        for (std::size_t l = 0; l <= last; ++l) {
            w_[l].noalias() -= learning_rate * gw_[l];
            b_[l].noalias() -= learning_rate * gb_[l];
        }
    }

    Eigen::Index batch_;
    std::vector<matrix> w_, gw_, z_, a_, d_;
    std::vector<vector> b_, gb_;
    matrix x_, y_;
    Eigen::RowVectorXf column_max_, column_sum_;
    std::vector<Eigen::Index> order_;
};

/// Inputs uniform in [0, 1), one-hot targets.
struct data_set {
    matrix inputs, targets;

    data_set(Eigen::Index in, Eigen::Index out, Eigen::Index samples)
        : inputs(in, samples), targets(matrix::Zero(out, samples)) {
        std::mt19937 gen(2024);
        std::uniform_real_distribution<float> uniform(0.0F, 1.0F);
        std::uniform_int_distribution<Eigen::Index> label(0, out - 1);
        for (Eigen::Index i = 0; i < inputs.size(); ++i) {
            inputs.data()[i] = uniform(gen);
        }
        for (Eigen::Index c = 0; c < samples; ++c) {
            targets(label(gen), c) = 1.0F;
        }
    }
};

/// A network trained by `ffn::fit` with SGD, epochs at a time.
template <class Net>
struct fit_state {
    Net net;
    ffn::sgd<Net> opt{net, learning_rate};
    Eigen::Index batch;
    std::size_t threads = 1;

    fit_state(const Net& n, Eigen::Index batch_size, std::size_t thread_count = 1)
        : net(n), batch(batch_size), threads(thread_count) {}

    void train(const matrix& x, const matrix& y, long epochs) {
        (void)ffn::fit(net, opt, x, y,
                       ffn::fit_options<float>{.batch_size = batch,
                                               .epochs = static_cast<std::size_t>(epochs),
                                               .seed = seed,
                                               .threads = threads});
    }
};

/// Every parameter of `net`, tensor after tensor.
template <class Net>
std::vector<float> parameters_of(const Net& net) {
    std::vector<float> values;
    net.visit_tensors([&values](std::size_t, std::string_view, const auto& tensor, bool) {
        values.insert(values.end(), tensor.data(), tensor.data() + tensor.size());
    });
    return values;
}

/// The largest difference between two networks' parameters.
template <class Net>
float largest_difference(const Net& a, const Net& b) {
    const std::vector<float> x = parameters_of(a);
    const std::vector<float> y = parameters_of(b);
    float d = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        d = std::max(d, std::abs(x[i] - y[i]));
    }
    return d;
}

/// `ffn::fit` with `threads = 2` against `threads = 1` on the same network, in wall-clock
/// time: the speed-up of sharing each batch between two threads.
template <class Net>
double compare_threads(const std::string& title, const std::vector<Eigen::Index>& units,
                       Eigen::Index samples, Eigen::Index batch, bench::settings s) {
    const data_set data(units.front(), units.back(), samples);
    hand_written_fit start(units, batch);
    bench::initialise(start);
    fit_state<Net> one(Net{}, batch, 1);
    fit_state<Net> two(Net{}, batch, 2);
    bench::copy_parameters(start, one.net);
    bench::copy_parameters(start, two.net);
    one.train(data.inputs, data.targets, 2);
    two.train(data.inputs, data.targets, 2);
    std::printf("%s, batch %ld: ffn::fit_threads(net, %ld, 2) = %zu; max |difference| of the "
                "parameters between 2 threads and 1 after 2 epochs: %.3g\n",
                title.c_str(), static_cast<long>(batch), static_cast<long>(batch),
                ffn::fit_threads(two.net, batch, 2),
                static_cast<double>(largest_difference(one.net, two.net)));
    s.wall_clock = true;
    const bench::result r =
        bench::compare(title + " ffn::fit epochs, wall-clock, " + std::to_string(samples) +
                           " samples, batch " + std::to_string(batch),
                       {{"ffn::fit, threads = 1", [] {},
                         [&](long n) {
                             one.train(data.inputs, data.targets, n);
                             bench::keep(one);
                         }},
                        {"ffn::fit, threads = 2", [] {},
                         [&](long n) {
                             two.train(data.inputs, data.targets, n);
                             bench::keep(two);
                         }}},
                       static_cast<double>(samples), s);
    std::printf("\n");
    return 1.0 / r.ratio(1, 0); // the speed-up: one thread's time over two threads'
}

template <class FixedNet, class DynamicNet>
bench_ratios::fit compare_fit(const std::string& title, const std::vector<Eigen::Index>& units,
                              Eigen::Index samples, Eigen::Index batch,
                              const DynamicNet& dynamic_net, const bench::settings& s) {
    const data_set data(units.front(), units.back(), samples);
    hand_written_fit start(units, batch);
    bench::initialise(start);
    hand_written_fit hand = start;
    fit_state<FixedNet> fixed(FixedNet{}, batch);
    fit_state<DynamicNet> dynamic(dynamic_net, batch);
    bench::copy_parameters(start, fixed.net);
    bench::copy_parameters(start, dynamic.net);

    // Two epochs on each: the same parameters?
    hand.train(data.inputs, data.targets, 2);
    fixed.train(data.inputs, data.targets, 2);
    dynamic.train(data.inputs, data.targets, 2);
    std::printf("%s: max |difference| of the parameters from the hand-written loop after 2 "
                "epochs: ffn::fit fixed %.3g, dynamic %.3g\n",
                title.c_str(), static_cast<double>(bench::max_difference(hand, fixed.net)),
                static_cast<double>(bench::max_difference(hand, dynamic.net)));

    // Training goes on from block to block: the work of an epoch does not depend on the values.
    const bench::result r = bench::compare(title + " ffn::fit epochs, " + std::to_string(samples) +
                                               " samples, batch " + std::to_string(batch),
                                           {{"training loop (hand-written)", [] {},
                                             [&](long n) {
                                                 hand.train(data.inputs, data.targets, n);
                                                 bench::keep(hand);
                                             }},
                                            {"ffn::fit, fixed sizes", [] {},
                                             [&](long n) {
                                                 fixed.train(data.inputs, data.targets, n);
                                                 bench::keep(fixed);
                                             }},
                                            {"ffn::fit, dynamic sizes", [] {},
                                             [&](long n) {
                                                 dynamic.train(data.inputs, data.targets, n);
                                                 bench::keep(dynamic);
                                             }}},
                                           static_cast<double>(samples), s);
    std::printf("\n");
    // ffn's throughput over the loop's: the loop's time over ffn's.
    return {1.0 / r.ratio(1, 0), 1.0 / r.ratio(2, 0)};
}

template <Eigen::Index In, Eigen::Index Out>
using relu_layer = ffn::dense<In, Out, ffn::relu, float>;
template <Eigen::Index In, Eigen::Index Out>
using softmax_layer = ffn::dense<In, Out, ffn::softmax, float>;
constexpr Eigen::Index any = Eigen::Dynamic;

} // namespace

bench_ratios::fit bench_fit_digits(const bench::settings& s) {
    using fixed_net =
        ffn::network<ffn::categorical_cross_entropy, relu_layer<64, 32>, softmax_layer<32, 10>>;
    using dynamic_net =
        ffn::network<ffn::categorical_cross_entropy, relu_layer<any, any>, softmax_layer<any, any>>;
    return compare_fit<fixed_net>("digits 64-32-10 relu softmax, float", {64, 32, 10}, 1797, 32,
                                  dynamic_net({64, 32, 10}), s);
}

bench_ratios::fit bench_fit_mlp784(const bench::settings& s) {
    using fixed_net = ffn::network<ffn::categorical_cross_entropy, relu_layer<784, 256>,
                                   relu_layer<256, 128>, softmax_layer<128, 10>>;
    using dynamic_net = ffn::network<ffn::categorical_cross_entropy, relu_layer<any, any>,
                                     relu_layer<any, any>, softmax_layer<any, any>>;
    return compare_fit<fixed_net>("mlp 784-256-128-10 relu softmax, float", {784, 256, 128, 10},
                                  1000, 128, dynamic_net({784, 256, 128, 10}), s);
}

bench_ratios::threads bench_fit_threads(const bench::settings& s) {
    using digits_net =
        ffn::network<ffn::categorical_cross_entropy, relu_layer<64, 32>, softmax_layer<32, 10>>;
    using mlp_net = ffn::network<ffn::categorical_cross_entropy, relu_layer<784, 256>,
                                 relu_layer<256, 128>, softmax_layer<128, 10>>;
    bench_ratios::threads r{};
    r.mlp784_batch256 = compare_threads<mlp_net>("mlp 784-256-128-10 relu softmax, float",
                                                 {784, 256, 128, 10}, 1024, 256, s);
    r.digits_batch32 = compare_threads<digits_net>("digits 64-32-10 relu softmax, float",
                                                   {64, 32, 10}, 1797, 32, s);
    return r;
}
