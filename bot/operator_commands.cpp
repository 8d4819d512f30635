// The operator's commands on a data directory: check a configuration, list incidents, print a
// timeline, render a postmortem.

#include <charconv>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "bot/cli.hpp"
#include "bot/engine.hpp"
#include "commands/text.hpp"
#include "connectors/console/terminal_safe.hpp"
#include "store/sqlite_incident_store.hpp"
#include "templates/template_set.hpp"

namespace sitrep::cli {

using connectors::terminal_safe;

namespace {

/// How many incidents `sitrep incidents` lists, newest first.
constexpr std::size_t listed_incidents = 100;

/// A logger that drops everything, for operator commands that print their result.
std::shared_ptr<spdlog::logger> quiet_logger() {
    return std::make_shared<spdlog::logger>("bot", std::make_shared<spdlog::sinks::null_sink_mt>());
}

/// The incident number in "7" (from "INC-7"); nullopt when it is not a positive int64.
std::optional<std::int64_t> incident_number(std::string_view digits) {
    std::int64_t number = 0;
    const auto* end = digits.data() + digits.size();
    const auto [stop, error] = std::from_chars(digits.data(), end, number);
    if (error != std::errc{} || stop != end || number <= 0) {
        return std::nullopt;
    }
    return number;
}

bool all_digits(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

/// An incident by any name an operator sees for it: "INC-7", "7", the slug "api-down", or the
/// artifact name "INCIDENT-2026-12-03-api-down" (with or without ".md").
std::optional<bot::Incident> find_incident(bot::IncidentStore& store, std::string_view reference) {
    auto number = reference;
    if (commands::text::istarts_with(number, "INC-")) {
        number.remove_prefix(4);
    }
    if (all_digits(number)) {
        const auto id = incident_number(number);
        return id ? store.find_incident(*id) : std::nullopt;
    }

    // The artifact name is "INCIDENT-" + the local date of the declaration + "-" + the slug.
    constexpr std::string_view artifact_prefix = "INCIDENT-YYYY-MM-DD-";
    auto artifact = reference;
    if (artifact.ends_with(".md")) {
        artifact.remove_suffix(3);
    }
    if (commands::text::istarts_with(artifact, "INCIDENT-") &&
        artifact.size() > artifact_prefix.size()) {
        auto incident = store.find_incident_by_slug(artifact.substr(artifact_prefix.size()));
        if (incident && commands::text::iequals(incident->artifact_name(), artifact)) {
            return incident;
        }
    }
    return store.find_incident_by_slug(reference);
}

bot::Incident require_incident(
    bot::IncidentStore& store, const bot::Config& config, std::string_view reference
) {
    auto incident = find_incident(store, reference);
    if (!incident) {
        throw UsageError(fmt::format(
            "no incident \"{}\" in {}; `sitrep incidents --data-dir {}` lists them",
            reference,
            config.data_dir.string(),
            config.data_dir.string()
        ));
    }
    return std::move(*incident);
}

}  // namespace

int check_config(const std::filesystem::path& file) {
    const auto config = bot::Config::load(file);
    (void)templates::TemplateSet::load(config.template_overrides);
    std::cout << fmt::format(
        "{}: valid. {} severities, {} strategies, time zone {}, data in {}\n",
        file.string(),
        config.workflow.severities.size(),
        config.workflow.strategies.size(),
        config.timezone,
        config.data_dir.string()
    );
    return 0;
}

int list_incidents(const CommonOptions& options) {
    const auto config = load_config(options);
    const auto store = open_for_reading(config);
    const auto incidents = store->recent_incidents(listed_incidents);
    if (incidents.empty()) {
        std::cout << terminal_safe(fmt::format("No incidents in {}.", config.data_dir.string()))
                  << '\n';
        return 0;
    }

    const bot::TimeFormat tf{config.timezone};
    for (const auto& incident : incidents) {
        std::cout << terminal_safe(fmt::format(
            "{:<8} {:<10} {:<8} {}  {}\n",
            incident.reference(),
            bot::state_name(incident.state),
            incident.severity.empty() ? "-" : incident.severity,
            tf.date_time(incident.declared_at),
            incident.title
        ));
    }
    return 0;
}

int show_timeline(const CommonOptions& options, const std::string& reference) {
    const auto config = load_config(options);
    const auto store = open_for_reading(config);
    const auto incident = require_incident(*store, config, reference);

    const bot::TimeFormat tf{config.timezone};
    for (const auto& entry : store->timeline(incident.id)) {
        // Continuation lines are indented so each entry starts with its time.
        std::string text = entry.text;
        for (auto at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
            text.insert(at + 1, "    ");
        }
        std::cout << terminal_safe(fmt::format(
            "{} {:<8} {}: {}\n",
            tf.date_time(entry.at),
            bot::entry_kind_name(entry.kind),
            entry.author,
            text
        ));
    }
    return 0;
}

/// Without `write`: prints the postmortem as it stands and changes nothing. With it: writes the
/// postmortem and decision record into the data directory, which no running sitrep may hold.
int render_postmortem(const CommonOptions& options, const std::string& reference, bool write) {
    const auto config = load_config(options);
    const auto templates = templates::TemplateSet::load(config.template_overrides);
    const auto logger = quiet_logger();
    bot::SystemClock clock;

    if (!write) {
        const auto store = open_for_reading(config);
        const auto incident = require_incident(*store, config, reference);
        bot::Engine engine{config, *store, templates, clock, *logger};
        std::cout << terminal_safe(engine.render_postmortem(incident.id));
        return 0;
    }

    (void)open_for_reading(config);  // an existing data directory, or "no sitrep data"
    lock_data_dir(config);
    store::SqliteIncidentStore store{database_file(config), config.synchronous_full};
    const auto incident = require_incident(store, config, reference);
    bot::Engine engine{config, store, templates, clock, *logger};
    std::cout << terminal_safe(engine.write_artifacts(incident.id).string()) << '\n';
    return 0;
}

}  // namespace sitrep::cli
