/* SPDX-License-Identifier: MIT */
/* Startup code for QEMU's mps2-an386 (Cortex-M4 with FPU): the vector table, the reset handler
 * and a handler that reports any fault. Programs reach the host through semihosting, with
 * newlib's librdimon: printf goes to QEMU's standard output, and exit(code) ends QEMU with that
 * code (SYS_EXIT_EXTENDED, which QEMU offers to AArch32 guests).
 *
 * The reset handler, in order:
 *   1. enables the FPU: CPACR (0xE000ED88) gets full access for CP10 and CP11, then DSB and
 *      ISB so that the next instruction sees it. Code built with -mfloat-abi=hard may use a
 *      floating-point instruction anywhere (even to move a float into a register), and one
 *      executed with the FPU off is a UsageFault (NOCP). Nothing here uses floating point,
 *      so this function is safe to run before it;
 *   2. paints the stack below its own frame (board.h), for the high-water mark;
 *   3. copies .data from flash and zeroes .bss;
 *   4. opens the semihosting standard streams and gives stdout a static buffer, so that the
 *      first printf does not malloc one (heap_trap.c would stop the program);
 *   5. runs the static constructors (.preinit_array, then .init_array);
 *   6. calls exit(main()), which runs the static destructors and flushes stdout.
 *
 * Built with -nostartfiles: newlib's crt0 for rdimon would do 3-6 too, but it also asks the
 * host for a heap, and it does not enable the FPU. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"

int main(void);
void initialise_monitor_handles(void); /* librdimon */

/* From mps2_an386.ld. */
extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];
extern void (*__preinit_array_start[])(void);
extern void (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

/* The DSO handle that static objects with destructors register with (crtbegin.o defines it
 * when start files are linked). */
void* __dso_handle = &__dso_handle;

/* What crti.o would give: newlib's exit() runs .fini_array through __libc_fini_array, which
 * calls _fini last; there is nothing for it to do. */
void _fini(void) {}

static char stdout_buffer[128];

int board_main_started = 0;

__attribute__((noreturn)) void reset_handler(void) {
    /* 1. FPU on (left off only to test that a program then faults: fpu_off_test). */
#ifndef STARTUP_LEAVE_FPU_OFF
    volatile uint32_t* const cpacr = (volatile uint32_t*)0xE000ED88u;
    *cpacr |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif

    /* 2. Paint the free stack. */
    board_paint_free_stack();

    /* 3. Static data. */
    memcpy(__data_start, __data_load, (size_t)((char*)__data_end - (char*)__data_start));
    memset(__bss_start, 0, (size_t)((char*)__bss_end - (char*)__bss_start));

    /* 4. Semihosting streams; a line-buffered stdout that needs no heap. */
    initialise_monitor_handles();
    setvbuf(stdout, stdout_buffer, _IOLBF, sizeof stdout_buffer);

    /* 5. Static constructors. */
    for (void (**f)(void) = __preinit_array_start; f < __preinit_array_end; ++f) {
        (*f)();
    }
    for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f) {
        (*f)();
    }

    /* 6. */
    board_main_started = 1;
    exit(main());
}

void board_write_error(const char* message) {
    /* SYS_WRITE0 (0x04): r1 points to a NUL-terminated string. BKPT 0xAB is the M-profile
     * semihosting call. */
    register uint32_t operation __asm__("r0") = 0x04u;
    register const char* text __asm__("r1") = message;
    __asm__ volatile("bkpt 0xab" : "+r"(operation) : "r"(text) : "memory");
}

void board_write_error_number(uint32_t value) {
    char digits[11];
    char* p = digits + sizeof digits;
    *--p = '\0';
    do {
        *--p = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0u);
    board_write_error(p);
}

/* Every exception but reset: names it (by its number in IPSR: 2 NMI, 3 HardFault,
 * 4 MemManage, 5 BusFault, 6 UsageFault, ...) and ends QEMU with board_exit_fault, so that a
 * fault fails the test at once instead of hanging it until the timeout. Only HardFault is
 * enabled at reset, so the configurable faults all arrive here as HardFault (3); CFSR
 * (0xE000ED28) says which it was: bit 19 NOCP, an FPU instruction with the FPU off. */
__attribute__((noreturn)) void board_fault_handler(void) {
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    const uint32_t cfsr = *(volatile const uint32_t*)0xE000ED28u;
    board_write_error("\nstartup.c: unexpected exception ");
    board_write_error_number(ipsr & 0x1FFu);
    board_write_error(", CFSR = 0x");
    char hex[9];
    for (int i = 0; i < 8; ++i) {
        hex[i] = "0123456789abcdef"[(cfsr >> (28 - 4 * i)) & 0xFu];
    }
    hex[8] = '\0';
    board_write_error(hex);
    if (cfsr & (1u << 19)) {
        board_write_error(" (NOCP: a floating-point instruction with the FPU off)");
    }
    board_write_error("\n");
    _exit(board_exit_fault);
}

/* The Cortex-M vector table: the initial stack pointer, then the 15 system exceptions. The
 * board's interrupts are never enabled, so none of their entries are given. */
typedef void (*board_handler)(void);
struct board_vector_table {
    const void* initial_stack_pointer;
    board_handler handlers[15];
};

/* clang-format off */
__attribute__((section(".vectors"), used)) const struct board_vector_table board_vectors = {
    .initial_stack_pointer = __stack_top,
    .handlers = {
        reset_handler,       /* 1 reset */
        board_fault_handler, /* 2 NMI */
        board_fault_handler, /* 3 HardFault */
        board_fault_handler, /* 4 MemManage */
        board_fault_handler, /* 5 BusFault */
        board_fault_handler, /* 6 UsageFault */
        0, 0, 0, 0,          /* 7-10 reserved */
        board_fault_handler, /* 11 SVCall */
        board_fault_handler, /* 12 DebugMonitor */
        0,                   /* 13 reserved */
        board_fault_handler, /* 14 PendSV */
        board_fault_handler, /* 15 SysTick */
    },
};
/* clang-format on */
