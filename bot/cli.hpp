#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "bot/config.hpp"

namespace sitrep::store {
class SqliteIncidentStore;
}

/// The subcommands of the `sitrep` command line. Part of the executable, not of a library.
namespace sitrep::cli {

/// Exit codes: 0 done, 1 something failed while running, 2 the input was wrong.
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

/// A mistake in what the operator gave us (config, script, reference): exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CommonOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
};

struct ConsoleOptions {
    CommonOptions common;
    std::optional<std::filesystem::path> script;
    bool echo = false;
    std::optional<std::string> user;
};

/// The configuration: the built-in default, the --config file over it, then --data-dir.
[[nodiscard]] bot::Config load_config(const CommonOptions& options);

[[nodiscard]] std::filesystem::path database_file(const bot::Config& config);

/// For commands that write: the data directory, created when it is missing.
void create_data_dir(const bot::Config& config);

/// Only one sitrep may write to a data directory; throws when another holds it.
void lock_data_dir(const bot::Config& config);

/// The database of an existing data directory, for reading only; UsageError when missing.
[[nodiscard]] std::unique_ptr<store::SqliteIncidentStore> open_for_reading(const bot::Config& config
);

int run_console(const ConsoleOptions& options);
int check_config(const std::filesystem::path& file);
int list_incidents(const CommonOptions& options);
int show_timeline(const CommonOptions& options, const std::string& reference);
int render_postmortem(const CommonOptions& options, const std::string& reference, bool write);

}  // namespace sitrep::cli
