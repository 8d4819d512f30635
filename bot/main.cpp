// The `sitrep` command line: the console, and the operator's tools for the data directory.

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <date/date.h>
#include <fmt/format.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "bot/config.hpp"
#include "bot/engine.hpp"
#include "bot/logging.hpp"
#include "bot/runtime.hpp"
#include "bot/store_thread.hpp"
#include "commands/text.hpp"
#include "connectors/console/console_connector.hpp"
#include "connectors/console/console_session.hpp"
#include "connectors/console/script.hpp"
#include "connectors/console/terminal_safe.hpp"
#include "store/sqlite_incident_store.hpp"
#include "templates/template_set.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace sitrep;
using connectors::terminal_safe;

/// Exit codes: 0 done, 1 something failed while running, 2 the input was wrong.
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

/// How many incidents `sitrep incidents` lists, newest first.
constexpr std::size_t listed_incidents = 100;

/// A mistake in what the operator gave us (config, script, reference): exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CommonOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
};

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

// ---- The data directory ----------------------------------------------------------------------

/// For commands that write: the data directory, created when it is missing.
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

/// The database of an existing data directory, opened for reading only: nothing is created,
/// so a mistyped --data-dir is reported instead of becoming an empty database, and a read-only
/// copy can be inspected.
std::unique_ptr<store::SqliteIncidentStore> open_for_reading(const bot::Config& config) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(database_file(config), error)) {
        throw UsageError(fmt::format(
            "no sitrep data in {} (no sitrep.db there); check --data-dir", config.data_dir.string()
        ));
    }
    return store::SqliteIncidentStore::open_read_only(database_file(config));
}

/// A logger that drops everything, for operator commands that print their result.
std::shared_ptr<spdlog::logger> quiet_logger() {
    return std::make_shared<spdlog::logger>("bot", std::make_shared<spdlog::sinks::null_sink_mt>());
}

// ---- Incident references ---------------------------------------------------------------------

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
std::optional<bot::Incident> find_incident(
    bot::IncidentStore& store, const bot::TimeFormat& time_format, std::string_view reference
) {
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
        if (incident &&
            commands::text::iequals(
                incident->artifact_name(time_format.date(incident->declared_at)), artifact
            )) {
            return incident;
        }
    }
    return store.find_incident_by_slug(reference);
}

