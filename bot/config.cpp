#include "bot/config.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "bot/read_regular_file.hpp"
#include "bot/time_format.hpp"
#include "commands/text.hpp"

namespace sitrep::bot {

std::string_view embedded_file(std::string_view name);  // generated from deploy/sitrep.yaml

namespace {

/// Maps whose keys are data rather than settings: an overlay replaces them whole, so that
/// a file can drop a default entry (a severity_map for severities of its own).
bool replaced_whole(std::string_view path) {
    return path == "alerts.severity_map" || path == "templates";
}

/// Lays `overlay` over `base`: maps of settings merge key by key, anything else is replaced.
YAML::Node merge(const YAML::Node& base, const YAML::Node& overlay, const std::string& path) {
    // The overlay's own nodes are kept, not cloned, so errors can name their line.
    if (!base.IsDefined()) {
        // A key the default lacks: a new map entry, or a typo for from_node to report.
        return overlay;
    }
    if (!overlay.IsDefined() || overlay.IsNull()) {
        return YAML::Clone(base);
    }
    if (!base.IsMap() || !overlay.IsMap() || replaced_whole(path)) {
        return overlay;
    }

    YAML::Node merged = YAML::Clone(base);
    for (const auto& entry : overlay) {
        const auto key = entry.first.as<std::string>();
        merged[key] = merge(base[key], entry.second, path.empty() ? key : path + "." + key);
    }
    return merged;
}

/// Paths a configuration file sets are relative to that file's folder; the built-in
/// default's stay relative to the working directory.
void anchor_paths(YAML::Node overlay, const std::filesystem::path& dir) {
    if (dir.empty() || !overlay.IsMap()) {
        return;
    }
    auto anchor = [&](YAML::Node value) {
        if (value.IsScalar() && !value.Scalar().empty() &&
            std::filesystem::path{value.Scalar()}.is_relative()) {
            value = (dir / value.Scalar()).string();
        }
    };

    anchor(overlay["data_dir"]);
    if (overlay["log"].IsMap()) {
        anchor(overlay["log"]["file"]);
    }
    if (overlay["templates"].IsMap()) {
        for (auto entry : overlay["templates"]) {
            anchor(entry.second);
        }
    }
}

/// "alerts.announce_room", "severities[0].name": where a key stands, as errors name it.
std::string setting_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

/// Refuses a key given twice in one map of the file. yaml-cpp keeps both entries without a
/// word, and a lookup then takes the first, so the line the author last edited would be
/// silently ignored.
void refuse_duplicate_keys(const YAML::Node& node, const std::string& path) {
    if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            refuse_duplicate_keys(node[i], fmt::format("{}[{}]", path, i));
        }
        return;
    }
    if (!node.IsMap()) {
        return;
    }

    std::map<std::string, int> first_line;
    for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
            continue;  // not a setting name; require_known_keys() reports it
        }
        const auto& key = entry.first.Scalar();
        const int line = entry.first.Mark().line + 1;
        const auto [seen, is_new] = first_line.emplace(key, line);
        if (!is_new) {
            throw ConfigError(fmt::format(
                "setting \"{}\" is given twice (lines {} and {})",
                setting_path(path, key),
                seen->second,
                line
            ));
        }
        refuse_duplicate_keys(entry.second, setting_path(path, key));
    }
}

/// Refuses keys the configuration does not know, so a typo is reported, not ignored.
void require_known_keys(
    const YAML::Node& node, std::string_view where, std::initializer_list<std::string_view> known
) {
    if (!node.IsMap()) {
        throw ConfigError(fmt::format("{} must be a map of settings", where));
    }
    const std::set<std::string_view> allowed{known};
    for (const auto& entry : node) {
        const auto key = entry.first.as<std::string>();
        if (!allowed.contains(key)) {
            throw ConfigError(fmt::format("unknown setting \"{}{}\"", where, key));
        }
    }
}

