// SPDX-License-Identifier: MIT
#pragma once

// How an example program ends on an error, the same whether it is built with exceptions or
// without them (-fno-exceptions): it writes "<program>: <message>" on standard error and exits
// with 2, for its own errors (a bad command line, a data file it cannot read) and for those ffn
// reports, which reach it as an exception in one build and through ffn's error handler in the
// other. This is example code, not part of the library.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <utility>

#include <ffn/errors.hpp>

namespace examples {

/// Writes the message of an error that ends the program and returns the program's exit code.
using error_report = int (*)(const char* what);

namespace detail {

/// The program's name, which starts its error messages.
inline const char*& program_name() {
    static const char* name = "example";
    return name;
}

/// "<program>: <what>" on standard error, exit code 2.
inline int report_on_stderr(const char* what) {
    std::fprintf(stderr, "%s: %s\n", program_name(), what);
    return 2;
}

/// The report of the innermost `on_error` (the examples run on one thread).
inline error_report& current_report() {
    static error_report report = &report_on_stderr;
    return report;
}

/// Ends the program as the current report says. `std::exit` flushes standard output.
[[noreturn]] inline void end_program(const char* what) { std::exit(current_report()(what)); }

/// ffn's error handler, which ffn calls only in a build without exceptions.
inline void end_program_on_ffn_error(const char* what, const char* /*where*/) { end_program(what); }

} // namespace detail

/// Ends the program on one of its own errors (a bad command line, a data file it cannot read):
/// `message` goes to the current report, "<program>: <message>" on standard error with exit
/// code 2 unless an `on_error` says otherwise.
[[noreturn]] inline void fail(const std::string& message) { detail::end_program(message.c_str()); }

/// Runs `body()`. An error that ffn reports inside it, or a `fail`, ends the program: `report`
/// writes the message and returns the exit code. With exceptions the error is caught here;
/// without, ffn's error handler (set by `run`) ends the program with the same message.
template <class Body>
void on_error(error_report report, Body&& body) {
    struct restore {
        error_report outer;
        ~restore() { detail::current_report() = outer; }
    } const guard{std::exchange(detail::current_report(), report)};
#if defined(__cpp_exceptions)
    try {
        std::forward<Body>(body)();
    } catch (const std::exception& e) {
        detail::end_program(e.what());
    }
#else
    std::forward<Body>(body)();
#endif
}

/// Runs the program `body(argc, argv)`, whose error messages start with `name`, and returns its
/// exit code; an error ends it with "<name>: <message>" on standard error and exit code 2, in
/// a build with exceptions and in one without.
inline int run(const char* name, int (*body)(int argc, char** argv), int argc, char** argv) {
    detail::program_name() = name;
    ffn::set_error_handler(&detail::end_program_on_ffn_error);
    int code = 0;
    on_error(&detail::report_on_stderr, [&] { code = body(argc, argv); });
    return code;
}

} // namespace examples
