#include "tests/support/temp_dir.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>

namespace sitrep::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sitrep-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    if (std::getenv("SITREP_KEEP_TEST_DIRS") != nullptr) {
        return;
    }
    std::error_code ignored;  // a leftover temporary directory is not worth failing a test over
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace sitrep::test
