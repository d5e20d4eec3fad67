// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The errors ffn reports, and how it reports them.
///
/// Shape and setting errors are `std::invalid_argument`; the types below cover the failures
/// that are not a caller's wrong argument. Every failed check goes through `detail::raise`:
/// with exceptions enabled it throws the error; in a program built with `-fno-exceptions` it
/// calls the error handler (see `set_error_handler`) with the message the exception would have
/// carried, then `std::abort()`. Every check runs in both builds.

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "ffn/detail/format.hpp"

namespace ffn {

/// A saved network could not be read: the file is damaged, truncated, or was written for a
/// different network. The message says what was wrong and where.
class format_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Training produced a loss or a gradient norm that is not finite. The message names the epoch
/// and the batch.
class divergence_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What a program built without exceptions is told of a failed check: `what` is the message
/// the exception would have carried (the same text), `where` the place in ffn that found it
/// (file, line and function). The handler must not return: it may stop the program, reset the
/// device or jump to a recovery point. If it returns, ffn calls `std::abort()`.
using error_handler = void (*)(const char* what, const char* where);

namespace detail {

/// The default handler: the message and the place on standard error.
inline void default_error_handler(const char* what, const char* where) {
    std::fprintf(stderr, "ffn: %s\n  (at %s)\n", what, where);
}

/// The handler in use, one for the program.
inline std::atomic<error_handler>& error_handler_slot() noexcept {
    static std::atomic<error_handler> handler{&default_error_handler};
    return handler;
}

/// A place that, with exceptions, would catch a `std::invalid_argument` and report it again
/// with more context (`detail::on_invalid_argument`). Without exceptions such places form a
/// chain per thread, innermost first, which `raise` follows.
struct error_context {
    void (*report)(const void* handler, const char* what);
    const void* handler;
    const error_context* outer;
};

// One chain per thread; a target without threads (`__STDCPP_THREADS__` undefined, as on a
// bare-metal microcontroller) has no thread-local storage to give, and needs one chain only.
#if defined(__STDCPP_THREADS__)
inline thread_local const error_context* innermost_error_context = nullptr;
#else
inline const error_context* innermost_error_context = nullptr;
#endif

} // namespace detail

/// Sets the handler that a program built without exceptions calls when a check fails (see
/// `error_handler`) and returns the previous one; `nullptr` restores the default, which writes
/// the message to standard error. With exceptions enabled ffn throws and never calls it.
inline error_handler set_error_handler(error_handler handler) noexcept {
    return detail::error_handler_slot().exchange(
        handler != nullptr ? handler : &detail::default_error_handler);
}

namespace detail {

/// Without exceptions: hands `what` to the innermost `on_invalid_argument` (when the error is
/// a `std::invalid_argument`), then to the error handler with the place, and aborts.
[[noreturn, gnu::cold, gnu::noinline]] inline void report_failure(bool invalid_argument,
                                                                  const char* what,
                                                                  const char* file, unsigned line,
                                                                  const char* function) {
    if (invalid_argument) {
        if (const error_context* context = innermost_error_context) {
            innermost_error_context = context->outer; // its report runs outside it
            context->report(context->handler, what);
        }
    }
    message place;
    place << file << ":" << line << " (" << function << ")";
    error_handler_slot().load()(what, place.c_str());
    std::abort();
}

/// Reports a failed check: throws `error`, or without exceptions hands its message to the
/// innermost `on_invalid_argument` (for a `std::invalid_argument`) or to the error handler,
/// and aborts.
/// The place is the caller's, filled in by the compiler (`__builtin_FILE()` and its kin, which
/// g++ and clang++ both know; `std::source_location` needs a newer clang++ with libstdc++).
template <class E>
[[noreturn, gnu::cold, gnu::noinline]] void raise(const E& error,
                                                  const char* file = __builtin_FILE(),
                                                  unsigned line = __builtin_LINE(),
                                                  const char* function = __builtin_FUNCTION()) {
#if defined(__cpp_exceptions)
    static_cast<void>(file);
    static_cast<void>(line);
    static_cast<void>(function);
    throw error;
#else
    report_failure(std::is_base_of_v<std::invalid_argument, E>, error.what(), file, line, function);
#endif
}

/// As `raise(E(text))`, for a message built in a `detail::message`: without exceptions no
/// string and no exception object is made, so a program that links only such checks links no
/// string code (the checks of settings that run even with fixed sizes).
template <class E>
[[noreturn, gnu::cold, gnu::noinline]] void raise(const message& text,
                                                  const char* file = __builtin_FILE(),
                                                  unsigned line = __builtin_LINE(),
                                                  const char* function = __builtin_FUNCTION()) {
#if defined(__cpp_exceptions)
    static_cast<void>(file);
    static_cast<void>(line);
    static_cast<void>(function);
    throw E(std::string(text.view()));
#else
    report_failure(std::is_base_of_v<std::invalid_argument, E>, text.c_str(), file, line, function);
#endif
}

/// Runs `body()` and returns what it returns. A `std::invalid_argument` raised inside is given
/// to `report(message)`, which must raise an error of its own (the same message with more
/// context, or another type). With exceptions this is a try block; without, `raise` finds
/// `report` through the chain of contexts, so the message is the same in both builds.
template <class Body, class Report>
decltype(auto) on_invalid_argument(Body&& body, const Report& report) {
#if defined(__cpp_exceptions)
    try {
        return std::forward<Body>(body)();
    } catch (const std::invalid_argument& e) {
        report(e.what());
        std::abort(); // not reached: `report` raises
    }
#else
    const error_context context{
        [](const void* handler, const char* what) { (*static_cast<const Report*>(handler))(what); },
        &report, innermost_error_context};
    struct restore {
        const error_context* outer;
        ~restore() { innermost_error_context = outer; }
    } const guard{innermost_error_context};
    innermost_error_context = &context;
    return std::forward<Body>(body)();
#endif
}

} // namespace detail

} // namespace ffn