bot::Incident require_incident(
    bot::IncidentStore& store, const bot::Config& config, std::string_view reference
) {
    const bot::TimeFormat time_format{config.timezone};
    auto incident = find_incident(store, time_format, reference);
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

// ---- sitrep console --------------------------------------------------------------------------

struct ConsoleOptions {
    CommonOptions common;
    std::optional<std::filesystem::path> script;
    bool echo = false;
    std::optional<std::string> user;
};

/// A user name as the console needs it: one word, and not the bot's own name (whose messages
/// are recorded but never run).
void check_user_name(const std::string& user, std::string_view source, const bot::Config& config) {
    if (!bot::is_one_word(user)) {
        throw UsageError(fmt::format("{} is \"{}\"; a user name is one word", source, user));
    }
    if (commands::text::iequals(user, config.workflow.bot_name)) {
        throw UsageError(
            fmt::format("{} is \"{}\", the bot's own name; give yours with --user", source, user)
        );
    }
}

/// Who types in the interactive console: --user, else console.user, else the login name.
std::string console_user(const bot::Config& config, const std::optional<std::string>& option) {
    if (option) {
        check_user_name(*option, "--user", config);
        return *option;
    }
    if (!config.console_user.empty()) {
        return config.console_user;  // checked when the configuration was loaded
    }
    const char* login = std::getenv("USER");
    const std::string user = login != nullptr && *login != '\0' ? login : "operator";
    check_user_name(user, "the login name ($USER)", config);
    return user;
}

/// "2026-11-18 10:05", with seconds only when there are some.
std::string utc_time(bot::Timestamp at) {
    const auto seconds = date::floor<std::chrono::seconds>(at);
    const bool whole_minute = seconds == date::floor<std::chrono::minutes>(at);
    return date::format(whole_minute ? "%F %R" : "%F %T", seconds);
}

/// Simulated time only moves forward, across runs too: a script that starts before the last
/// thing recorded would put its events out of order with the earlier ones and fire deadlines
/// backwards. Refused before anything runs.
void check_script_continues_data(
    bot::IncidentStore& store,
    const std::vector<connectors::ScriptLine>& script,
    const ConsoleOptions& options,
    const bot::Config& config
) {
    const auto latest = store.latest_record();
    if (script.empty() || !latest || script.front().at >= *latest) {
        return;
    }
    throw UsageError(fmt::format(
        "{}: the script starts at {} UTC, before the last event recorded in {} ({} UTC), and "
        "time cannot go backwards. Replay it into a fresh --data-dir, or give its lines times "
        "from {} on",
        options.script->string(),
        utc_time(script.front().at),
        config.data_dir.string(),
        utc_time(*latest),
        utc_time(*latest)
    ));
}

/// Runs one coroutine on a fresh io_context to completion, rethrowing what escaped it.
void run_to_completion(net::io_context& io, net::awaitable<void> work) {
    std::exception_ptr failure;
    net::co_spawn(io, std::move(work), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) {
        std::rethrow_exception(failure);
    }
}

int run_console(const ConsoleOptions& options) {
    const auto config = load_config(options.common);
    const auto today = bot::SystemClock{}.now();

    // Everything the operator gave is checked before the data directory is touched.
    std::string user;
    if (!options.script) {
        struct stat input {};

        if (::fstat(STDIN_FILENO, &input) == 0 && S_ISREG(input.st_mode)) {
            throw UsageError("standard input is a file: replay it with --script FILE instead");
        }
        user = console_user(config, options.user);
    }

    // A script is read whole before anything changes, so a mistake stops it cleanly.
    std::vector<connectors::ScriptLine> script;
    if (options.script) {
        try {
            script = connectors::read_script(*options.script, today);
        } catch (const connectors::ScriptError& e) {
            throw UsageError(e.what());
        }
    }
    const auto templates = templates::TemplateSet::load(config.template_overrides);

    create_data_dir(config);
    lock_data_dir(config);
    store::SqliteIncidentStore store{database_file(config), config.synchronous_full};
    if (options.script) {
        check_script_continues_data(store, script, options, config);
    }
    const auto loggers = bot::make_loggers(
        config.log_level, config.log_file.empty() ? config.data_dir / "sitrep.log" : config.log_file
    );

    bot::SystemClock system_clock;
    bot::ManualClock script_clock{script.empty() ? today : script.front().at};
    const bot::Clock& clock =
        options.script ? static_cast<const bot::Clock&>(script_clock) : system_clock;

    net::io_context io;
    bot::StoreThread store_thread;
    bot::Engine engine{config, store, templates, clock, *loggers.bot};
    bot::Runtime runtime{io, engine, store, store_thread, clock, *loggers.bot};
    connectors::ConsoleConnector console{
        std::cout, config.console_home_room, config.workflow.bot_name};
    runtime.add_connector(console);
    connectors::ConsoleSession session{runtime, console, config.workflow.bot_name};
    loggers.console->info(
        "console_started data_dir={} mode={}",
        config.data_dir.string(),
        options.script ? "script" : "interactive"
    );

    if (options.script) {
        // Whatever a previous run left in the outbox goes out first, then the script runs.
        run_to_completion(io, [&]() -> net::awaitable<void> {
            co_await runtime.advance_to(script_clock.now(), script_clock);
            co_await runtime.flush();
            co_await session.replay(script, script_clock, options.echo ? &std::cout : nullptr);
        }());
        return 0;
    }

    const bool terminal = ::isatty(STDIN_FILENO) != 0;
    if (terminal) {
        std::cout << terminal_safe(fmt::format(
            "sitrep console — you are {} in {}. Type /incident help, /join #room, /quit.\n"
            "Data: {}\n",
            user,
            console.current_room(),
            config.data_dir.string()
        ));
    }
    // Typing and the deadline timer run side by side; the end of input stops both.
    auto typing = [&]() -> net::awaitable<void> {
        co_await session.interact(STDIN_FILENO, std::cout, user, clock, terminal);
        runtime.stop();
    };
    run_to_completion(io, [&]() -> net::awaitable<void> {
        using namespace net::experimental::awaitable_operators;
        co_await runtime.flush();
        co_await (typing() && runtime.run_timers());
    }());
    return 0;
}

// ---- Operator commands -----------------------------------------------------------------------

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

void add_common_options(CLI::App& command, CommonOptions& options) {
    command.add_option(
        "--config", options.config_file, "Configuration file laid over the built-in default"
    );
    command.add_option("--data-dir", options.data_dir, "Where the database and artifacts live");
}

int report(const std::exception& e, int code) {
    std::cerr << "sitrep: " << terminal_safe(e.what()) << '\n';
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"sitrep — an incident-response bot for chat"};
    app.require_subcommand(1);

    constexpr const char* incident_help =
        "INC-<n>, <n>, the slug or the artifact name INCIDENT-<date>-<slug>";

    ConsoleOptions console;
    auto* console_command = app.add_subcommand("console", "Run incidents in the terminal");
    add_common_options(*console_command, console.common);
    console_command->add_option("--script", console.script, "Replay a script in simulated time");
    console_command->add_flag("--echo", console.echo, "Print each script line before the answers");
    console_command->add_option("--user", console.user, "Who you are when typing (one word)");

    std::filesystem::path config_to_check;
    auto* check_command = app.add_subcommand("check-config", "Validate a configuration file");
    check_command->add_option("file", config_to_check, "The file")->required();

    CommonOptions listing;
    auto* incidents_command = app.add_subcommand("incidents", "List the latest incidents");
    add_common_options(*incidents_command, listing);

    CommonOptions timeline_options;
    std::string timeline_reference;
    auto* timeline_command = app.add_subcommand("timeline", "Print an incident's full timeline");
    add_common_options(*timeline_command, timeline_options);
    timeline_command->add_option("incident", timeline_reference, incident_help)->required();

    CommonOptions postmortem_options;
    std::string postmortem_reference;
    bool postmortem_write = false;
    auto* postmortem_command = app.add_subcommand(
        "postmortem", "Print an incident's postmortem as it stands; --write saves it"
    );
    add_common_options(*postmortem_command, postmortem_options);
    postmortem_command->add_option("incident", postmortem_reference, incident_help)->required();
    postmortem_command->add_flag(
        "--write",
        postmortem_write,
        "Write the postmortem and decision record into the data directory instead"
    );

    // A mistake on the command line is a usage error like any other: exit code 2.
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : exit_usage;
    }

    try {
        if (console_command->parsed()) {
            return run_console(console);
        }
        if (check_command->parsed()) {
            return check_config(config_to_check);
        }
        if (incidents_command->parsed()) {
            return list_incidents(listing);
        }
        if (timeline_command->parsed()) {
            return show_timeline(timeline_options, timeline_reference);
        }
        if (postmortem_command->parsed()) {
            return render_postmortem(postmortem_options, postmortem_reference, postmortem_write);
        }
    } catch (const UsageError& e) {
        return report(e, exit_usage);
    } catch (const bot::ConfigError& e) {
        return report(e, exit_usage);
    } catch (const templates::TemplateError& e) {
        return report(e, exit_usage);
    } catch (const std::exception& e) {
        return report(e, exit_failure);
    }
    return 0;
}
