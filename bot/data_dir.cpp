// Where the command line finds and guards the data directory.

#include <cerrno>
#include <system_error>

#include <fmt/format.h>

#include "bot/cli.hpp"
#include "store/sqlite_incident_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace sitrep::cli {

bot::Config load_config(const CommonOptions& options) {
    auto config = bot::Config::load(options.config_file);
    if (options.data_dir) {
        config.data_dir = *options.data_dir;
    }
    return config;
}

std::filesystem::path database_file(const bot::Config& config) {
    return config.data_dir / "sitrep.db";
}

void create_data_dir(const bot::Config& config) {
    std::error_code error;
    std::filesystem::create_directories(config.data_dir, error);
    if (error) {
        throw std::runtime_error(fmt::format(
            "cannot create the data directory {}: {}", config.data_dir.string(), error.message()
        ));
    }
}

/// Only one sitrep may write to a data directory: a second would answer every command twice.
/// The lock is released when the process ends, however it ends, so its descriptor is kept
/// open on purpose.
void lock_data_dir(const bot::Config& config) {
    const auto path = config.data_dir / "sitrep.lock";
    const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw std::runtime_error(fmt::format(
            "cannot create {}: {}", path.string(), std::generic_category().message(errno)
        ));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd);
        if (error != EWOULDBLOCK) {
            throw std::runtime_error(fmt::format(
                "cannot lock {}: {}", path.string(), std::generic_category().message(error)
            ));
        }
        throw std::runtime_error(fmt::format(
            "another sitrep is running on {} (it holds {}); stop it or use another --data-dir",
            config.data_dir.string(),
            path.string()
        ));
    }
}

// Nothing is created, so a mistyped --data-dir is reported instead of becoming an empty
// database, and a read-only copy can be inspected.
std::unique_ptr<store::SqliteIncidentStore> open_for_reading(const bot::Config& config) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(database_file(config), error)) {
        throw UsageError(fmt::format(
            "no sitrep data in {} (no sitrep.db there); check --data-dir", config.data_dir.string()
        ));
    }
    return store::SqliteIncidentStore::open_read_only(database_file(config));
}

}  // namespace sitrep::cli
