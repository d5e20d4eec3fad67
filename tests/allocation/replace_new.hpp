// SPDX-License-Identifier: MIT
#pragma once

// The global operator new and delete, replaced to count the allocations that do not go through
// Eigen (see counting.hpp). A program includes this in exactly one translation unit: these
// are the program's own definitions, not inline ones.

#include <cstddef>
#include <cstdlib>
#include <new>

#include "counting.hpp"

// These operators are a matched pair (malloc and free) by construction; g++ at -O3 inlines
// them into a caller's `new` and `delete` and then sees only malloc beside free, which it
// reports as a mismatch whenever its inlining choices line them up.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t size) {
    if (allocation::counting.load()) {
        allocation::new_calls.fetch_add(1);
    }
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
// The nothrow forms too (Catch2 uses them): left to the runtime, they would pair a sanitizer's
// own allocation with the free() below, which AddressSanitizer reports as a mismatch.
void* operator new(std::size_t size, const std::nothrow_t& /*tag*/) noexcept {
    try {
        return ::operator new(size);
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
    return ::operator new(size, tag);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t /*size*/) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t /*size*/) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t& /*tag*/) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t& /*tag*/) noexcept { std::free(p); }

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
