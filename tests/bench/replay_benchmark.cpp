// Times one whole incident replayed in process through the classes `sitrep console --script`
// uses (Engine, Runtime, ConsoleConnector, ConsoleSession::replay): an Alertmanager payload
// opens the incident, responders chat between the steps (1,000 messages by default), and the
// close renders the postmortem. Each run starts from a fresh data directory. Prints the
// median and minimum wall-clock time of the runs, messages per second and the peak RSS.
//
//   sitrep_replay_bench [--runs N] [--messages N]
//   valgrind --tool=callgrind sitrep_replay_bench --runs 1

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

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
#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

#include <sys/resource.h>

namespace {

using namespace sitrep;

/// A stream buffer that takes everything and keeps nothing: the console prints into it, so
/// the formatting is measured but no terminal is.
class NullBuffer final : public std::streambuf {
protected:
    int_type overflow(int_type c) override { return traits_type::not_eof(c); }

    std::streamsize xsputn(const char*, std::streamsize count) override { return count; }
};

struct Options {
    int runs = 5;
    int messages = 1000;
};

Options read_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg{argv[i]};
        if ((arg == "--runs" || arg == "--messages") && i + 1 < argc) {
            const int value = std::atoi(argv[++i]);
            (arg == "--runs" ? options.runs : options.messages) = std::max(value, 1);
        } else {
            std::cerr << "usage: sitrep_replay_bench [--runs N] [--messages N]\n";
            std::exit(2);
        }
    }
    return options;
}

/// The steps of the incident, in order, spread evenly among the chat messages.
const std::vector<std::string> steps = {
    "alice: /incident triage P1 card charges slow for ~40% of merchants",
    "alice: /incident role commander @alice",
    "bob: /incident contain rollback rolled back payments-api to v2.14.1",
    "bob: /incident contained p99 back to 210ms on the dashboard",
    "carol: /incident security pass no data access involved",
    "bob: /incident rca connection pool of the card vault shrank to 4 after the config push",
    "bob: /incident factor pool size was not validated by the config linter",
    "alice: /incident impact 38% of card charges took over 2 s for 14 minutes",
    "bob: /incident action validate pool sizes | reject values < 16 owner=@bob due=2026-12-01",
    "alice: /incident went-well rollback took 4 minutes",
    "alice: /incident went-wrong the alert paged only after 6 minutes",
    "alice: /incident lesson config pushes need canaries too",
    "alice: /incident resolve pool size restored and guarded",
    "alice: /incident close",
};

const std::vector<std::string> responders = {"alice", "bob", "carol", "dave", "erin"};

const std::vector<std::string> chatter = {
    "p99 on POST /v1/charge is still around {} ms",
    "checked the vault pods, {} connections open",
    "merchant support has {} tickets about slow payments",
    "retry queue depth is {}",
    "looking at the config push from this morning, diff has {} lines",
};

/// A script of one incident: the webhook, then `messages` chat lines with the steps between
/// them, three seconds apart from 10:00:00.
std::string build_script(int messages) {
    std::string script = "# Benchmark incident: one alert, responders chatting, every step.\n";
    script += "[2026-11-18 10:00:00] webhook alertmanager payments-firing.json\n";

    int second = 0;
    auto stamp = [&second] {
        second += 3;
        return fmt::format(
            "[{:02}:{:02}:{:02}]", 10 + second / 3600, second / 60 % 60, second % 60
        );
    };

    std::size_t next_step = 0;
    for (int i = 0; i < messages; ++i) {
        const auto due = (next_step + 1) * static_cast<std::size_t>(messages) / (steps.size() + 1);
        if (next_step < steps.size() && static_cast<std::size_t>(i) == due) {
            script += stamp() + " " + steps[next_step++] + "\n";
        }
        const auto& user = responders[static_cast<std::size_t>(i) % responders.size()];
        const auto& text = chatter[static_cast<std::size_t>(i) % chatter.size()];
        script +=
            stamp() + " " + user + ": " + fmt::format(fmt::runtime(text), 100 + i % 900) + "\n";
    }
    while (next_step < steps.size()) {
        script += stamp() + " " + steps[next_step++] + "\n";
    }
    return script;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out{path, std::ios::binary};
    out << text;
}

