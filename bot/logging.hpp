#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

namespace spdlog {
class logger;
}

namespace sitrep::bot {

/// One logger per area, all writing one event per line, in UTC, as
/// `2026-12-03T10:04:00.123+00:00 info bot incident_opened incident_id=3 ...`.
struct Loggers {
    std::shared_ptr<spdlog::logger> bot;
    std::shared_ptr<spdlog::logger> store;
    std::shared_ptr<spdlog::logger> console;
};

/// Logs to `file` (appending; its folder is created) or, when it is empty, to standard error.
/// Throws std::runtime_error for an unknown level or a file that cannot be opened.
[[nodiscard]] Loggers make_loggers(std::string_view level, const std::filesystem::path& file);

/// The line pattern, pinned by a test because log search depends on it.
[[nodiscard]] std::string_view log_pattern();

}  // namespace sitrep::bot
