// SPDX-License-Identifier: MIT
// Saving is atomic: whichever step fails, the previous file is left byte for byte and the
// temporary file is removed. The failures are made on purpose through file_operations.

#include <cerrno>
#include <limits>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <ffn/io/load.hpp>
#include <ffn/io/save.hpp>

#include "io_test_support.hpp"

using io_test::bytes;

namespace {

/// The POSIX calls, with the one chosen failing with `error`.
class failing_operations : public ffn::detail::file_operations {
public:
    enum class step { create, set_owner, set_mode, write, sync, close, rename };

    /// Fails `failing`; for `write`, after `bytes_before_failure` bytes have gone through.
    failing_operations(step failing, int error, std::size_t bytes_before_failure = 0)
        : failing_(failing), error_(error), budget_(bytes_before_failure) {}

    int create_new(int folder_fd, const char* name, ::mode_t mode) override {
        if (failing_ == step::create) {
            errno = error_;
            return -1;
        }
        return file_operations::create_new(folder_fd, name, mode);
    }
    int set_owner(int fd, ::uid_t owner, ::gid_t group) override {
        if (failing_ == step::set_owner) {
            errno = error_;
            return -1;
        }
        return file_operations::set_owner(fd, owner, group);
    }
    int set_mode(int fd, ::mode_t mode) override {
        if (failing_ == step::set_mode) {
            errno = error_;
            return -1;
        }
        return file_operations::set_mode(fd, mode);
    }
    ::ssize_t write(int fd, const void* data, std::size_t size) override {
        if (failing_ == step::write) {
            if (budget_ == 0) {
                errno = error_;
                return -1;
            }
            // Short writes on the way, as a real disk filling up may give.
            size = std::min(size, budget_);
            budget_ -= size;
        }
        return file_operations::write(fd, data, size);
    }
    int sync(int fd) override {
        if (failing_ == step::sync) {
            errno = error_;
            return -1;
        }
        return file_operations::sync(fd);
    }
    int close(int fd) override {
        const int result = file_operations::close(fd);
        if (failing_ == step::close) {
            errno = error_;
            return -1;
        }
        return result;
    }
    int rename(int folder_fd, const char* from, const char* to) override {
        if (failing_ == step::rename) {
            errno = error_;
            return -1;
        }
        return file_operations::rename(folder_fd, from, to);
    }

private:
    step failing_;
    int error_;
    std::size_t budget_;
};

using net_type = io_test::fixed_net<double>;

} // namespace

TEST_CASE("save: a failure at any step leaves the previous file intact", "[io]") {
    using step = failing_operations::step;
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "net.ffn";
    const auto old_net = io_test::filled<net_type>(1);
    ffn::save(old_net, path);
    // Another owner, so that the owner step runs (the tests run as root).
    REQUIRE(::chown(path.c_str(), 1234, 1234) == 0);
    const bytes old_bytes = io_test::file_bytes(path);
    const bytes new_bytes = ffn::save_bytes(io_test::filled<net_type>(2));
    REQUIRE(old_bytes != new_bytes);

    struct failure {
        step failing;
        int error;
        std::size_t budget;
        std::string message;
    };
    const std::string quoted_path = "'" + path.string() + "'";
    const std::vector<failure> failures = {
        {step::create, EACCES, 0,
         "ffn::save: cannot create a temporary file next to " + quoted_path +
             ": Permission denied"},
        {step::set_owner, EIO, 0,
         "ffn::save: cannot copy the owner of " + quoted_path + ": Input/output error"},
        {step::set_mode, EIO, 0,
         "ffn::save: cannot copy the permissions of " + quoted_path + ": Input/output error"},
        {step::write, ENOSPC, 0,
         "ffn::save: cannot write " + quoted_path + ": No space left on device"},
        {step::write, ENOSPC, 100,
         "ffn::save: cannot write " + quoted_path + ": No space left on device"},
        {step::write, EIO, new_bytes.size() - 1,
         "ffn::save: cannot write " + quoted_path + ": Input/output error"},
        {step::sync, EIO, 0,
         "ffn::save: cannot flush to disk " + quoted_path + ": Input/output error"},
        {step::close, EIO, 0, "ffn::save: cannot close " + quoted_path + ": Input/output error"},
        {step::rename, EXDEV, 0,
         "ffn::save: cannot replace " + quoted_path + ": Invalid cross-device link"},
    };
    for (const failure& f : failures) {
        INFO("failing step " << static_cast<int>(f.failing) << " after " << f.budget << " bytes");
        failing_operations operations(f.failing, f.error, f.budget);
        CHECK_THROWS_MATCHES(
            ffn::detail::write_file_atomically(path, new_bytes, operations, "ffn::save"),
            std::system_error, Catch::Matchers::Message(f.message));
        CHECK(io_test::file_bytes(path) == old_bytes);
        // The temporary file (".ffn-<pid>-<n>.tmp": entries() lists dot files too) is gone: the
        // folder holds the target only.
        CHECK(folder.entries() == std::vector<std::string>{"net.ffn"});
    }

    // With nothing failing, the same call replaces the file.
    failing_operations none(step::write, 0, std::numeric_limits<std::size_t>::max());
    ffn::detail::write_file_atomically(path, new_bytes, none, "ffn::save");
    CHECK(io_test::file_bytes(path) == new_bytes);
    CHECK(folder.entries() == std::vector<std::string>{"net.ffn"});
}

