#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "bot/workflow_config.hpp"

namespace sitrep::bot {

/// A configuration that cannot be used, with the key or line at fault. Raised at start-up.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The largest configuration file read: the built-in default is a few KiB.
inline constexpr std::size_t max_config_file_bytes = 1024 * 1024;

/// The longest duration a setting may give (a deadline, a reminder, a window). Deadlines are
/// added to the time of a declaration; a typo such as 106751991167d would overflow that sum.
inline constexpr std::chrono::days max_configured_duration{365};

struct Config {
    std::filesystem::path data_dir;
    std::string timezone;
    WorkflowConfig workflow;
    std::string announce_room;  ///< where alert-opened incidents are announced
    std::map<std::string, std::filesystem::path> template_overrides;
    std::string console_home_room;
    std::string console_user;
    bool synchronous_full = false;
    std::string log_level;
    std::filesystem::path log_file;

    /// The built-in default (deploy/sitrep.yaml, compiled in), with `file` laid over it when
    /// given. Relative paths in a file are taken relative to that file's folder. The file must
    /// be a regular file of at most max_config_file_bytes. Every value is checked here, so
    /// that `check-config` refuses what start-up would refuse; throws ConfigError naming the
    /// file and the setting.
    static Config load(const std::optional<std::filesystem::path>& file);

    /// The same, from YAML text (for tests); relative paths stay relative to the working dir.
    static Config from_yaml(std::string_view overlay_text);

    /// The built-in default configuration text.
    static std::string_view default_text();
};

/// A name sitrep matches as one word (bot_name, a strategy, a user): not empty, no white
/// space in it, and no blank character (ASCII or Unicode) around it.
[[nodiscard]] bool is_one_word(std::string_view name);

}  // namespace sitrep::bot
