// SPDX-License-Identifier: MIT
// Batch inference with threads, float, in wall-clock time: `ffn::batch_predictor` with two
// threads against one, on 784-256-128-10 with batches of 1024 (shared: two blocks of four
// chunks) and on 64-128-128-10 with batches of 256 (too little work to share: one block, so
// the two must take the same time). Beside them, `net.predict(x, iws)` over the whole batch
// at once, to show what taking the batch in chunks of 128 costs on one thread.

#include <cstdio>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <ffn/activations/relu.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/batch_predictor.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/network.hpp>

#include "benchmarks.hpp"
#include "harness.hpp"

namespace {

using net_type = ffn::network<ffn::categorical_cross_entropy,
                              ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::relu, float>,
                              ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::relu, float>,
                              ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::softmax, float>>;

/// Times one thread's `batch_predictor` (candidate 0), two threads' (1) and `predict(x, iws)`
/// over the whole batch (2) on `units` with batches of `samples`.
bench::result compare_predict(const std::vector<Eigen::Index>& units, Eigen::Index samples,
                              const bench::settings& s) {
    net_type net({units[0], units[1], units[2], units[3]});
    ffn::initialize(net, ffn::glorot_uniform{}, 21);
    const Eigen::MatrixXf x = Eigen::MatrixXf::Random(units[0], samples);
    ffn::batch_predictor<net_type> one(1);
    ffn::batch_predictor<net_type> two(2);
    ffn::inference_workspace<net_type, Eigen::Dynamic> iws;
    const std::string shape = std::to_string(units[0]) + "-" + std::to_string(units[1]) + "-" +
                              std::to_string(units[2]) + "-" + std::to_string(units[3]);
    std::printf(
        "%s relu softmax, float, batches of %ld: two.blocks = %zu; max |difference| "
        "between 2 threads and 1: %.3g, between 1 thread and predict(x, iws): %.3g\n",
        shape.c_str(), static_cast<long>(samples), two.blocks(net, samples),
        static_cast<double>((two.predict(net, x) - one.predict(net, x)).cwiseAbs().maxCoeff()),
        static_cast<double>((one.predict(net, x) - net.predict(x, iws)).cwiseAbs().maxCoeff()));
    return bench::compare(shape + " relu softmax inference, batches of " + std::to_string(samples),
                          {{"ffn::batch_predictor, 1 thread", [] {},
                            [&](long n) {
                                for (long i = 0; i < n; ++i) {
                                    bench::keep(one.predict(net, x));
                                }
                            }},
                           {"ffn::batch_predictor, 2 threads", [] {},
                            [&](long n) {
                                for (long i = 0; i < n; ++i) {
                                    bench::keep(two.predict(net, x));
                                }
                            }},
                           {"ffn predict(x, iws), whole batch", [] {},
                            [&](long n) {
                                for (long i = 0; i < n; ++i) {
                                    bench::keep(net.predict(x, iws));
                                }
                            }}},
                          static_cast<double>(samples), s);
}

} // namespace

bench_ratios::predict_threads bench_predict_threads(const bench::settings& s) {
    bench_ratios::predict_threads r{};
    const bench::result large = compare_predict({784, 256, 128, 10}, 1024, s);
    const bench::result small = compare_predict({64, 128, 128, 10}, 256, s);
    std::printf("\n");
    r.mlp784_batch1024 = large.ratio(0, 1); // one thread's time over two threads'
    r.chunked_mlp784_batch1024 = large.ratio(0, 2);
    r.net64_batch256 = small.ratio(0, 1);
    return r;
}
