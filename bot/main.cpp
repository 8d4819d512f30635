// The `sitrep` command line: the console, and the operator's tools for the data directory.

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "bot/config.hpp"
#include "bot/engine.hpp"
#include "bot/logging.hpp"
#include "bot/runtime.hpp"
#include "bot/store_thread.hpp"
#include "connectors/console/console_connector.hpp"
#include "connectors/console/console_session.hpp"
#include "connectors/console/script.hpp"
#include "store/sqlite_incident_store.hpp"
#include "templates/template_set.hpp"

#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace sitrep;

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

bot::Config load_config(const CommonOptions& options) {
    auto config = bot::Config::load(options.config_file);
    if (options.data_dir) {
        config.data_dir = *options.data_dir;
    }
    return config;
}

std::filesystem::path database_path(const bot::Config& config) {
    std::filesystem::create_directories(config.data_dir);
    return config.data_dir / "sitrep.db";
}

/// Only one sitrep may run on a data directory: a second would answer every command twice.
/// The lock is released when the process ends, however it ends.
void lock_data_dir(const bot::Config& config) {
    const auto path = config.data_dir / "sitrep.lock";
    const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        throw std::runtime_error(fmt::format(
            "another sitrep is running on {} (it holds {}); stop it or use another --data-dir",
            config.data_dir.string(),
            path.string()
        ));
    }
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

std::string console_user(const bot::Config& config, const std::string& option) {
    if (!option.empty()) {
        return option;
    }
    if (!config.console_user.empty()) {
        return config.console_user;
    }
    const char* login = std::getenv("USER");
    return login != nullptr && *login != '\0' ? login : "operator";
}

struct ConsoleOptions {
    CommonOptions common;
    std::optional<std::filesystem::path> script;
    bool echo = false;
    std::string user;
};

int run_console(const ConsoleOptions& options) {
    const auto config = load_config(options.common);
    const auto today = bot::SystemClock{}.now();

    // A script is read whole before anything changes, so a mistake stops it cleanly.
    std::vector<connectors::ScriptLine> script;
    if (options.script) {
        try {
            script = connectors::read_script(*options.script, today);
        } catch (const connectors::ScriptError& e) {
            throw UsageError(fmt::format("{}: {}", options.script->string(), e.what()));
        }
    }

    const auto templates = templates::TemplateSet::load(config.template_overrides);
    const auto database = database_path(config);
    lock_data_dir(config);
    const auto loggers = bot::make_loggers(
        config.log_level, config.log_file.empty() ? config.data_dir / "sitrep.log" : config.log_file
    );

    store::SqliteIncidentStore store{database, config.synchronous_full};
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

    struct stat input {};

    if (::fstat(STDIN_FILENO, &input) == 0 && S_ISREG(input.st_mode)) {
        throw UsageError("standard input is a file: replay it with --script FILE instead");
    }
    const bool terminal = ::isatty(STDIN_FILENO) != 0;
    if (terminal) {
        std::cout << fmt::format(
            "sitrep console — you are {} in {}. Type /incident help, /join #room, /quit.\n"
            "Data: {}\n",
            console_user(config, options.user),
            console.current_room(),
            config.data_dir.string()
        );
    }
    // Typing and the deadline timer run side by side; the end of input stops both.
    auto typing = [&]() -> net::awaitable<void> {
        co_await session.interact(
            STDIN_FILENO, std::cout, console_user(config, options.user), clock, terminal
        );
        runtime.stop();
    };
    run_to_completion(io, [&]() -> net::awaitable<void> {
        using namespace net::experimental::awaitable_operators;
        co_await runtime.flush();
        co_await (typing() && runtime.run_timers());
    }());
    return 0;
}

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

std::optional<bot::Incident> find_incident(bot::IncidentStore& store, std::string reference) {
    if (reference.rfind("INC-", 0) == 0 || reference.rfind("inc-", 0) == 0) {
        reference = reference.substr(4);
    }
    if (!reference.empty() && reference.find_first_not_of("0123456789") == std::string::npos) {
        return store.find_incident(std::stoll(reference));
    }
    return store.find_incident_by_slug(reference);
}

