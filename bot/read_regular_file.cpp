#include "bot/read_regular_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <system_error>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sitrep::bot {

namespace {

/// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}

    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;

    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

    [[nodiscard]] int get() const { return fd_; }

private:
    int fd_;
};

[[noreturn]] void throw_errno(int error) {
    throw FileReadError("cannot be read: " + std::generic_category().message(error));
}

void check_kind_and_size(const struct stat& info, std::size_t max_bytes) {
    if (S_ISDIR(info.st_mode)) {
        throw FileReadError("is a directory");
    }
    if (!S_ISREG(info.st_mode)) {
        throw FileReadError("not a regular file");
    }
    if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) {
        throw FileReadError("larger than " + describe_size(max_bytes));
    }
}

}  // namespace

std::string describe_size(std::size_t bytes) {
    constexpr std::size_t kib = 1024;
    constexpr std::size_t mib = 1024 * kib;
    if (bytes >= mib && bytes % mib == 0) {
        return fmt::format("{} MiB", bytes / mib);
    }
    if (bytes >= kib && bytes % kib == 0) {
        return fmt::format("{} KiB", bytes / kib);
    }
    return fmt::format("{} bytes", bytes);
}

std::string read_regular_file(const std::filesystem::path& file, std::size_t max_bytes) {
    // Look before opening: opening a device can itself have effects.
    struct stat info {};

    if (::stat(file.c_str(), &info) != 0) {
        throw_errno(errno);
    }
    check_kind_and_size(info, max_bytes);

    // O_NONBLOCK: should the path have been swapped for a FIFO since, open() does not wait for
    // a writer; the second look below then refuses it.
    const FileDescriptor fd{::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
    if (fd.get() < 0) {
        throw_errno(errno);
    }
    if (::fstat(fd.get(), &info) != 0) {
        throw_errno(errno);
    }
    check_kind_and_size(info, max_bytes);

    // Read at most one byte past the limit: a file that grew since stat() is still refused.
    std::string content(static_cast<std::size_t>(info.st_size), '\0');
    std::size_t used = 0;
    for (;;) {
        if (used == content.size()) {
            content.resize(std::min(content.size() + 64 * 1024, max_bytes + 1));
            if (used == content.size()) {
                break;
            }
        }
        const auto got = ::read(fd.get(), content.data() + used, content.size() - used);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            throw_errno(errno);
        }
        if (got == 0) {
            break;
        }
        used += static_cast<std::size_t>(got);
    }
    if (used > max_bytes) {
        throw FileReadError("larger than " + describe_size(max_bytes));
    }
    content.resize(used);
    return content;
}

}  // namespace sitrep::bot
