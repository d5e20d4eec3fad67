// SPDX-License-Identifier: MIT
// Proves that heap_trap.c catches an allocation and that its exit code reaches the host: this
// program allocates, so it must end with exit code 3 (the test expects exactly that), having
// printed what it did first.

#include <cstdio>
#include <cstdlib>

namespace {
volatile std::size_t bytes = 16; // not a constant, so the call is not folded away
} // namespace

int main() {
    std::printf("heap_selftest: calling malloc(%u); heap_trap.c must end the program with 3\n",
                static_cast<unsigned>(bytes));
    void* p = std::malloc(bytes);
    std::printf("heap_selftest: malloc returned %p: the trap did NOT fire\n", p);
    std::free(p);
    return 0;
}
