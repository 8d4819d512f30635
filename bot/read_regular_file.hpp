#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace sitrep::bot {

/// Why a file was not read, without its name (the caller adds it): "is a directory", "not a
/// regular file", "larger than 1 MiB", "cannot be read: Permission denied".
class FileReadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The whole content of `file`, which must be a regular file of at most `max_bytes`. A device
/// (/dev/zero, /dev/urandom), a FIFO or a socket is refused without reading from it or waiting
/// on it, so that a wrong path can neither exhaust memory nor hang. Throws FileReadError.
[[nodiscard]] std::string read_regular_file(
    const std::filesystem::path& file, std::size_t max_bytes
);

/// A size in words: "1 MiB", "16 MiB", "64 KiB", "100 bytes".
[[nodiscard]] std::string describe_size(std::size_t bytes);

}  // namespace sitrep::bot
