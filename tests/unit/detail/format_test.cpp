// SPDX-License-Identifier: MIT
// The numbers and messages of ffn's errors: detail::write_number gives std::to_chars's text
// without std::to_chars, and detail::message builds a message without the heap.

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include <ffn/detail/format.hpp>
#include <ffn/detail/random.hpp>

namespace {

std::string written(double value) {
    char buffer[32];
    return {buffer, ffn::detail::write_number(buffer, value)};
}

std::string to_chars_text(double value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return {buffer, result.ptr};
}

} // namespace

TEST_CASE("write_number writes what std::to_chars writes", "[format]") {
    using limits = std::numeric_limits<double>;
    CHECK(written(0.1) == "0.1");
    CHECK(written(1e-8) == "1e-08");
    CHECK(written(-0.5) == "-0.5");
    CHECK(written(0.0) == "0");
    CHECK(written(-0.0) == "-0");
    CHECK(written(123.0) == "123");
    CHECK(written(1e22) == "1e+22");
    CHECK(written(limits::infinity()) == "inf");
    CHECK(written(-limits::infinity()) == "-inf");
    CHECK(written(limits::quiet_NaN()) == "nan");
    // An integer written in fixed notation is written exactly, not as its shortest digits.
    CHECK(written(std::ldexp(1.0, 64)) == "18446744073709551616");
    CHECK(written(limits::denorm_min()) == "5e-324");
    CHECK(written(limits::max()) == "1.7976931348623157e+308");
    CHECK(written(limits::min()) == "2.2250738585072014e-308");

    // Random bit patterns (every exponent), powers of two (the uneven gap below them), short
    // decimals at every scale and floats widened to double.
    ffn::detail::random_engine engine(20261201);
    const auto gen = [&engine] { return engine.next(); };
    int differ = 0;
    for (int i = 0; i < 20000; ++i) {
        const double samples[] = {
            std::bit_cast<double>(gen()),
            std::ldexp(1.0, static_cast<int>(gen() % 2098) - 1074),
            static_cast<double>(gen() % 100000) *
                std::pow(10.0, static_cast<double>(gen() % 60) - 30.0),
            static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(gen()))),
        };
        for (const double value : samples) {
            if (written(value) != to_chars_text(value)) {
                ++differ;
                UNSCOPED_INFO(to_chars_text(value) << " written as " << written(value));
            }
        }
    }
    CHECK(differ == 0);
}

TEST_CASE("a message holds text, integers and numbers, and is cut at its capacity", "[format]") {
    ffn::detail::message m;
    m << "ffn::sgd: " << std::string_view("momentum") << " = " << 0.9 << ", layer "
      << std::size_t{3} << ", offset " << -12 << ", " << std::int64_t{-9223372036854775807 - 1};
    CHECK(m.view() == "ffn::sgd: momentum = 0.9, layer 3, offset -12, -9223372036854775808");
    CHECK(std::string(m.c_str()) == std::string(m.view()));

    ffn::detail::message long_one;
    for (int i = 0; i < 100; ++i) {
        long_one << "0123456789";
    }
    CHECK(long_one.view().size() == 511);
    CHECK(long_one.view().substr(0, 10) == "0123456789");
    CHECK(long_one.view().substr(508) == "...");
}
