// SPDX-License-Identifier: MIT
// Loading reads no more than a file's valid fields account for: an endless device, a huge
// sparse file or a header that lies about the size fail early, without the memory they claim.

#include <cstdint>
#include <filesystem>
#include <ios>
#include <sstream>
#include <streambuf>
#include <string>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <ffn/io/load.hpp>
#include <ffn/io/save.hpp>

#include "io_test_support.hpp"

using io_test::bytes;

namespace {

using net_type = io_test::dynamic_net<double>;

/// The most memory the process has held so far, in KiB.
long peak_kib() {
    ::rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

constexpr long allowed_growth_kib = 64 * 1024;

/// A stream buffer that gives `prefix`, then zero bytes without end, counting what it gave.
class endless_zeros : public std::streambuf {
public:
    explicit endless_zeros(bytes prefix) : prefix_(std::move(prefix)) {}
    [[nodiscard]] std::uint64_t given() const noexcept { return given_; }

protected:
    int_type underflow() override {
        if (offset_ < prefix_.size()) {
            block_.assign(prefix_.begin() + static_cast<std::ptrdiff_t>(offset_), prefix_.end());
            offset_ = prefix_.size();
        } else {
            block_.assign(4096, '\0');
        }
        given_ += block_.size();
        setg(block_.data(), block_.data(), block_.data() + block_.size());
        return traits_type::to_int_type(block_[0]);
    }

private:
    bytes prefix_;
    std::size_t offset_ = 0;
    std::string block_;
    std::uint64_t given_ = 0;
};

/// The first bytes of a valid file for `net_type`, with the size field set to `declared`.
bytes header_claiming(std::uint64_t declared) {
    bytes file = ffn::save_bytes(io_test::filled<net_type>(3, {3, 4, 2}));
    file.resize(ffn::detail::header_size);
    io_test::write_le(file, ffn::detail::size_offset, declared, 8);
    return file;
}

std::string format_error_of(const auto& call) {
    try {
        call();
    } catch (const ffn::format_error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("load: /dev/zero is refused at its first bytes", "[io]") {
    net_type net;
    const long before = peak_kib();
    CHECK(format_error_of([&] { ffn::load(net, "/dev/zero"); }) ==
          "ffn::load: '/dev/zero': not an ffn file (bad magic)");
    CHECK(peak_kib() - before < allowed_growth_kib);
}

TEST_CASE("load: a 3 GB sparse file is refused without reading it", "[io]") {
    io_test::scratch_folder folder;
    const std::filesystem::path zeros = folder.path() / "zeros.ffn";
    const std::filesystem::path lying = folder.path() / "lying.ffn";
    constexpr std::uint64_t size = 3ULL << 30U;
    {
        io_test::write_bytes(zeros, {});
        std::filesystem::resize_file(zeros, size);
        // A valid header that declares the file's real size, then nothing but zeros.
        io_test::write_bytes(lying, header_claiming(size));
        std::filesystem::resize_file(lying, size);
    }
    net_type net;
    const long before = peak_kib();
    CHECK(format_error_of([&] { ffn::load(net, zeros); }) ==
          "ffn::load: '" + zeros.string() + "': not an ffn file (bad magic)");
    CHECK(format_error_of([&] { ffn::load(net, lying); }) ==
          "ffn::load: '" + lying.string() +
              "': the file was written for loss '', the network uses 'half_squared_error'");
    CHECK(peak_kib() - before < allowed_growth_kib);
}

TEST_CASE("load: a regular file shorter than its header says is refused before reading on",
          "[io]") {
    io_test::scratch_folder folder;
    const std::filesystem::path path = folder.path() / "short.ffn";
    bytes file = header_claiming(1ULL << 40U);
    file.resize(100, 0);
    io_test::write_bytes(path, file);
    net_type net;
    CHECK(format_error_of([&] { ffn::load(net, path); }) ==
          "ffn::load: '" + path.string() +
              "': truncated at byte 100 (the header gives a file size of 1099511627776 bytes)");
}

TEST_CASE("load: a stream whose header claims 2^40 bytes stops at the first bad field", "[io]") {
    endless_zeros source(header_claiming(1ULL << 40U));
    std::istream in(&source);
    net_type net;
    const net_type before = net;
    const long peak_before = peak_kib();
    CHECK(format_error_of([&] { ffn::load(net, in); }) ==
          "ffn::load: the file was written for loss '', the network uses 'half_squared_error'");
    CHECK(source.given() < (1U << 20U));
    CHECK(peak_kib() - peak_before < allowed_growth_kib);
    CHECK(net == before);
}

TEST_CASE("load: a stream with a lying tensor shape reads only what the shape would need", "[io]") {
    // A valid file up to the first weights' shape, which claims 2^20 x 2^20 values, then zeros
    // without end: the values are read (they are finite) only up to the declared size, 1 MiB.
    bytes file = ffn::save_bytes(io_test::filled<net_type>(3, {3, 4, 2}));
    const std::size_t rows = io_test::find_name(file, "weights") + 2 + 7;
    file.resize(rows + 16);
    io_test::write_le(file, rows, 1U << 20U, 8);
    io_test::write_le(file, rows + 8, 1U << 20U, 8);
    io_test::write_le(file, ffn::detail::size_offset, 1U << 20U, 8);
    endless_zeros source(file);
    std::istream in(&source);
    net_type net;
    CHECK(format_error_of([&] { ffn::load(net, in); }) ==
          "ffn::load: truncated at byte 1048572 while reading layer 0 weights (from byte " +
              std::to_string(rows + 16) + ")");
    CHECK(source.given() < (1U << 20U) + 8192);
}

TEST_CASE("load: a stream already in a failed state is reported as unusable", "[io]") {
    std::stringstream stream;
    ffn::save(io_test::filled<net_type>(3, {3, 4, 2}), stream);
    stream.setstate(std::ios_base::failbit);
    net_type net;
    CHECK_THROWS_AS(ffn::load(net, stream), std::ios_base::failure);
    CHECK_THROWS_WITH(ffn::load(net, stream),
                      Catch::Contains("ffn::load: the stream is unusable before reading (its "
                                      "fail bit is set)"));
}
