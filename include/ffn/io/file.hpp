// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Reading a whole file and replacing a file atomically, with POSIX calls (open, write,
/// fsync, rename). `ffn::save` and `ffn::load` use these.

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

namespace ffn::detail {

/// The system calls an atomic save makes. They are virtual so that a test can make any one of
/// them fail and check that the target file is left as it was; ffn itself only uses this
/// class as it is. Each returns what the POSIX function returns and sets `errno` like it.
class file_operations {
public:
    file_operations() = default;
    file_operations(const file_operations&) = default;
    file_operations& operator=(const file_operations&) = default;
    virtual ~file_operations() = default;

    /// Creates `path`, which must not exist, for writing (mode 0666 less the umask).
    virtual int create_new(const char* path) {
        return ::open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    }
    virtual ::ssize_t write(int fd, const void* data, std::size_t size) {
        return ::write(fd, data, size);
    }
    virtual int sync(int fd) { return ::fsync(fd); }
    virtual int close(int fd) { return ::close(fd); }
    virtual int rename(const char* from, const char* to) { return ::rename(from, to); }
};

/// A `std::system_error` for the current `errno`: "`where`: `what` 'path': reason".
[[nodiscard]] inline std::system_error file_error(int error, std::string_view where,
                                                  std::string_view what,
                                                  const std::filesystem::path& path) {
    return {error, std::generic_category(),
            std::string(where) + ": " + std::string(what) + " '" + path.string() + "'"};
}

/// Writes `bytes` to `path` so that `path` holds either its old contents or all of `bytes`,
/// whatever fails and when: the bytes go to a new temporary file in the same folder, which is
/// flushed to the disk (fsync) and closed, then renamed over `path` (rename replaces a file
/// atomically on POSIX systems). On failure the temporary file is removed.
///
/// The folder is synced after the rename, so that the new name survives a power cut; that last
/// step is best effort, since the file has been replaced by then.
///
/// @throws std::system_error naming the file and the reason if a step fails.
inline void write_file_atomically(const std::filesystem::path& path,
                                  std::span<const unsigned char> bytes, file_operations& ops,
                                  std::string_view where) {
    // A name no other save uses: the process id, then a counter. A file left behind by a
    // crashed process of the same id is skipped (O_EXCL fails with EEXIST).
    static std::atomic<unsigned long> counter{0};
    std::filesystem::path temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temporary = path;
        temporary += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
        fd = ops.create_new(temporary.c_str());
        if (fd < 0 && errno != EEXIST) {
            throw file_error(errno, where, "cannot create a temporary file next to", path);
        }
    }
    if (fd < 0) {
        throw file_error(EEXIST, where, "cannot create a temporary file next to", path);
    }

    const auto give_up = [&](int error, std::string_view what, bool close_it) {
        if (close_it) {
            ops.close(fd);
        }
        ::unlink(temporary.c_str());
        return file_error(error, where, what, path);
    };

    std::size_t written = 0;
    while (written < bytes.size()) {
        const ::ssize_t n = ops.write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw give_up(errno, "cannot write", true);
        }
        if (n == 0) {
            throw give_up(EIO, "cannot write", true);
        }
        written += static_cast<std::size_t>(n);
    }
    if (ops.sync(fd) != 0) {
        throw give_up(errno, "cannot flush to disk", true);
    }
    if (ops.close(fd) != 0) {
        throw give_up(errno, "cannot close", false);
    }
    if (ops.rename(temporary.c_str(), path.c_str()) != 0) {
        throw give_up(errno, "cannot replace", false);
    }

    std::filesystem::path folder = path.parent_path();
    if (folder.empty()) {
        folder = ".";
    }
    const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder_fd >= 0) {
        ::fsync(folder_fd);
        ::close(folder_fd);
    }
}

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

/// The whole contents of the file at `path`.
/// @throws std::system_error naming the file and the reason if it cannot be opened or read.
[[nodiscard]] inline std::vector<unsigned char> read_file(const std::filesystem::path& path,
                                                          std::string_view where) {
    const file_descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        throw file_error(errno, where, "cannot open", path);
    }
    std::vector<unsigned char> bytes;
    constexpr std::size_t chunk = 1U << 16U;
    std::size_t size = 0;
    for (;;) {
        bytes.resize(size + chunk);
        const ::ssize_t n = ::read(fd.get(), bytes.data() + size, chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw file_error(errno, where, "cannot read", path);
        }
        if (n == 0) {
            break;
        }
        size += static_cast<std::size_t>(n);
    }
    bytes.resize(size);
    return bytes;
}

} // namespace ffn::detail
