#pragma once

#include <filesystem>
#include <optional>
#include <string>

/// Where the shared protocol fixtures are: $SITREP_SHARED_FIXTURES, else ../shared/fixtures
/// beside the source tree. CI has them; a fresh clone may not.
namespace sitrep::test {

[[nodiscard]] std::optional<std::filesystem::path> shared_fixtures_dir();

/// The project's own test payloads, tests/data/.
[[nodiscard]] std::filesystem::path test_data_dir();

[[nodiscard]] std::string read_file(const std::filesystem::path& path);

}  // namespace sitrep::test

/// Skips the current test, saying plainly that the shared fixtures were not found.
#define SITREP_REQUIRE_SHARED_FIXTURES(dir_variable)                                      \
    const auto dir_variable##_found = ::sitrep::test::shared_fixtures_dir();              \
    if (!dir_variable##_found) {                                                          \
        GTEST_SKIP() << "SKIPPED: the shared fixtures folder (../shared/fixtures, or "    \
                        "$SITREP_SHARED_FIXTURES) is not present; this conformance test " \
                        "did not run";                                                    \
    }                                                                                     \
    const std::filesystem::path dir_variable = *dir_variable##_found
