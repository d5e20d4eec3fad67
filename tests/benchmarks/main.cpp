// SPDX-License-Identifier: MIT
// Runs every benchmark and ends with one line per ratio (ffn's median time over its
// hand-written baseline's; lower is better), then ffn::fit's throughput over a hand-written
// training loop's (higher is better). An argument picks one benchmark: lecture, inference,
// digits, mlp784, fit or threads.

#include <cstdio>
#include <cstring>

#include "benchmarks.hpp"

int main(int argc, char** argv) {
    const char* only = argc > 1 ? argv[1] : nullptr;
    const auto wanted = [only](const char* name) {
        return only == nullptr || std::strcmp(only, name) == 0;
    };
    bench::settings s;
    bench_ratios::lecture lecture{0, 0, 0};
    bench_ratios::inference inference{};
    double digits = 0;
    double mlp784 = 0;
    bench_ratios::fit fit_digits{0, 0};
    bench_ratios::fit fit_mlp784{0, 0};
    bench_ratios::threads threads{0, 0};
    bench_ratios::predict_threads predict_threads{0, 0, 0};
    if (wanted("lecture")) {
        lecture = bench_lecture(s);
    }
    if (wanted("inference")) {
        inference = bench_inference(s);
    }
    if (wanted("digits")) {
        digits = bench_digits(s);
    }
    if (wanted("mlp784")) {
        s.block_seconds = 0.05;
        mlp784 = bench_mlp784(s);
    }
    if (wanted("fit")) {
        // Blocks of many epochs, as a user calls fit: its set-up (buffers, the copies that
        // undo a divergence) is paid once per call.
        bench::settings epochs = s;
        epochs.block_seconds = 0.25;
        epochs.rounds = 11;
        fit_digits = bench_fit_digits(epochs);
        fit_mlp784 = bench_fit_mlp784(epochs);
    }
    if (wanted("threads")) {
        bench::settings epochs = s;
        epochs.block_seconds = 0.25;
        epochs.rounds = 11;
        threads = bench_fit_threads(epochs);
        bench::settings batches = s;
        batches.block_seconds = 0.05;
        batches.rounds = 21;
        batches.wall_clock = true;
        predict_threads = bench_predict_threads(batches);
    }
    if (wanted("lecture")) {
        std::printf("ratio lecture_train ffn/scalar: %.3f\n", lecture.train);
        std::printf("ratio lecture_forward ffn/scalar: %.3f\n", lecture.forward);
        std::printf("ratio lecture_predict ffn/eigen: %.3f\n", lecture.predict);
    }
    if (wanted("inference")) {
        std::printf("ratio predict_8_8_8_1 ffn/eigen: %.3f\n", inference.shape_8_8_8_1);
        std::printf("ratio predict_16_32_32_4 ffn/eigen: %.3f\n", inference.shape_16_32_32_4);
        std::printf("ratio predict_16_64_64_8 ffn/eigen: %.3f\n", inference.shape_16_64_64_8);
        std::printf("ratio predict_64_128_128_10 ffn/eigen: %.3f\n", inference.shape_64_128_128_10);
        std::printf("ratio predict_batch256 ffn/eigen: %.3f\n", inference.batch_predict_kept);
        std::printf("ratio forward_batch256 ffn/eigen: %.3f\n", inference.batch_forward_kept);
        std::printf("ratio predict_new_matrix_batch256 ffn/eigen: %.3f\n",
                    inference.batch_predict_fresh);
    }
    if (wanted("digits")) {
        std::printf("ratio digits_train ffn/eigen: %.3f\n", digits);
    }
    if (wanted("mlp784")) {
        std::printf("ratio mlp784_train ffn/eigen: %.3f\n", mlp784);
    }
    if (wanted("fit")) {
        std::printf("throughput fit_digits fixed ffn/loop: %.3f\n", fit_digits.fixed);
        std::printf("throughput fit_digits dynamic ffn/loop: %.3f\n", fit_digits.dynamic);
        std::printf("throughput fit_mlp784 fixed ffn/loop: %.3f\n", fit_mlp784.fixed);
        std::printf("throughput fit_mlp784 dynamic ffn/loop: %.3f\n", fit_mlp784.dynamic);
    }
    if (wanted("threads")) {
        std::printf("speedup fit_mlp784_batch256 threads2/threads1: %.3f\n",
                    threads.mlp784_batch256);
        std::printf("speedup fit_digits_batch32 threads2/threads1: %.3f\n", threads.digits_batch32);
        std::printf("speedup predict_mlp784_batch1024 threads2/threads1: %.3f\n",
                    predict_threads.mlp784_batch1024);
        std::printf("speedup predict_64_128_128_10_batch256 threads2/threads1: %.3f\n",
                    predict_threads.net64_batch256);
        std::printf("ratio predict_mlp784_batch1024 batch_predictor1/predict: %.3f\n",
                    predict_threads.chunked_mlp784_batch1024);
    }
    return 0;
}
