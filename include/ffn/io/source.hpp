// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Where the readers take their bytes from, a piece at a time: a stream, or a file that is not
/// a regular file (a pipe, a device). A reader asks for bytes only once it has checked that the
/// file's own structure needs them, so that a file claiming to be huge, or an endless source
/// such as `/dev/zero`, costs no more memory than what has been parsed so far.

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ios>
#include <istream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ffn/errors.hpp"

namespace ffn::detail {

/// A source of bytes read in order.
class byte_source {
public:
    byte_source() = default;
    byte_source(const byte_source&) = delete;
    byte_source& operator=(const byte_source&) = delete;
    virtual ~byte_source() = default;

    /// Reads up to `count` bytes into `out`; returns how many it read, fewer only at the end.
    /// @throws std::ios_base::failure or std::system_error if reading fails.
    virtual std::size_t read(unsigned char* out, std::size_t count) = 0;

    /// Appends bytes to `buffer` until it holds `size` of them or the source ends; returns
    /// whether it holds `size`. The buffer grows by at most 64 KiB beyond what it held or
    /// was asked for, whatever `size` is, so a wrong size costs no memory the source does not
    /// back with bytes.
    bool fill(std::vector<unsigned char>& buffer, std::size_t size) {
        constexpr std::size_t chunk = std::size_t{1} << 16U;
        while (buffer.size() < size) {
            const std::size_t offset = buffer.size();
            const std::size_t count = std::min(chunk, size - offset);
            buffer.resize(offset + count);
            const std::size_t got = read(buffer.data() + offset, count);
            buffer.resize(offset + got);
            if (got < count) {
                return false;
            }
        }
        return true;
    }
};

/// Bytes from a `std::istream`.
class stream_source final : public byte_source {
public:
    /// @param where the prefix of messages (the function's name)
    /// @throws std::ios_base::failure if the stream is already unusable (its fail or bad bit
    ///         set), which would otherwise look like an empty file.
    stream_source(std::istream& in, std::string_view where) : in_(in), where_(where) {
        if (!in_) {
            detail::raise(std::ios_base::failure(std::string(where_) +
                                                 ": the stream is unusable before reading (its " +
                                                 (in_.bad() ? "bad" : "fail") + " bit is set)"));
        }
    }

    std::size_t read(unsigned char* out, std::size_t count) override {
        in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(count));
        if (in_.bad()) {
            detail::raise(
                std::ios_base::failure(std::string(where_) + ": reading the stream failed"));
        }
        return static_cast<std::size_t>(in_.gcount());
    }

private:
    std::istream& in_;
    std::string_view where_;
};

/// Closes a file descriptor when it goes out of scope.
class file_descriptor {
public:
    explicit file_descriptor(int fd) noexcept : fd_(fd) {}
    file_descriptor(const file_descriptor&) = delete;
    file_descriptor& operator=(const file_descriptor&) = delete;
    ~file_descriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    [[nodiscard]] int get() const noexcept { return fd_; }

private:
    int fd_;
};

/// An open file, read from its start: its size if it is a regular file, and its bytes.
class file_source final : public byte_source {
public:
    /// Opens `path` for reading.
    /// @throws std::system_error naming the file and the reason if it cannot be opened.
    file_source(const std::filesystem::path& path, std::string_view where)
        : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), path_(path), where_(where) {
        if (fd_.get() < 0) {
            detail::raise(error(errno, "cannot open"));
        }
        struct ::stat info {};
        if (::fstat(fd_.get(), &info) != 0) {
            detail::raise(error(errno, "cannot read"));
        }
        if (S_ISDIR(info.st_mode)) {
            detail::raise(error(EISDIR, "cannot read"));
        }
        if (S_ISREG(info.st_mode)) {
            regular_size_ = static_cast<std::uint64_t>(info.st_size);
            regular_ = true;
        }
    }

    /// True for a regular file, whose size is known before reading.
    [[nodiscard]] bool regular() const noexcept { return regular_; }
    /// The size of a regular file (0 for other files).
    [[nodiscard]] std::uint64_t regular_size() const noexcept { return regular_size_; }

    std::size_t read(unsigned char* out, std::size_t count) override {
        std::size_t done = 0;
        while (done < count) {
            const ::ssize_t n = ::read(fd_.get(), out + done, count - done);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                detail::raise(error(errno, "cannot read"));
            }
            if (n == 0) {
                break;
            }
            done += static_cast<std::size_t>(n);
        }
        return done;
    }

private:
    [[nodiscard]] std::system_error error(int code, std::string_view what) const {
        return {code, std::generic_category(),
                std::string(where_) + ": " + std::string(what) + " '" + path_.string() + "'"};
    }

    file_descriptor fd_;
    std::filesystem::path path_;
    std::string_view where_;
    std::uint64_t regular_size_ = 0;
    bool regular_ = false;
};

} // namespace ffn::detail