struct RunResult {
    std::chrono::duration<double> wall{};
    std::size_t script_lines = 0;
    std::size_t postmortem_bytes = 0;
};

/// One replay on a fresh data directory, timed from reading the script to the postmortem.
RunResult run_once(
    const std::filesystem::path& script_file, const std::filesystem::path& data_dir
) {
    const auto started = std::chrono::steady_clock::now();

    auto config = bot::Config::load(std::nullopt);
    config.data_dir = data_dir;
    const auto script = connectors::read_script(script_file, bot::SystemClock{}.now());
    const auto templates = templates::TemplateSet::load(config.template_overrides);
    std::filesystem::create_directories(data_dir);
    const auto loggers = bot::make_loggers(config.log_level, data_dir / "sitrep.log");

    NullBuffer discard;
    std::ostream null_out{&discard};
    {
        store::SqliteIncidentStore store{data_dir / "sitrep.db", config.synchronous_full};
        bot::ManualClock clock{script.front().at};
        net::io_context io;
        bot::StoreThread store_thread;
        bot::Engine engine{config, store, templates, clock, *loggers.bot};
        bot::Runtime runtime{io, engine, store, store_thread, clock, *loggers.bot};
        connectors::ConsoleConnector console{
            null_out, config.console_home_room, config.workflow.bot_name};
        runtime.add_connector(console);
        connectors::ConsoleSession session{runtime, console, config.workflow.bot_name};

        std::exception_ptr failure;
        net::co_spawn(
            io,
            [&]() -> net::awaitable<void> {
                co_await runtime.advance_to(clock.now(), clock);
                co_await runtime.flush();
                co_await session.replay(script, clock, nullptr);
            },
            [&](std::exception_ptr e) { failure = e; }
        );
        io.run();
        if (failure) {
            std::rethrow_exception(failure);
        }

        const auto incident = store.find_incident(1);
        if (!incident || incident->state != bot::IncidentState::closed) {
            throw std::runtime_error(
                "the benchmark incident did not close; the script is out of date"
            );
        }
    }

    RunResult result;
    result.wall = std::chrono::steady_clock::now() - started;
    result.script_lines = script.size();
    for (const auto& entry : std::filesystem::directory_iterator{data_dir / "incidents"}) {
        result.postmortem_bytes += std::filesystem::file_size(entry.path());
    }
    return result;
}

long peak_rss_kib() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
    const auto options = read_options(argc, argv);

    try {
        const test::TempDir dir;
        const auto script_file = dir.path() / "bench.script";
        write_file(script_file, build_script(options.messages));
        std::filesystem::copy_file(
            test::test_data_dir() / "alertmanager" / "payments-firing.json",
            dir.path() / "payments-firing.json"
        );

        std::vector<double> seconds;
        RunResult last;
        for (int run = 1; run <= options.runs; ++run) {
            last = run_once(script_file, dir.path() / fmt::format("data-{}", run));
            seconds.push_back(last.wall.count());
            std::cout << fmt::format("run {}: {:.3f} s\n", run, last.wall.count());
        }

        std::sort(seconds.begin(), seconds.end());
        const double median =
            seconds.size() % 2 == 1
                ? seconds[seconds.size() / 2]
                : (seconds[seconds.size() / 2 - 1] + seconds[seconds.size() / 2]) / 2;
        std::cout << fmt::format(
            "replayed {} script lines ({} messages, {} steps, 1 webhook) {} times; postmortem {} "
            "bytes\n"
            "median {:.3f} s, min {:.3f} s, {:.0f} messages/s (median), {:.0f} script lines/s "
            "(median)\n"
            "peak RSS {:.1f} MiB\n",
            last.script_lines,
            options.messages,
            steps.size(),
            options.runs,
            last.postmortem_bytes,
            median,
            seconds.front(),
            options.messages / median,
            static_cast<double>(last.script_lines) / median,
            static_cast<double>(peak_rss_kib()) / 1024.0
        );
    } catch (const std::exception& e) {
        std::cerr << "sitrep_replay_bench: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
