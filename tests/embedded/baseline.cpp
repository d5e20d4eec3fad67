// SPDX-License-Identifier: MIT
// The baseline for ffn's footprint: lecture_m4.cpp without ffn. It links the same startup code,
// heap trap, printf and report, measures the stack the same way and prints the same table, but
// its "computed" numbers are the lecture's own, read through volatile so that the compiler
// keeps the code that prints and checks them. Its size subtracted from lecture_m4's is what
// ffn (with Eigen and what they pull from libstdc++ and libm) adds to a program.

#include <cstdint>
#include <cstdio>

#include "board.h"
#include "report.hpp"

namespace {

volatile float lecture_values[] = {0.60108F, 0.61538F, 0.73492F, 0.77955F, 0.24908F,
                                   0.09933F, 0.19919F, 0.29667F, 0.39597F, 0.45187F,
                                   0.55073F, 0.71056F, 0.81081F};
float copied[sizeof lecture_values / sizeof lecture_values[0]];

// Stands in for the lecture's step.
[[gnu::noinline]] void step() {
    for (std::size_t i = 0; i < sizeof copied / sizeof copied[0]; ++i) {
        copied[i] = lecture_values[i];
    }
}

} // namespace

int main() {
    const std::uintptr_t sp = board_stack_pointer();
    board_paint_free_stack();
    step();
    const std::uintptr_t step_stack = sp - board_stack_low_water();

    const embedded::lecture_number numbers[] = {
        {"output_h1", copied[0], 0.60108F}, {"output_h2", copied[1], 0.61538F},
        {"output_o1", copied[2], 0.73492F}, {"output_o2", copied[3], 0.77955F},
        {"E_total", copied[4], 0.24908F},   {"new w1", copied[5], 0.09933F},
        {"new w2", copied[6], 0.19919F},    {"new w3", copied[7], 0.29667F},
        {"new w4", copied[8], 0.39597F},    {"new w5", copied[9], 0.45187F},
        {"new w6", copied[10], 0.55073F},   {"new w7", copied[11], 0.71056F},
        {"new w8", copied[12], 0.81081F},
    };

    std::printf("baseline: startup, heap trap, printf and the report, without ffn\n");
    const int disagreements = embedded::check_all(numbers, 2e-5F);
    std::printf("peak stack of the stand-in step: %lu bytes\n",
                static_cast<unsigned long>(step_stack));
    std::printf("peak stack of the whole program: %lu bytes\n",
                static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(__stack_top) -
                                           board_stack_low_water()));
    return disagreements == 0 ? 0 : 1;
}