template <typename T>
T get(const YAML::Node& node, std::string_view key, std::string_view where) {
    const auto value = node[std::string{key}];
    if (!value.IsDefined() || value.IsNull()) {
        throw ConfigError(fmt::format("missing setting \"{}{}\"", where, key));
    }
    try {
        return value.as<T>();
    } catch (const YAML::Exception&) {
        throw ConfigError(fmt::format(
            "setting \"{}{}\" (line {}) has the wrong type", where, key, value.Mark().line + 1
        ));
    }
}

std::chrono::milliseconds get_duration(
    const YAML::Node& node, std::string_view key, std::string_view where
) {
    const auto text = get<std::string>(node, key, where);
    std::chrono::milliseconds span{};
    if (!parse_duration(text, span) || span.count() == 0) {
        throw ConfigError(fmt::format(
            "setting \"{}{}\" is \"{}\"; write a duration such as 15m, 1h or 4h30m",
            where,
            key,
            text
        ));
    }
    if (span > max_configured_duration) {
        throw ConfigError(fmt::format(
            "setting \"{}{}\" is \"{}\", longer than {} days; write a duration of at most {}d",
            where,
            key,
            text,
            max_configured_duration.count(),
            max_configured_duration.count()
        ));
    }
    return span;
}

std::vector<SeverityLevel> read_severities(const YAML::Node& list) {
    if (!list.IsSequence() || list.size() == 0) {
        throw ConfigError("\"severities\" must be a non-empty list");
    }

    std::vector<SeverityLevel> levels;
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto where = fmt::format("severities[{}].", i);
        const auto& item = list[i];
        require_known_keys(
            item, where, {"name", "definition", "indicators", "contain_within", "remind_before"}
        );

        SeverityLevel level;
        level.name = get<std::string>(item, "name", where);
        level.definition = get<std::string>(item, "definition", where);
        if (item["indicators"].IsDefined()) {
            level.indicators = get<std::vector<std::string>>(item, "indicators", where);
        }
        level.contain_within = get_duration(item, "contain_within", where);
        level.remind_before = get_duration(item, "remind_before", where);

        if (level.name.empty() || level.name.find_first_of(" \t") != std::string::npos) {
            throw ConfigError(fmt::format("{}name must be one word", where));
        }
        if (!names.insert(level.name).second) {
            throw ConfigError(fmt::format("severity \"{}\" is listed twice", level.name));
        }
        if (level.remind_before >= level.contain_within) {
            throw ConfigError(fmt::format(
                "{}remind_before must be shorter than contain_within for {}", where, level.name
            ));
        }
        levels.push_back(std::move(level));
    }
    return levels;
}

void read_alerts(const YAML::Node& alerts, Config& config) {
    require_known_keys(
        alerts, "alerts.", {"announce_room", "severity_label", "severity_map", "service_label"}
    );
    config.announce_room = get<std::string>(alerts, "announce_room", "alerts.");
    if (commands::text::trim(config.announce_room).empty()) {
        throw ConfigError(
            "alerts.announce_room is empty; name the room where incidents opened by alerts are "
            "announced, like \"#ops\""
        );
    }
    config.workflow.severity_label = get<std::string>(alerts, "severity_label", "alerts.");
    config.workflow.service_label = get<std::string>(alerts, "service_label", "alerts.");
    config.workflow.severity_map =
        get<std::map<std::string, std::string>>(alerts, "severity_map", "alerts.");

    for (const auto& [label_value, severity] : config.workflow.severity_map) {
        if (config.workflow.severity(severity) == nullptr) {
            throw ConfigError(fmt::format(
                "alerts.severity_map maps \"{}\" to \"{}\", which is not a configured severity",
                label_value,
                severity
            ));
        }
    }
}

void check_bot_name(const std::string& bot_name) {
    if (!is_one_word(bot_name)) {
        throw ConfigError(fmt::format(
            "bot_name is \"{}\"; it must be one word, the name sitrep posts under", bot_name
        ));
    }
}

