// SPDX-License-Identifier: MIT
#pragma once

// The benchmark programs' parts, each in its own translation unit.

#include "harness.hpp"

namespace bench_ratios {
/// ffn's median time over the scalar loop's, for a training step and a forward pass.
struct lecture {
    double train;
    double forward;
};
/// ffn::fit's throughput over the hand-written training loop's, with fixed and dynamic sizes.
struct fit {
    double fixed;
    double dynamic;
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
