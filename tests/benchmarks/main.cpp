// SPDX-License-Identifier: MIT
// Runs every benchmark and ends with one line per ratio (ffn's median time over its
// hand-written baseline's; lower is better). An argument picks one benchmark: lecture,
// digits or mlp784.

#include <cstdio>
#include <cstring>

#include "benchmarks.hpp"

int main(int argc, char** argv) {
    const char* only = argc > 1 ? argv[1] : nullptr;
    const auto wanted = [only](const char* name) {
        return only == nullptr || std::strcmp(only, name) == 0;
    };
    bench::settings s;
    bench_ratios::lecture lecture{0, 0};
    double digits = 0;
    double mlp784 = 0;
    if (wanted("lecture")) {
        lecture = bench_lecture(s);
    }
    if (wanted("digits")) {
        digits = bench_digits(s);
    }
    if (wanted("mlp784")) {
        s.block_seconds = 0.05;
        mlp784 = bench_mlp784(s);
    }
    if (wanted("lecture")) {
        std::printf("ratio lecture_train ffn/scalar: %.3f\n", lecture.train);
        std::printf("ratio lecture_forward ffn/scalar: %.3f\n", lecture.forward);
    }
    if (wanted("digits")) {
        std::printf("ratio digits_train ffn/eigen: %.3f\n", digits);
    }
    if (wanted("mlp784")) {
        std::printf("ratio mlp784_train ffn/eigen: %.3f\n", mlp784);
    }
    return 0;
}
