// SPDX-License-Identifier: MIT
#pragma once

// Counts heap allocations: the global operator new (replaced by replace_new.hpp, once) and
// Eigen's own allocator, which every translation unit that includes this header before Eigen
// watches through EIGEN_RUNTIME_NO_MALLOC with an eigen_assert that counts instead of aborting
// (and that stays on under NDEBUG).

#include <atomic>
#include <cstdlib>
#include <new>

namespace allocation {
inline std::atomic<long> eigen_allocations{0};
inline std::atomic<long> new_calls{0};
inline std::atomic<bool> counting{false};
inline void eigen_check_failed() { eigen_allocations.fetch_add(1); }
} // namespace allocation

// Eigen's blocked matrix product takes its packing buffers from the stack when they fit in
// EIGEN_STACK_ALLOCATION_LIMIT bytes (128 KiB by default) and from the heap otherwise. These
// tests keep the default, as users do: the larger products of a 784-256-128-10 network need
// up to about 400 KiB, which ffn::product_space keeps with the workspace.
#define EIGEN_RUNTIME_NO_MALLOC
#define eigen_assert(x)                                                                            \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            ::allocation::eigen_check_failed();                                                    \
        }                                                                                          \
    } while (false)

#include <Eigen/Core>

namespace allocation {

/// Counts the heap allocations made while `f` runs.
template <class F>
inline long allocations_during(F&& f) {
    allocation::eigen_allocations = 0;
    allocation::new_calls = 0;
    Eigen::internal::set_is_malloc_allowed(false);
    allocation::counting = true;
    f();
    allocation::counting = false;
    Eigen::internal::set_is_malloc_allowed(true);
    return allocation::eigen_allocations.load() + allocation::new_calls.load();
}

/// Starts counting allocations, for a count that spans calls (unlike allocations_during).
inline void start_counting() {
    allocation::eigen_allocations = 0;
    allocation::new_calls = 0;
    Eigen::internal::set_is_malloc_allowed(false);
    allocation::counting = true;
}

/// Stops counting and returns the count since start_counting.
inline long stop_counting() {
    allocation::counting = false;
    Eigen::internal::set_is_malloc_allowed(true);
    return allocation::eigen_allocations.load() + allocation::new_calls.load();
}

} // namespace allocation
