// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `detail::thread_team`: a few threads kept for one call (`ffn::fit`), each running part k of
/// the same job while the calling thread runs part 0. Nothing is allocated per job: the job is
/// a pointer. A thread that waits (for a job, or for the others to finish one) checks for a
/// short while before it sleeps on a condition variable, since jobs come every millisecond or
/// so in training and waking a sleeping thread costs tens of microseconds. Built only where the
/// standard library has threads (`__STDCPP_THREADS__`); elsewhere (a bare-metal target) ffn
/// trains on the calling thread.

#include <cstddef>

#if defined(__STDCPP_THREADS__)
#define FFN_HAS_THREADS 1
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#else
#define FFN_HAS_THREADS 0
#endif

namespace ffn::detail {

#if FFN_HAS_THREADS

/// The threads a `std::thread::hardware_concurrency()` of 0 (unknown) stands for: 1.
[[nodiscard]] inline std::size_t hardware_threads() noexcept {
    const unsigned count = std::thread::hardware_concurrency();
    return count == 0 ? 1 : static_cast<std::size_t>(count);
}

class thread_team {
public:
    /// Starts `helpers` threads, which wait for jobs.
    /// @throws std::system_error if a thread cannot be started (those started are stopped).
    explicit thread_team(std::size_t helpers) {
        errors_.resize(helpers + 1);
        threads_.reserve(helpers);
#if defined(__cpp_exceptions)
        try {
#endif
            for (std::size_t k = 1; k <= helpers; ++k) {
                threads_.emplace_back([this, k] { serve(k); });
            }
#if defined(__cpp_exceptions)
        } catch (...) {
            stop();
            throw;
        }
#endif
    }

    thread_team(const thread_team&) = delete;
    thread_team& operator=(const thread_team&) = delete;
    ~thread_team() { stop(); }

    /// Runs `job(k)` for every part `k` from 0 to `parts - 1` (at most the helpers plus one),
    /// part 0 on the calling thread and part `k` on helper `k`, and returns when all are done.
    /// An exception from a part is rethrown here (that of the lowest part, if several).
    template <class Job>
    void run(Job& job, std::size_t parts) {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            job_ = &job;
            call_ = [](void* j, std::size_t k) { (*static_cast<Job*>(j))(k); };
            parts_ = parts;
            // Every helper answers, needed or not, so that none still reads this job's
            // settings when the next job writes them.
            pending_.store(threads_.size(), std::memory_order_relaxed);
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        run_part(0);
        if (!spin_until([this] { return pending_.load(std::memory_order_acquire) == 0; })) {
            std::unique_lock<std::mutex> lock(mutex_);
            finished_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
        }
        for (std::size_t k = 0; k < parts; ++k) {
            if (errors_[k]) {
                const std::exception_ptr error = errors_[k];
                for (auto& e : errors_) {
                    e = nullptr;
                }
                std::rethrow_exception(error);
            }
        }
    }

private:
    /// How long a thread that waits keeps checking before it sleeps. Training hands out a job
    /// every few hundred microseconds, and waking a sleeping thread costs tens of them on a
    /// virtual machine (docs/performance.md, "Threads in fit").
    static constexpr std::chrono::microseconds spin_time{200};

    /// Checks `done` until it is true (then returns true) or `spin_time` has passed (false),
    /// giving the processor to any other thread that wants it in between.
    template <class Done>
    static bool spin_until(Done done) {
        const auto until = std::chrono::steady_clock::now() + spin_time;
        for (;;) {
            for (int k = 0; k < 64; ++k) {
                if (done()) {
                    return true;
                }
                std::this_thread::yield();
            }
            if (std::chrono::steady_clock::now() > until) {
                return done();
            }
        }
    }

    void serve(std::size_t k) {
        std::uint64_t seen = 0;
        for (;;) {
            const auto news = [&] { return generation_.load(std::memory_order_acquire) != seen; };
            if (!spin_until(news)) {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, news);
            }
            if (stopping_.load(std::memory_order_relaxed)) { // set before the last generation
                return;
            }
            seen = generation_.load(std::memory_order_acquire);
            if (k < parts_) {
                run_part(k);
            }
            if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                // Taken and released so that the caller is either not yet waiting, and sees
                // the count, or waiting, and is woken.
                { const std::lock_guard<std::mutex> lock(mutex_); }
                finished_.notify_one();
            }
        }
    }

    void run_part(std::size_t k) noexcept {
#if defined(__cpp_exceptions)
        try {
            call_(job_, k);
        } catch (...) {
            errors_[k] = std::current_exception();
        }
#else
        call_(job_, k);
#endif
    }

    void stop() noexcept {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            stopping_.store(true, std::memory_order_relaxed);
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        for (auto& t : threads_) {
            t.join();
        }
        threads_.clear();
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable finished_;
    void* job_ = nullptr;
    void (*call_)(void*, std::size_t) = nullptr;
    std::size_t parts_ = 0;
    std::atomic<std::size_t> pending_{0};
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<bool> stopping_{false};
    std::vector<std::exception_ptr> errors_;
    std::vector<std::thread> threads_;
};

#endif

} // namespace ffn::detail