/// Strategies are typed as the first word of `contain` and matched ignoring case, so each must
/// be one word and no two may differ only in case.
void check_strategies(const std::vector<std::string>& strategies) {
    if (strategies.empty()) {
        throw ConfigError("\"strategies\" must list at least one containment strategy");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < strategies.size(); ++i) {
        if (!is_one_word(strategies[i])) {
            throw ConfigError(fmt::format(
                "strategies[{}] is \"{}\"; a strategy is one word, like rate-limit",
                i,
                strategies[i]
            ));
        }
        if (!seen.insert(commands::text::ascii_lower(strategies[i])).second) {
            throw ConfigError(fmt::format("strategy \"{}\" is listed twice", strategies[i]));
        }
    }
}

void check_escalation_contacts(const std::vector<std::string>& contacts) {
    for (std::size_t i = 0; i < contacts.size(); ++i) {
        if (commands::text::trim(contacts[i]).empty()) {
            throw ConfigError(fmt::format(
                "escalation_contacts[{}] is empty; name a person or a group, like \"@sre-lead\"", i
            ));
        }
    }
}

/// The console user speaks in the rooms; if it had the bot's name, its commands would be taken
/// for sitrep's own posts and never run.
void check_console_user(const std::string& user, const std::string& bot_name) {
    if (user.empty()) {
        return;  // the login name
    }
    if (!is_one_word(user)) {
        throw ConfigError(fmt::format("console.user is \"{}\"; a user name is one word", user));
    }
    if (commands::text::iequals(user, bot_name)) {
        throw ConfigError(fmt::format(
            "console.user is \"{}\", the bot's own name (bot_name); choose another name", user
        ));
    }
}

/// Rooms are written as in chat, "#ops": a '#', a name, no blanks.
bool is_room(std::string_view room) {
    return room.size() >= 2 && room.front() == '#' && is_one_word(room);
}

void check_home_room(const std::string& room) {
    if (!is_room(room)) {
        throw ConfigError(fmt::format(
            "console.home_room is \"{}\"; write the room the console starts in as #name, like "
            "\"#ops\"",
            room
        ));
    }
}

void check_data_dir(const std::filesystem::path& dir) {
    if (dir.empty()) {
        throw ConfigError(
            "data_dir is empty; name the folder for the database and the artifacts, like "
            "./sitrep-data"
        );
    }
}

/// An empty log.file means <data_dir>/sitrep.log; anything else is opened for appending at
/// start-up, which a folder cannot be.
void check_log_file(const std::filesystem::path& file) {
    if (file.empty()) {
        return;
    }
    std::error_code error;
    if (!file.has_filename() || std::filesystem::is_directory(file, error)) {
        throw ConfigError(fmt::format(
            "log.file is \"{}\", which is a folder; name a file, like /var/log/sitrep/sitrep.log, "
            "or leave it empty for <data_dir>/sitrep.log",
            file.string()
        ));
    }
}

constexpr std::array<std::string_view, 7> log_levels{
    "trace", "debug", "info", "warning", "error", "critical", "off"};

void check_log_level(const std::string& level) {
    if (std::find(log_levels.begin(), log_levels.end(), level) == log_levels.end()) {
        throw ConfigError(fmt::format(
            "log.level is \"{}\"; choose trace, debug, info, warning, error, critical or off", level
        ));
    }
}