int list_incidents(const CommonOptions& options) {
    const auto config = load_config(options);
    store::SqliteIncidentStore store{database_path(config), config.synchronous_full};
    const bot::TimeFormat tf{config.timezone};
    for (const auto& incident : store.recent_incidents(100)) {
        std::cout << fmt::format(
            "{:<8} {:<10} {:<8} {}  {}\n",
            incident.reference(),
            bot::state_name(incident.state),
            incident.severity.empty() ? "-" : incident.severity,
            tf.date_time(incident.declared_at),
            incident.title
        );
    }
    return 0;
}

int show_timeline(const CommonOptions& options, const std::string& reference) {
    const auto config = load_config(options);
    store::SqliteIncidentStore store{database_path(config), config.synchronous_full};
    const auto incident = find_incident(store, reference);
    if (!incident) {
        throw UsageError(
            fmt::format("no incident \"{}\" in {}", reference, config.data_dir.string())
        );
    }

    const bot::TimeFormat tf{config.timezone};
    for (const auto& entry : store.timeline(incident->id)) {
        // Continuation lines are indented so each entry starts with its time.
        std::string text = entry.text;
        for (auto at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
            text.insert(at + 1, "    ");
        }
        std::cout << fmt::format(
            "{} {:<8} {}: {}\n",
            tf.date_time(entry.at),
            bot::entry_kind_name(entry.kind),
            entry.author,
            text
        );
    }
    return 0;
}

int render_postmortem(const CommonOptions& options, const std::string& reference) {
    const auto config = load_config(options);
    const auto templates = templates::TemplateSet::load(config.template_overrides);
    store::SqliteIncidentStore store{database_path(config), config.synchronous_full};
    const auto incident = find_incident(store, reference);
    if (!incident) {
        throw UsageError(
            fmt::format("no incident \"{}\" in {}", reference, config.data_dir.string())
        );
    }

    bot::SystemClock clock;
    const auto loggers = bot::make_loggers(config.log_level, config.log_file);
    bot::Engine engine{config, store, templates, clock, *loggers.bot};
    std::cout << engine.write_artifacts(incident->id).string() << '\n';
    return 0;
}

void add_common_options(CLI::App& command, CommonOptions& options) {
    command
        .add_option(
            "--config", options.config_file, "Configuration file laid over the built-in default"
        )
        ->check(CLI::ExistingFile);
    command.add_option("--data-dir", options.data_dir, "Where the database and artifacts live");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"sitrep — an incident-response bot for chat"};
    app.require_subcommand(1);

    ConsoleOptions console;
    auto* console_command = app.add_subcommand("console", "Run incidents in the terminal");
    add_common_options(*console_command, console.common);
    console_command->add_option("--script", console.script, "Replay a script in simulated time")
        ->check(CLI::ExistingFile);
    console_command->add_flag("--echo", console.echo, "Print each script line before the answers");
    console_command->add_option("--user", console.user, "Who you are when typing");

    std::filesystem::path config_to_check;
    auto* check_command = app.add_subcommand("check-config", "Validate a configuration file");
    check_command->add_option("file", config_to_check, "The file")
        ->required()
        ->check(CLI::ExistingFile);

    CommonOptions listing;
    auto* incidents_command = app.add_subcommand("incidents", "List the latest incidents");
    add_common_options(*incidents_command, listing);

    CommonOptions timeline_options;
    std::string timeline_reference;
    auto* timeline_command = app.add_subcommand("timeline", "Print an incident's full timeline");
    add_common_options(*timeline_command, timeline_options);
    timeline_command->add_option("incident", timeline_reference, "INC-<n>, <n> or the slug")
        ->required();

    CommonOptions postmortem_options;
    std::string postmortem_reference;
    auto* postmortem_command =
        app.add_subcommand("postmortem", "Render an incident's postmortem and decision record now");
    add_common_options(*postmortem_command, postmortem_options);
    postmortem_command->add_option("incident", postmortem_reference, "INC-<n>, <n> or the slug")
        ->required();

    CLI11_PARSE(app, argc, argv);

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
            return render_postmortem(postmortem_options, postmortem_reference);
        }
    } catch (const UsageError& e) {
        std::cerr << "sitrep: " << e.what() << '\n';
        return exit_usage;
    } catch (const bot::ConfigError& e) {
        std::cerr << "sitrep: " << e.what() << '\n';
        return exit_usage;
    } catch (const templates::TemplateError& e) {
        std::cerr << "sitrep: " << e.what() << '\n';
        return exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "sitrep: " << e.what() << '\n';
        return exit_failure;
    }
    return 0;
}
