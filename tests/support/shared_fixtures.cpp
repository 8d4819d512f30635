#include "tests/support/shared_fixtures.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sitrep::test {

std::optional<std::filesystem::path> shared_fixtures_dir() {
    if (const char* from_env = std::getenv("SITREP_SHARED_FIXTURES"); from_env && *from_env) {
        std::filesystem::path dir{from_env};
        return std::filesystem::is_directory(dir) ? std::optional{dir} : std::nullopt;
    }

    std::filesystem::path dir{SITREP_DEFAULT_SHARED_FIXTURES};
    if (std::filesystem::is_directory(dir)) {
        return std::filesystem::canonical(dir);
    }
    return std::nullopt;
}

std::filesystem::path test_data_dir() {
    return std::filesystem::path{SITREP_TEST_DATA};
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in{path, std::ios::binary};
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace sitrep::test
