#include "bot/logging.hpp"

#include <cstdlib>
#include <ctime>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace sitrep::bot {
namespace {

/// Runs the test in a given process time zone (UTC by default), restoring the old one after.
class UtcZone {
public:
    explicit UtcZone(const char* zone = "UTC") {
        if (const char* tz = std::getenv("TZ")) {
            saved_ = tz;
        }
        ::setenv("TZ", zone, 1);
        ::tzset();
    }

    UtcZone(const UtcZone&) = delete;
    UtcZone& operator=(const UtcZone&) = delete;

    ~UtcZone() {
        if (saved_) {
            ::setenv("TZ", saved_->c_str(), 1);
        } else {
            ::unsetenv("TZ");
        }
        ::tzset();
    }

private:
    std::optional<std::string> saved_;
};

/// Logs through a fresh set of loggers into a file and returns what the file holds.
template <typename Log>
std::string logged(std::string_view level, Log&& log) {
    const test::TempDir dir;
    const auto file = dir.path() / "logs" / "sitrep.log";
    {
        const auto loggers = make_loggers(level, file);
        log(loggers);
        loggers.bot->flush();
        loggers.store->flush();
        loggers.console->flush();
    }
    return test::read_file(file);
}

TEST(Logging, PatternIsPinned) {
    EXPECT_EQ(log_pattern(), "%Y-%m-%dT%H:%M:%S.%e%z %l %n %v");
}

TEST(Logging, LineIsInUtcWhateverTheMachineZone) {
    const UtcZone kolkata{"Asia/Kolkata"};
    const auto text = logged("info", [](const Loggers& loggers) {
        loggers.bot->info("incident_opened incident_id=3");
    });
    EXPECT_NE(text.find("+00:00 info bot incident_opened"), std::string::npos) << text;
}

TEST(Logging, LineHasIsoTimeLevelLoggerAndEvent) {
    const UtcZone utc;
    const auto text = logged("info", [](const Loggers& loggers) {
        loggers.bot->info("incident_opened incident_id=3 user=U42");
    });
    const std::regex line{
        R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00 )"
        R"(info bot incident_opened incident_id=3 user=U42\n)"};
    EXPECT_TRUE(std::regex_match(text, line)) << text;
}

TEST(Logging, EachAreaHasItsLoggerName) {
    const UtcZone utc;
    const auto text = logged("info", [](const Loggers& loggers) {
        loggers.store->warn("write_retried attempt=2");
        loggers.console->error("input_failed");
    });
    const std::regex lines{
        R"(\S+ warning store write_retried attempt=2\n)"
        R"(\S+ error connector\.console input_failed\n)"};
    EXPECT_TRUE(std::regex_match(text, lines)) << text;
}

TEST(Logging, LevelFiltersLowerEvents) {
    const auto text = logged("warning", [](const Loggers& loggers) {
        loggers.bot->info("incident_opened incident_id=3");
        loggers.bot->warn("reconnect_scheduled attempt=1");
    });
    EXPECT_EQ(text.find("incident_opened"), std::string::npos) << text;
    EXPECT_NE(text.find(" warning bot reconnect_scheduled attempt=1\n"), std::string::npos);
}

TEST(Logging, UnknownLevelThrows) {
    const test::TempDir dir;
    EXPECT_THROW((void)make_loggers("loud", dir.path() / "sitrep.log"), std::runtime_error);
}

TEST(Logging, AppendsToExistingFile) {
    const test::TempDir dir;
    const auto file = dir.path() / "sitrep.log";
    for (int run = 0; run < 2; ++run) {
        const auto loggers = make_loggers("info", file);
        loggers.bot->info("started run={}", run);
        loggers.bot->flush();
    }
    const auto text = test::read_file(file);
    EXPECT_NE(text.find("started run=0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("started run=1\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace sitrep::bot
