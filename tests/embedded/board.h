/* SPDX-License-Identifier: MIT */
#pragma once

/* What startup.c, heap_trap.c and the programs share about the board (QEMU's mps2-an386,
 * laid out by mps2_an386.ld): the stack's bounds, the word its free part is painted with, and
 * the exit codes that are not the program's own.
 *
 * Stack measurement: the startup code paints the whole stack below its own frame with
 * board_stack_paint. Whatever runs later overwrites the paint as it pushes; the lowest address
 * that no longer holds it is the deepest the stack has been (the low-water mark). To measure
 * one call, paint the free stack again just before it, call it, and subtract the low-water
 * mark from the stack pointer it was called with. (A push that happens to store the paint
 * itself would go unseen; the word is chosen to be an unlikely value, not a pointer into RAM
 * or flash and not a small integer or a common float.) */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds of the stack, from the linker script: [__stack_bottom, __stack_top). */
extern uint32_t __stack_bottom[];
extern uint32_t __stack_top[];

/* The word the free stack is painted with. */
static const uint32_t board_stack_paint = 0x57AC57ACu;

/* Exit codes of the board's own traps (programs use 0 for success and 1 for a failed check). */
enum {
    board_exit_heap_used = 3, /* heap_trap.c: something called malloc or _sbrk */
    board_exit_fault = 4      /* startup.c: a fault or an unexpected exception */
};

/* The current stack pointer. */
static inline __attribute__((always_inline)) uintptr_t board_stack_pointer(void) {
    uintptr_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

/* Paints the stack from its bottom up to the current stack pointer. Inlined into its caller,
 * so that everything the caller calls afterwards starts on painted stack; the writes go
 * through a volatile pointer so that the loop does not become a call to memset, whose own
 * frame would lie in the area being painted. */
static inline __attribute__((always_inline)) void board_paint_free_stack(void) {
    volatile uint32_t* word = __stack_bottom;
    const volatile uint32_t* const end = (const volatile uint32_t*)board_stack_pointer();
    while (word < end) {
        *word++ = board_stack_paint;
    }
}

/* The lowest stack address whose word no longer holds the paint (__stack_top if none). */
static inline uintptr_t board_stack_low_water(void) {
    const volatile uint32_t* word = __stack_bottom;
    while (word < __stack_top && *word == board_stack_paint) {
        ++word;
    }
    return (uintptr_t)word;
}

/* Set by startup.c just before it calls main. */
extern int board_main_started;

/* Bytes heap_trap.c served before main (only in a build with a startup arena; otherwise any
 * allocation ends the program). */
extern size_t board_heap_before_main;

/* Writes a NUL-terminated message to the host's standard error through semihosting, without
 * stdio (usable from a fault handler and from inside the malloc trap). */
void board_write_error(const char* message);

/* Writes an unsigned number in decimal, as board_write_error does. */
void board_write_error_number(uint32_t value);

#ifdef __cplusplus
} /* extern "C" */
#endif
