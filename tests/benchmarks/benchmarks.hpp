// SPDX-License-Identifier: MIT
#pragma once

// The benchmark programs' parts, each in its own translation unit.

#include "harness.hpp"

namespace bench_ratios {
/// ffn's median time over the scalar loop's, for a training step and a forward pass, and
/// `predict`'s over the hand-written fixed-size Eigen network's.
struct lecture {
    double train;
    double forward;
    double predict;
};
/// ffn::fit's throughput over the hand-written training loop's, with fixed and dynamic sizes.
struct fit {
    double fixed;
    double dynamic;
};
/// ffn's `predict` time over the hand-written fixed-size Eigen network's, one sample at a time
/// on four shapes, then for batches of 256 (with `forward` too).
struct inference {
    double shape_8_8_8_1;
    double shape_16_32_32_4;
    double shape_16_64_64_8;
    double shape_64_128_128_10;
    double batch_predict_kept;
    double batch_forward_kept;
    double batch_predict_fresh;
};
/// ffn::fit's speed-up with two threads over one (wall-clock).
struct threads {
    double mlp784_batch256;
    double digits_batch32;
};
/// ffn::batch_predictor's speed-up with two threads over one (wall-clock), and one thread's
/// time over `predict(x, iws)` on the whole batch.
struct predict_threads {
    double mlp784_batch1024;
    double chunked_mlp784_batch1024;
    double net64_batch256;
};
} // namespace bench_ratios

bench_ratios::lecture bench_lecture(const bench::settings& s);
/// ffn's median time over the hand-written Eigen MLP's, for the digits-shaped 64-32-10 net.
double bench_digits(const bench::settings& s);
/// The same for the 784-256-128-10 net.
double bench_mlp784(const bench::settings& s);
/// ffn::fit against a hand-written training loop, digits 64-32-10 with batches of 32.
bench_ratios::fit bench_fit_digits(const bench::settings& s);
/// The same for 784-256-128-10 with batches of 128.
bench_ratios::fit bench_fit_mlp784(const bench::settings& s);
/// Inference, float: one sample at a time and batches of 256 (inference_bench.cpp).
bench_ratios::inference bench_inference(const bench::settings& s);
/// ffn::fit with two threads against one: 784-256-128-10 batches of 256, digits batches of 32.
bench_ratios::threads bench_fit_threads(const bench::settings& s);
/// ffn::batch_predictor with two threads against one: 784-256-128-10 batches of 1024,
/// 64-128-128-10 batches of 256 (predict_threads_bench.cpp).
bench_ratios::predict_threads bench_predict_threads(const bench::settings& s);
