// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Replacing a file atomically, with POSIX calls (openat, write, fsync, renameat). The savers
/// use this.

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
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "ffn/errors.hpp"
#include "ffn/io/source.hpp"

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

    /// Creates `name`, which must not exist, in the folder open as `folder_fd`, for writing
    /// (`mode` less the umask).
    virtual int create_new(int folder_fd, const char* name, ::mode_t mode) {
        return ::openat(folder_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    }
    /// Gives the open file `fd` the owner `owner` and the group `group`; `-1` keeps either.
    virtual int set_owner(int fd, ::uid_t owner, ::gid_t group) {
        return ::fchown(fd, owner, group);
    }
    /// Sets the permission bits (and setuid, setgid, sticky) of the open file `fd`.
    virtual int set_mode(int fd, ::mode_t mode) { return ::fchmod(fd, mode); }
    virtual ::ssize_t write(int fd, const void* data, std::size_t size) {
        return ::write(fd, data, size);
    }
    virtual int sync(int fd) { return ::fsync(fd); }
    virtual int close(int fd) { return ::close(fd); }
    /// Renames `from` to `to`, both in the folder open as `folder_fd`, replacing `to`.
    virtual int rename(int folder_fd, const char* from, const char* to) {
        return ::renameat(folder_fd, from, folder_fd, to);
    }
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
/// The temporary file has a short name of its own (`.ffn-<pid>-<n>.tmp`), so any file name
/// that the file system allows (up to NAME_MAX bytes) can be saved to.
///
/// If `path` names a regular file, the new file gets its permission bits (with setuid, setgid
/// and sticky) and, where the process may change them, its owner and group; setuid (setgid)
/// is dropped if the owner (group) could not be kept, as `cp -p` does. This is done before any
/// byte is written, and the temporary file is created readable by its owner only until then,
/// so the new contents are never readable by more users than the old ones were. Access control
/// lists and extended attributes are not copied. If `path` does not exist (or is not a regular
/// file), the new file gets mode 0666 less the umask.
///
/// `path` always gets a new file (a new inode):
/// - a symbolic link at `path` is replaced by the new file, not followed; the file it pointed
///   to is left as it was, and the new file takes that file's mode, owner and group;
/// - other hard links to the old file keep the old contents.
///
/// The folder is synced after the rename, so that the new name survives a power cut; that last
/// step is best effort, since the file has been replaced by then.
///
/// @throws std::system_error naming the file and the reason if a step fails.
inline void write_file_atomically(const std::filesystem::path& path,
                                  std::span<const unsigned char> bytes, file_operations& ops,
                                  std::string_view where) {
    const std::filesystem::path file_name = path.filename();
    if (file_name.empty() || file_name == "." || file_name == "..") {
        detail::raise(file_error(EISDIR, where, "cannot replace", path));
    }
    std::filesystem::path folder = path.parent_path();
    if (folder.empty()) {
        folder = ".";
    }
    const file_descriptor folder_fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (folder_fd.get() < 0) {
        detail::raise(file_error(errno, where, "cannot create a temporary file next to", path));
    }

    // The file that `path` names now, through a symbolic link if it is one.
    struct ::stat old_file {};
    bool replaces_a_file = false;
    if (::fstatat(folder_fd.get(), file_name.c_str(), &old_file, 0) == 0) {
        replaces_a_file = S_ISREG(old_file.st_mode);
    } else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP) {
        detail::raise(file_error(errno, where, "cannot read the permissions of", path));
    }

    // A name no other save uses: the process id, then a counter. A file left behind by a
    // crashed process of the same id is skipped (O_EXCL fails with EEXIST).
    static std::atomic<unsigned long> counter{0};
    std::string temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temporary = ".ffn-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".tmp";
        fd = ops.create_new(folder_fd.get(), temporary.c_str(), replaces_a_file ? 0600 : 0666);
        if (fd < 0 && errno != EEXIST) {
            detail::raise(file_error(errno, where, "cannot create a temporary file next to", path));
        }
    }
    if (fd < 0) {
        detail::raise(file_error(EEXIST, where, "cannot create a temporary file next to", path));
    }

    const auto give_up = [&](int error, std::string_view what, bool close_it) {
        if (close_it) {
            ops.close(fd);
        }
        ::unlinkat(folder_fd.get(), temporary.c_str(), 0);
        return file_error(error, where, what, path);
    };

    if (replaces_a_file) {
        // The owner first: changing it may clear setuid and setgid, which set_mode then sets.
        // Only a privileged process may give a file away; EPERM (and EINVAL, for an id that
        // this user namespace does not map) mean "not allowed", which is not an error here.
        const auto not_allowed = [](int error) { return error == EPERM || error == EINVAL; };
        struct ::stat new_file {};
        if (::fstat(fd, &new_file) != 0) {
            detail::raise(give_up(errno, "cannot copy the owner of", true));
        }
        bool owner_kept = new_file.st_uid == old_file.st_uid;
        bool group_kept = new_file.st_gid == old_file.st_gid;
        if (!owner_kept || !group_kept) {
            if (ops.set_owner(fd, old_file.st_uid, old_file.st_gid) == 0) {
                owner_kept = group_kept = true;
            } else if (!not_allowed(errno)) {
                detail::raise(give_up(errno, "cannot copy the owner of", true));
            } else if (!group_kept) {
                // A member of the old group may still give the file that group.
                if (ops.set_owner(fd, static_cast<::uid_t>(-1), old_file.st_gid) == 0) {
                    group_kept = true;
                } else if (!not_allowed(errno)) {
                    detail::raise(give_up(errno, "cannot copy the owner of", true));
                }
            }
        }
        ::mode_t mode = old_file.st_mode & 07777;
        if (!owner_kept) {
            mode &= static_cast<::mode_t>(~S_ISUID);
        }
        if (!group_kept) {
            mode &= static_cast<::mode_t>(~S_ISGID);
        }
        if (ops.set_mode(fd, mode) != 0) {
            detail::raise(give_up(errno, "cannot copy the permissions of", true));
        }
    }

    std::size_t written = 0;
    while (written < bytes.size()) {
        const ::ssize_t n = ops.write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            detail::raise(give_up(errno, "cannot write", true));
        }
        if (n == 0) {
            detail::raise(give_up(EIO, "cannot write", true));
        }
        written += static_cast<std::size_t>(n);
    }
    if (ops.sync(fd) != 0) {
        detail::raise(give_up(errno, "cannot flush to disk", true));
    }
    if (ops.close(fd) != 0) {
        detail::raise(give_up(errno, "cannot close", false));
    }
    if (ops.rename(folder_fd.get(), temporary.c_str(), file_name.c_str()) != 0) {
        detail::raise(give_up(errno, "cannot replace", false));
    }
    ::fsync(folder_fd.get());
}

} // namespace ffn::detail
