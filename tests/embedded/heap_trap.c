/* SPDX-License-Identifier: MIT */
/* The program has no heap: every way into newlib's allocator is replaced by a trap that names
 * the call and ends the program with exit code board_exit_heap_used (3). Linked into every
 * embedded program, so a heap allocation anywhere (ffn, Eigen, libstdc++, newlib's stdio)
 * fails the run instead of going unnoticed.
 *
 * Replaced: the C functions (malloc, calloc, realloc, free), newlib's reentrant forms that its
 * own code calls (_malloc_r, ...), and _sbrk, which any allocator left over would have to
 * call for memory (newlib's is weak). operator new calls malloc. free(NULL) is allowed: it
 * frees nothing.
 *
 * The message is written through semihosting directly (board_write_error), not printf, which
 * might itself allocate.
 *
 * Built with HEAP_TRAP_STARTUP_ARENA=<bytes> (only with FFN_EMBEDDED_EXCEPTIONS), malloc and
 * calloc before main are served from a static arena of that size and reported, instead of
 * ending the program: with exceptions on, libstdc++'s emergency pool for exception objects
 * (eh_alloc.cc) mallocs its arena from a static constructor. From main on, the trap is armed
 * either way. */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/unistd.h>
#include <unistd.h>

#include "board.h"

__attribute__((noreturn)) static void heap_used(const char* function, size_t bytes) {
    static int reported = 0;
    if (reported) {
        /* Allocated again on the way out (by an atexit handler, say): leave at once. */
        _exit(board_exit_heap_used);
    }
    reported = 1;
    board_write_error("\nheap_trap.c: ");
    board_write_error(function);
    board_write_error("(");
    board_write_error_number((uint32_t)bytes);
    board_write_error(") called, but this program must not use the heap\n");
    exit(board_exit_heap_used);
}

size_t board_heap_before_main = 0;

#ifdef HEAP_TRAP_STARTUP_ARENA
static unsigned char startup_arena[HEAP_TRAP_STARTUP_ARENA] __attribute__((aligned(8)));

static int in_startup_arena(const void* pointer) {
    const unsigned char* p = (const unsigned char*)pointer;
    return p >= startup_arena && p < startup_arena + sizeof startup_arena;
}

/* A block from the arena before main (never given back), or NULL to trap. */
static void* startup_allocation(const char* function, size_t bytes) {
    const size_t rounded = (bytes + 7u) & ~(size_t)7u;
    if (board_main_started || rounded > sizeof startup_arena - board_heap_before_main) {
        return NULL;
    }
    void* block = startup_arena + board_heap_before_main;
    board_heap_before_main += rounded;
    board_write_error("heap_trap.c: ");
    board_write_error(function);
    board_write_error("(");
    board_write_error_number((uint32_t)bytes);
    board_write_error(") before main, served from the startup arena (exceptions build only)\n");
    return block;
}
#else
static int in_startup_arena(const void* pointer) {
    (void)pointer;
    return 0;
}

static void* startup_allocation(const char* function, size_t bytes) {
    (void)function;
    (void)bytes;
    return NULL;
}
#endif

void* malloc(size_t bytes) {
    void* block = startup_allocation("malloc", bytes);
    if (block == NULL) {
        heap_used("malloc", bytes);
    }
    return block;
}

void* calloc(size_t count, size_t size) {
    /* The arena is in .bss, so its blocks are zero. */
    void* block = startup_allocation("calloc", count * size);
    if (block == NULL) {
        heap_used("calloc", count * size);
    }
    return block;
}

void* realloc(void* pointer, size_t bytes) {
    (void)pointer;
    heap_used("realloc", bytes);
}

void free(void* pointer) {
    if (pointer != NULL && !in_startup_arena(pointer)) {
        heap_used("free", 0);
    }
}

void* _malloc_r(struct _reent* reent, size_t bytes) {
    (void)reent;
    heap_used("_malloc_r", bytes);
}

void* _calloc_r(struct _reent* reent, size_t count, size_t size) {
    (void)reent;
    heap_used("_calloc_r", count * size);
}

void* _realloc_r(struct _reent* reent, void* pointer, size_t bytes) {
    (void)reent;
    (void)pointer;
    heap_used("_realloc_r", bytes);
}

void _free_r(struct _reent* reent, void* pointer) {
    (void)reent;
    if (pointer != NULL && !in_startup_arena(pointer)) {
        heap_used("_free_r", 0);
    }
}

void* _sbrk(ptrdiff_t increment) { heap_used("_sbrk", (size_t)increment); }
