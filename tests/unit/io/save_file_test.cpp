// SPDX-License-Identifier: MIT
// Saving over a file that exists: the new file keeps the old one's permission bits, owner
// and group; symbolic and hard links at the path; file names up to NAME_MAX bytes.

#include <climits>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <ffn/io/load.hpp>
#include <ffn/io/save.hpp>

#include "io_test_support.hpp"

using io_test::bytes;

namespace {

using net_type = io_test::fixed_net<double>;

/// What `stat` says of `path` (through a symbolic link).
struct ::stat status_of(const std::filesystem::path& path) {
    struct ::stat s {};
    REQUIRE(::stat(path.c_str(), &s) == 0);
    return s;
}

/// The permission bits of `path`, with setuid, setgid and sticky.
::mode_t mode_of(const std::filesystem::path& path) { return status_of(path).st_mode & 07777; }

/// Saves a network filled from `seed` to `path`, then gives the file `mode`.
void save_with_mode(const std::filesystem::path& path, std::uint64_t seed, ::mode_t mode) {
    ffn::save(io_test::filled<net_type>(seed), path);
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    REQUIRE(mode_of(path) == mode);
}

/// The network in the file `path`.
net_type loaded(const std::filesystem::path& path) {
    net_type net;
    ffn::load(net, path);
    return net;
}

/// Sets the umask for the life of the object.
class umask_guard {
public:
    explicit umask_guard(::mode_t mask) : old_(::umask(mask)) {}
    umask_guard(const umask_guard&) = delete;
    umask_guard& operator=(const umask_guard&) = delete;
    ~umask_guard() { ::umask(old_); }

private:
    ::mode_t old_;
};

} // namespace

TEST_CASE("save: over a 0600 file the new file is 0600 too", "[io]") {
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "private.ffn";
    save_with_mode(path, 1, 0600);

    ffn::save(io_test::filled<net_type>(2), path);
    CHECK(mode_of(path) == 0600);
    CHECK(loaded(path) == io_test::filled<net_type>(2));
    CHECK(folder.entries() == std::vector<std::string>{"private.ffn"});
}

TEST_CASE("save: over a 0444 file the new file is 0444 too", "[io]") {
    // Replacing a read-only file needs write permission on the folder only (and as root,
    // nothing at all); the file stays read-only.
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "read_only.ffn";
    save_with_mode(path, 1, 0444);

    ffn::save(io_test::filled<net_type>(2), path);
    CHECK(mode_of(path) == 0444);
    CHECK(loaded(path) == io_test::filled<net_type>(2));
}

TEST_CASE("save: over a 0640 file of another group the mode and the group are kept", "[io]") {
    // Root may give a file any group; another user only a group it is a member of.
    ::gid_t group = 1234;
    if (::geteuid() != 0) {
        std::vector<::gid_t> groups(static_cast<std::size_t>(NGROUPS_MAX));
        const int count = ::getgroups(static_cast<int>(groups.size()), groups.data());
        REQUIRE(count >= 0);
        groups.resize(static_cast<std::size_t>(count));
        std::erase(groups, ::getegid());
        if (groups.empty()) {
            WARN("skipped: not root and a member of no second group");
            return;
        }
        group = groups.front();
    }
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "shared.ffn";
    save_with_mode(path, 1, 0640);
    REQUIRE(::chown(path.c_str(), static_cast<::uid_t>(-1), group) == 0);
    REQUIRE(status_of(path).st_gid != ::getegid());

    ffn::save(io_test::filled<net_type>(2), path);
    CHECK(mode_of(path) == 0640);
    CHECK(status_of(path).st_gid == group);
    CHECK(loaded(path) == io_test::filled<net_type>(2));
}

TEST_CASE("save: as root the owner and group and the setuid setgid and sticky bits are kept",
          "[io]") {
    if (::geteuid() != 0) {
        WARN("skipped: only root may give a file another owner");
        return;
    }
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "owned.ffn";
    ffn::save(io_test::filled<net_type>(1), path);
    REQUIRE(::chown(path.c_str(), 1234, 1234) == 0);
    // After chown, which may clear setuid and setgid.
    REQUIRE(::chmod(path.c_str(), 07750) == 0);

    ffn::save(io_test::filled<net_type>(2), path);
    const struct ::stat s = status_of(path);
    CHECK(s.st_uid == 1234);
    CHECK(s.st_gid == 1234);
    CHECK((s.st_mode & 07777) == 07750);
    CHECK(loaded(path) == io_test::filled<net_type>(2));
}

