#pragma once

#include <filesystem>

namespace sitrep::test {

/// A fresh directory under the system's temporary directory, removed with its contents when
/// the object goes out of scope (kept when SITREP_KEEP_TEST_DIRS is set, for debugging).
class TempDir {
public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace sitrep::test
