// SPDX-License-Identifier: MIT
#pragma once

// Printing and checking for the embedded programs, shared by the lecture's program and the
// baseline so that the difference in their sizes is ffn's share alone.
//
// Floats are printed as fixed-point integers (printf("%ld.%06ld")): newlib's %f converts through
// dtoa, which allocates (heap_trap.c would stop the program), needs printf's floating-point
// support linked in, and takes a double, which the Cortex-M4's FPU cannot compute with.

#include <cstdint>
#include <cstdio>

namespace embedded {

/// Prints `value` with six decimals (or `nan`, or `out of range` beyond +-2000).
inline void print_fixed(float value) {
    if (value != value) {
        std::printf("%12s", "nan");
        return;
    }
    if (value > 2000.0F || value < -2000.0F) {
        std::printf("%12s", "out of range");
        return;
    }
    const bool negative = value < 0.0F;
    const float magnitude = negative ? -value : value;
    const auto micro = static_cast<std::int32_t>(magnitude * 1.0e6F + 0.5F);
    std::printf("%s%5ld.%06ld", negative ? "-" : " ", static_cast<long>(micro / 1000000),
                static_cast<long>(micro % 1000000));
}

/// One number the lecture prints, and what the program computed for it.
struct lecture_number {
    const char* name;
    float computed;
    float lecture;
};

/// Prints each number beside the lecture's and whether they agree within `tolerance`; returns
/// how many disagree.
template <std::size_t N>
int check_all(const lecture_number (&numbers)[N], float tolerance) {
    int disagreements = 0;
    for (const lecture_number& n : numbers) {
        const float difference = n.computed - n.lecture;
        const bool agrees = difference <= tolerance && -difference <= tolerance;
        disagreements += agrees ? 0 : 1;
        std::printf("  %-10s computed ", n.name);
        print_fixed(n.computed);
        std::printf("   lecture ");
        print_fixed(n.lecture);
        std::printf("   %s\n", agrees ? "agrees" : "DISAGREES");
    }
    return disagreements;
}

} // namespace embedded
