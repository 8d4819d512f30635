// `sitrep console`: incidents in the terminal, typed or replayed from a script.

#include <cstdlib>
#include <exception>
#include <iostream>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/multiple_exceptions.hpp>
#include <date/date.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "bot/cli.hpp"
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

#include <sys/stat.h>
#include <unistd.h>

namespace sitrep::cli {

using connectors::terminal_safe;

namespace {

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
/// The interactive console runs on the real clock: a data directory that a script filled
/// with later simulated times would put what is typed now before what it holds.
void check_clock_is_after_data(
    bot::IncidentStore& store, const bot::Config& config, bot::Timestamp now
) {
    // A minute of slack for clocks that disagree a little between machines.
    const auto latest = store.latest_record();
    if (!latest || *latest <= now + std::chrono::minutes{1}) {
        return;
    }
    throw UsageError(fmt::format(
        "{} holds events up to {} UTC, later than now ({} UTC): a script replayed them in "
        "simulated time. Use another --data-dir for the interactive console",
        config.data_dir.string(),
        utc_time(*latest),
        utc_time(now)
    ));
}

/// Runs one coroutine on a fresh io_context to completion, rethrowing what escaped it (the
/// first failure, when several parallel branches failed), after logging it.
void run_to_completion(net::io_context& io, net::awaitable<void> work, spdlog::logger& log) {
    std::exception_ptr failure;
    net::co_spawn(io, std::move(work), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (!failure) {
        return;
    }

    try {
        std::rethrow_exception(failure);
    } catch (const net::multiple_exceptions& several) {
        failure = several.first_exception();
    } catch (...) {  // the failure itself: reported below
    }
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        log.error("console_failed error=\"{}\"", e.what());
    } catch (...) {
        log.error("console_failed error=\"unknown\"");
    }
    std::rethrow_exception(failure);
}

}  // namespace

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
    } else {
        check_clock_is_after_data(store, config, today);
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
        try {
            run_to_completion(
                io,
                [&]() -> net::awaitable<void> {
                    co_await runtime.advance_to(script_clock.now(), script_clock);
                    co_await runtime.flush();
                    co_await session.replay(
                        script, script_clock, options.echo ? &std::cout : nullptr
                    );
                }(),
                *loggers.console
            );
        } catch (const connectors::ScriptError& e) {
            // A payload that changed after the check: the lines before it have run.
            throw std::runtime_error(fmt::format("{}: {}", options.script->string(), e.what()));
        }
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
    run_to_completion(
        io,
        [&]() -> net::awaitable<void> {
            using namespace net::experimental::awaitable_operators;
            co_await runtime.flush();
            co_await (typing() && runtime.run_timers());
        }(),
        *loggers.console
    );
    return 0;
}

}  // namespace sitrep::cli
