#include "connectors/console/console_session.hpp"

#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include "bot/config.hpp"
#include "bot/engine.hpp"
#include "bot/store_thread.hpp"
#include "store/sqlite_incident_store.hpp"
#include "templates/template_set.hpp"
#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace sitrep::connectors {
namespace {

using namespace std::chrono;

const bot::Timestamp today{sys_days{year{2026} / 11 / 18}.time_since_epoch()};

void write(const std::filesystem::path& path, std::string_view text) {
    std::ofstream out{path, std::ios::binary};
    out << text;
}

std::filesystem::path payload_dir() {
    return test::test_data_dir() / "alertmanager";
}

bot::Config config_in(const test::TempDir& dir) {
    auto config = bot::Config::from_yaml("");
    config.data_dir = dir.path();
    return config;
}

/// A console session on a fresh data directory, replaying scripts written into it.
class ConsoleSessionTest : public ::testing::Test {
protected:
    ConsoleSessionTest() { runtime_.add_connector(console_); }

    /// Reads `text` as the script file `drill.script` beside the payloads.
    std::vector<ScriptLine> script(std::string_view text) {
        write(dir_.path() / "drill.script", text);
        return read_script(dir_.path() / "drill.script", today);
    }

    /// Replays the script to its end, rethrowing what stopped it.
    void replay(const std::vector<ScriptLine>& lines) {
        clock_.set(lines.front().at);
        std::exception_ptr failure;
        net::co_spawn(io_, session_.replay(lines, clock_, nullptr), [&](std::exception_ptr e) {
            failure = e;
        });
        io_.run();
        io_.restart();
        if (failure) {
            std::rethrow_exception(failure);
        }
    }

    test::TempDir dir_;
    bot::Config config_ = config_in(dir_);
    store::SqliteIncidentStore store_{dir_.path() / "sitrep.db"};
    templates::TemplateSet templates_ = templates::TemplateSet::load();
    bot::ManualClock clock_{today};
    spdlog::logger log_{"test", std::make_shared<spdlog::sinks::null_sink_mt>()};
    net::io_context io_;
    bot::StoreThread store_thread_;
    bot::Engine engine_{config_, store_, templates_, clock_, log_};
    bot::Runtime runtime_{io_, engine_, store_, store_thread_, clock_, log_};
    std::ostringstream out_;
    ConsoleConnector console_{out_, "#ops", "sitrep"};
    ConsoleSession session_{runtime_, console_, "sitrep"};
};

TEST_F(ConsoleSessionTest, ReadsEachPayloadWhenItsLineRuns) {
    const auto payload = dir_.path() / "alert.json";
    write(payload, test::read_file(payload_dir() / "legacy-queue-backlog.json"));
    const auto lines = script("[2026-11-18 10:00] webhook alertmanager alert.json\n");

    // The script holds the path, not the payload: what the file says when the line runs counts.
    write(payload, test::read_file(payload_dir() / "payments-firing.json"));
    replay(lines);

    EXPECT_NE(out_.str().find("Payments p99 latency above 800ms"), std::string::npos) << out_.str();
    EXPECT_EQ(out_.str().find("QueueBacklog"), std::string::npos) << out_.str();
}

TEST_F(ConsoleSessionTest, StopsAtAPayloadThatChangedSinceTheCheckNamingItsLine) {
    const auto payload = dir_.path() / "alert.json";
    write(payload, test::read_file(payload_dir() / "payments-firing.json"));
    const auto lines = script(
        "[2026-11-18 10:00] #ops alice: /incident declare ledger is slow\n"
        "# the alert arrives\n"
        "[10:01] webhook alertmanager alert.json\n"
    );

    write(payload, R"({"version":"4",)");
    try {
        replay(lines);
        FAIL() << "the replay went on past a payload that no longer parses";
    } catch (const ScriptError& e) {
        EXPECT_EQ(
            std::string{e.what()},
            "line 3: " + payload.string() +
                ": malformed JSON at byte 15: incomplete JSON (the payload changed after the "
                "script was checked; the replay stopped before this line)"
        );
    }

    // The lines before it ran.
    EXPECT_NE(out_.str().find("ledger is slow"), std::string::npos) << out_.str();
    EXPECT_EQ(out_.str().find("Payments p99 latency above 800ms"), std::string::npos);
}

}  // namespace
}  // namespace sitrep::connectors