TEST_CASE("save: an owner that may not be kept is no error and setuid and setgid go with it",
          "[io]") {
    if (::geteuid() != 0) {
        WARN("skipped: only root may give a file another owner");
        return;
    }
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "net.ffn";
    ffn::save(io_test::filled<net_type>(1), path);
    REQUIRE(::chown(path.c_str(), 1234, 1234) == 0);
    REQUIRE(::chmod(path.c_str(), 06750) == 0);
    const bytes new_bytes = ffn::save_bytes(io_test::filled<net_type>(2));

    failing_operations not_allowed(failing_operations::step::set_owner, EPERM);
    ffn::detail::write_file_atomically(path, new_bytes, not_allowed, "ffn::save");
    CHECK(io_test::file_bytes(path) == new_bytes);
    struct ::stat s {};
    REQUIRE(::stat(path.c_str(), &s) == 0);
    CHECK(s.st_uid == ::geteuid());
    CHECK((s.st_mode & 07777) == 0750);
    CHECK(folder.entries() == std::vector<std::string>{"net.ffn"});
}

namespace {

/// The real calls, noting the mode and owner the file has when its first byte is written.
class watching_operations : public ffn::detail::file_operations {
public:
    ::ssize_t write(int fd, const void* data, std::size_t size) override {
        if (!seen_) {
            REQUIRE(::fstat(fd, &at_first_write_) == 0);
            seen_ = true;
        }
        return file_operations::write(fd, data, size);
    }
    [[nodiscard]] const struct ::stat& at_first_write() const {
        REQUIRE(seen_);
        return at_first_write_;
    }

private:
    struct ::stat at_first_write_ {};
    bool seen_ = false;
};

} // namespace

TEST_CASE("save: the new contents are never readable by more users than the old ones", "[io]") {
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "private.ffn";
    ffn::save(io_test::filled<net_type>(1), path);
    const bool root = ::geteuid() == 0;
    if (root) {
        REQUIRE(::chown(path.c_str(), 1234, 1234) == 0);
    }
    REQUIRE(::chmod(path.c_str(), 0600) == 0);

    // The mode and owner are set before the first byte goes in.
    watching_operations operations;
    ffn::detail::write_file_atomically(path, ffn::save_bytes(io_test::filled<net_type>(2)),
                                       operations, "ffn::save");
    CHECK((operations.at_first_write().st_mode & 07777) == 0600);
    if (root) {
        CHECK(operations.at_first_write().st_uid == 1234);
        CHECK(operations.at_first_write().st_gid == 1234);
    }
}

TEST_CASE("save: a failed first save leaves no file behind", "[io]") {
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "new.ffn";
    failing_operations operations(failing_operations::step::write, ENOSPC, 50);
    CHECK_THROWS_AS(
        ffn::detail::write_file_atomically(path, ffn::save_bytes(io_test::filled<net_type>(1)),
                                           operations, "ffn::save"),
        std::system_error);
    CHECK(folder.entries().empty());
}

TEST_CASE("save: into a folder that does not exist", "[io]") {
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "no_such_folder" / "net.ffn";
    CHECK_THROWS_MATCHES(
        ffn::save(io_test::filled<net_type>(1), path), std::system_error,
        Catch::Matchers::Message("ffn::save: cannot create a temporary file next to '" +
                                 path.string() + "': No such file or directory"));
    CHECK(folder.entries().empty());
}

TEST_CASE("save: a network with a parameter that is not finite is refused", "[io]") {
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "net.ffn";
    const auto good = io_test::filled<net_type>(1);
    ffn::save(good, path);
    const bytes old_bytes = io_test::file_bytes(path);

    auto bad = good;
    bad.layer<1>().bias()(1) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_MATCHES(
        ffn::save(bad, path), std::invalid_argument,
        Catch::Matchers::Message("ffn::save: layer 1 bias(1, 0) is nan; a network with parameters "
                                 "that are not finite is not saved"));
    CHECK(io_test::file_bytes(path) == old_bytes);
    CHECK(folder.entries() == std::vector<std::string>{"net.ffn"});
}

TEST_CASE("save: a stream that fails", "[io]") {
    std::ostringstream out;
    out.setstate(std::ios_base::badbit);
    const auto net = io_test::filled<net_type>(1);
    CHECK_THROWS_AS(ffn::save(net, out), std::ios_base::failure);
    CHECK_THROWS_WITH(ffn::save(net, out),
                      Catch::Matchers::Contains("ffn::save: writing to the stream failed"));
}