TEST_CASE("save: a symbolic link is replaced by a file with the mode of the link's target",
          "[io]") {
    const io_test::scratch_folder folder;
    const auto target = folder.path() / "target.ffn";
    const auto path = folder.path() / "net.ffn";
    save_with_mode(target, 1, 0640);
    const bytes target_bytes = io_test::file_bytes(target);
    std::filesystem::create_symlink("target.ffn", path);

    ffn::save(io_test::filled<net_type>(2), path);
    CHECK(std::filesystem::is_regular_file(std::filesystem::symlink_status(path)));
    CHECK(mode_of(path) == 0640);
    CHECK(loaded(path) == io_test::filled<net_type>(2));
    // The file the link pointed to is left as it was.
    CHECK(io_test::file_bytes(target) == target_bytes);
    CHECK(mode_of(target) == 0640);
    CHECK(folder.entries() == std::vector<std::string>{"net.ffn", "target.ffn"});
}

TEST_CASE("save: the path gets a new file and another hard link keeps the old contents", "[io]") {
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "net.ffn";
    const auto other = folder.path() / "other.ffn";
    save_with_mode(path, 1, 0600);
    const bytes old_bytes = io_test::file_bytes(path);
    std::filesystem::create_hard_link(path, other);
    const ::ino_t old_inode = status_of(path).st_ino;

    ffn::save(io_test::filled<net_type>(2), path);
    CHECK(status_of(path).st_ino != old_inode);
    CHECK(mode_of(path) == 0600);
    CHECK(loaded(path) == io_test::filled<net_type>(2));
    CHECK(status_of(other).st_ino == old_inode);
    CHECK(std::filesystem::hard_link_count(other) == 1);
    CHECK(io_test::file_bytes(other) == old_bytes);
}

TEST_CASE("save: a file name of NAME_MAX (255) bytes", "[io]") {
    const io_test::scratch_folder folder;
    const long name_max = ::pathconf(folder.path().c_str(), _PC_NAME_MAX);
    REQUIRE(name_max >= 255);
    const std::string name = std::string(251, 'n') + ".ffn";
    REQUIRE(name.size() == 255);
    const auto path = folder.path() / name;

    ffn::save(io_test::filled<net_type>(1), path);
    CHECK(loaded(path) == io_test::filled<net_type>(1));
    // And over the file that is now there.
    ffn::save(io_test::filled<net_type>(2), path);
    CHECK(loaded(path) == io_test::filled<net_type>(2));
    CHECK(folder.entries() == std::vector<std::string>{name});
}

TEST_CASE("save: file names of 244 to 255 bytes", "[io]") {
    // The lengths at which "<name>.tmp.<pid>.<n>" went over NAME_MAX, whatever the pid.
    for (std::size_t length = 244; length <= 255; ++length) {
        INFO("a file name of " << length << " bytes");
        const io_test::scratch_folder folder;
        const std::string name = std::string(length - 4, 'n') + ".ffn";
        const auto path = folder.path() / name;
        CHECK_NOTHROW(ffn::save(io_test::filled<net_type>(length), path));
        CHECK(folder.entries() == std::vector<std::string>{name});
        if (std::filesystem::exists(path)) {
            CHECK(loaded(path) == io_test::filled<net_type>(length));
        }
    }
}

TEST_CASE("save: a new file gets mode 0666 less the umask", "[io]") {
    const io_test::scratch_folder folder;
    for (const ::mode_t mask : {::mode_t{022}, ::mode_t{027}, ::mode_t{077}}) {
        INFO("umask " << std::oct << mask);
        const umask_guard guard(mask);
        const auto path = folder.path() / ("new_" + std::to_string(mask) + ".ffn");
        ffn::save(io_test::filled<net_type>(1), path);
        CHECK(mode_of(path) == (0666 & ~mask));
    }
}
