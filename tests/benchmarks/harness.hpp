// SPDX-License-Identifier: MIT
#pragma once

// A small timing harness for the benchmarks: every candidate of a comparison runs in the same
// process, in blocks of many steps, after a warm-up; the candidates take turns within each
// round (the order rotates from round to round), so that a change in the machine's load hits
// all of them alike. Results are medians over the rounds, and each ratio is the median of the
// per-round ratios. Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so that the time
// the process spends descheduled on a busy machine is not counted; what other processes do to
// the caches and the shared core still is. A comparison of work shared between threads uses
// wall-clock time instead (`settings::wall_clock`). Nothing here asserts a time.

#include <algorithm>
#include <ctime>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace bench {

/// Makes the compiler assume that `value` is read and may be changed here, so that the work
/// producing it is neither dropped nor hoisted out of a loop.
template <class T>
inline void keep(T& value) {
    asm volatile("" : : "r"(&value) : "memory");
}

/// One way of doing the work: `prepare()` puts it back in its starting state (not timed), and
/// `run(n)` does `n` steps.
struct candidate {
    std::string name;
    std::function<void()> prepare;
    std::function<void(long)> run;
};

/// Median of `values` (the mean of the two middle values for an even count).
inline double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/// What `compare` measured: nanoseconds per step of each candidate, round by round.
struct result {
    std::vector<std::string> names;
    std::vector<std::vector<double>> ns_per_step; // [candidate][round]
    long steps_per_block = 0;

    [[nodiscard]] double median_ns(std::size_t c) const { return median(ns_per_step[c]); }
    /// Median over the rounds of candidate `a`'s time divided by candidate `b`'s.
    [[nodiscard]] double ratio(std::size_t a, std::size_t b) const {
        std::vector<double> r;
        for (std::size_t i = 0; i < ns_per_step[a].size(); ++i) {
            r.push_back(ns_per_step[a][i] / ns_per_step[b][i]);
        }
        return median(r);
    }
};

struct settings {
    int rounds = 41;
    double block_seconds = 0.004; // each timed block lasts about this long
    int warmup_blocks = 3;
    bool wall_clock = false; // CLOCK_MONOTONIC instead of the thread's CPU time
};

/// The calling thread's CPU time in seconds, or with `wall_clock` the time elapsed.
inline double now_seconds(bool wall_clock) {
    timespec t{};
    clock_gettime(wall_clock ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

inline double seconds_for(const candidate& c, long steps, bool wall_clock) {
    c.prepare();
    const double start = now_seconds(wall_clock);
    c.run(steps);
    return now_seconds(wall_clock) - start;
}

/// Times every candidate, interleaved, and prints one line per candidate.
inline result compare(const std::string& title, std::vector<candidate> candidates,
                      double samples_per_step, const settings& s = {}) {
    // Calibrate on the slowest candidate so that every block lasts at least block_seconds.
    long steps = 1;
    for (;;) {
        double slowest = 0;
        for (const auto& c : candidates) {
            slowest = std::max(slowest, seconds_for(c, steps, s.wall_clock));
        }
        if (slowest >= s.block_seconds || steps > (1L << 40)) {
            break;
        }
        steps = slowest <= 0
                    ? steps * 10
                    : std::max(steps + 1, static_cast<long>(static_cast<double>(steps) *
                                                            s.block_seconds / slowest * 1.1));
    }
    for (int w = 0; w < s.warmup_blocks; ++w) {
        for (const auto& c : candidates) {
            seconds_for(c, steps, s.wall_clock);
        }
    }
    result r;
    r.steps_per_block = steps;
    r.ns_per_step.resize(candidates.size());
    for (const auto& c : candidates) {
        r.names.push_back(c.name);
    }
    for (int round = 0; round < s.rounds; ++round) {
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            const std::size_t c = (k + static_cast<std::size_t>(round)) % candidates.size();
            r.ns_per_step[c].push_back(seconds_for(candidates[c], steps, s.wall_clock) * 1e9 /
                                       static_cast<double>(steps));
        }
    }
    std::printf("%s  (%d rounds of %ld steps, medians)\n", title.c_str(), s.rounds, steps);
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        const double ns = r.median_ns(c);
        std::printf("  %-34s %12.1f ns/step %14.0f samples/s   x%.3f of %s\n", r.names[c].c_str(),
                    ns, samples_per_step * 1e9 / ns, r.ratio(c, 0), r.names[0].c_str());
    }
    return r;
}

} // namespace bench