Config from_node(const YAML::Node& root) {
    require_known_keys(
        root,
        "",
        {"data_dir",
         "timezone",
         "bot_name",
         "severities",
         "strategies",
         "escalation_contacts",
         "declare_dedup_window",
         "triage_remind_after",
         "alerts",
         "templates",
         "console",
         "store",
         "log"}
    );

    Config config;
    config.data_dir = get<std::string>(root, "data_dir", "");
    check_data_dir(config.data_dir);
    config.timezone = get<std::string>(root, "timezone", "");
    try {
        (void)TimeFormat{config.timezone};  // fails now, with the zone's name, if it is unknown
    } catch (const std::runtime_error& e) {
        throw ConfigError(fmt::format("setting \"timezone\": {}", e.what()));
    }

    auto& workflow = config.workflow;
    workflow.bot_name = get<std::string>(root, "bot_name", "");
    check_bot_name(workflow.bot_name);
    workflow.severities = read_severities(root["severities"]);
    workflow.strategies = get<std::vector<std::string>>(root, "strategies", "");
    check_strategies(workflow.strategies);
    workflow.escalation_contacts = get<std::vector<std::string>>(root, "escalation_contacts", "");
    check_escalation_contacts(workflow.escalation_contacts);
    workflow.declare_dedup_window = get_duration(root, "declare_dedup_window", "");
    workflow.triage_remind_after = get_duration(root, "triage_remind_after", "");
    read_alerts(root["alerts"], config);

    const auto templates = root["templates"];
    require_known_keys(templates, "templates.", {"postmortem", "decision_record"});
    for (const auto& entry : templates) {
        config.template_overrides[entry.first.as<std::string>()] = entry.second.as<std::string>();
    }

    const auto console = root["console"];
    require_known_keys(console, "console.", {"home_room", "user"});
    config.console_home_room = get<std::string>(console, "home_room", "console.");
    check_home_room(config.console_home_room);
    config.console_user = get<std::string>(console, "user", "console.");
    check_console_user(config.console_user, workflow.bot_name);

    const auto store = root["store"];
    require_known_keys(store, "store.", {"synchronous"});
    const auto synchronous = get<std::string>(store, "synchronous", "store.");
    if (synchronous != "normal" && synchronous != "full") {
        throw ConfigError("store.synchronous must be \"normal\" or \"full\"");
    }
    config.synchronous_full = synchronous == "full";

    const auto log = root["log"];
    require_known_keys(log, "log.", {"level", "file"});
    config.log_level = get<std::string>(log, "level", "log.");
    check_log_level(config.log_level);
    const auto log_file = get<std::string>(log, "file", "log.");
    config.log_file = log_file;
    check_log_file(config.log_file);
    return config;
}

[[noreturn]] void refuse_file(const std::filesystem::path& file, std::string_view why) {
    throw ConfigError(fmt::format("{}: {}", file.string(), why));
}

/// The text of a configuration file: a regular file of at most max_config_file_bytes, so
/// that a device (/dev/zero) or a FIFO given by mistake can neither exhaust memory nor hang.
std::string read_config_file(const std::filesystem::path& file) {
    try {
        return read_regular_file(file, max_config_file_bytes);
    } catch (const FileReadError& e) {
        refuse_file(file, e.what());
    }
}

YAML::Node parse_yaml(std::string_view text, std::string_view origin) {
    try {
        return YAML::Load(std::string{text});
    } catch (const YAML::ParserException& e) {
        throw ConfigError(fmt::format(
            "{}: line {}, column {}: {}", origin, e.mark.line + 1, e.mark.column + 1, e.msg
        ));
    }
}

Config build(
    std::string_view overlay_text, std::string_view origin, const std::filesystem::path& dir
) {
    const auto base = parse_yaml(Config::default_text(), "built-in configuration");
    const auto overlay = parse_yaml(overlay_text, origin);
    if (overlay.IsDefined() && !overlay.IsNull() && !overlay.IsMap()) {
        throw ConfigError(fmt::format("{}: the configuration must be a map of settings", origin));
    }

    try {
        refuse_duplicate_keys(overlay, "");
        anchor_paths(overlay, dir);
        return from_node(merge(base, overlay, ""));
    } catch (const ConfigError& e) {
        throw ConfigError(fmt::format("{}: {}", origin, e.what()));
    }
}

}  // namespace

bool is_one_word(std::string_view name) {
    return !name.empty() && commands::text::trim(name).size() == name.size() &&
           std::none_of(name.begin(), name.end(), commands::text::is_space);
}

std::string_view Config::default_text() {
    return embedded_file("sitrep.yaml");
}

Config Config::from_yaml(std::string_view overlay_text) {
    return build(overlay_text, "configuration", {});
}

Config Config::load(const std::optional<std::filesystem::path>& file) {
    if (!file) {
        return build("", "built-in configuration", {});
    }
    const auto text = read_config_file(*file);
    return build(text, file->string(), std::filesystem::absolute(*file).parent_path());
}

}  // namespace sitrep::bot
