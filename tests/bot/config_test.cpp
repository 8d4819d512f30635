#include "bot/config.hpp"

#include <chrono>
#include <fstream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

#include <sys/stat.h>

namespace sitrep::bot {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

/// The message of the ConfigError that loading `overlay` raises; empty (and a failure) when it
/// loads or fails otherwise.
std::string config_error(std::string_view overlay) {
    try {
        (void)Config::from_yaml(overlay);
        ADD_FAILURE() << "accepted:\n" << overlay;
    } catch (const ConfigError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a ConfigError: " << e.what();
    }
    return {};
}

void write(const std::filesystem::path& path, std::string_view text) {
    std::ofstream out{path};
    out << text;
}

TEST(Config, BuiltInDefaultHasThreeSeverities) {
    const auto config = Config::from_yaml("");
    const auto& levels = config.workflow.severities;
    ASSERT_EQ(levels.size(), 3U);

    EXPECT_EQ(levels[0].name, "P1");
    EXPECT_EQ(levels[0].contain_within, minutes{15});
    EXPECT_EQ(levels[0].remind_before, minutes{5});
    EXPECT_EQ(levels[1].name, "P2");
    EXPECT_EQ(levels[1].contain_within, hours{1});
    EXPECT_EQ(levels[1].remind_before, minutes{15});
    EXPECT_EQ(levels[2].name, "P3");
    EXPECT_EQ(levels[2].contain_within, hours{4});
    EXPECT_EQ(levels[2].remind_before, hours{1});
    EXPECT_EQ(levels[0].indicators.size(), 3U);
}

TEST(Config, BuiltInDefaultSettings) {
    const auto config = Config::from_yaml("");
    EXPECT_EQ(config.timezone, "UTC");
    EXPECT_EQ(config.data_dir, "./sitrep-data");
    EXPECT_EQ(config.workflow.bot_name, "sitrep");
    EXPECT_EQ(config.workflow.strategies.size(), 6U);
    EXPECT_EQ(config.workflow.strategies.front(), "rollback");
    EXPECT_EQ(config.workflow.escalation_contacts, std::vector<std::string>{"@incident-lead"});
    EXPECT_EQ(config.workflow.declare_dedup_window, minutes{10});
    EXPECT_EQ(config.workflow.severity_map.at("critical"), "P1");
    EXPECT_EQ(config.announce_room, "#ops");
    EXPECT_TRUE(config.template_overrides.empty());
    EXPECT_FALSE(config.synchronous_full);
    EXPECT_EQ(config.log_level, "info");
    EXPECT_TRUE(config.log_file.empty());
}

TEST(Config, LoadWithoutFileIsBuiltInDefault) {
    const auto config = Config::load(std::nullopt);
    EXPECT_EQ(config.data_dir, "./sitrep-data");
    EXPECT_EQ(config.workflow.severities.size(), 3U);
}

TEST(Config, OverlayChangesOneKeyAndKeepsTheRest) {
    const auto config = Config::from_yaml("timezone: Europe/Berlin\n");
    EXPECT_EQ(config.timezone, "Europe/Berlin");
    EXPECT_EQ(config.workflow.severities.size(), 3U);
    EXPECT_EQ(config.workflow.bot_name, "sitrep");
}

TEST(Config, NestedOverlayMergesKeyByKey) {
    const auto config = Config::from_yaml("alerts:\n  announce_room: \"#incidents\"\n");
    EXPECT_EQ(config.announce_room, "#incidents");
    EXPECT_EQ(config.workflow.severity_label, "severity");
    EXPECT_EQ(config.workflow.severity_map.size(), 3U);
}

TEST(Config, TriageReminderDefaultsToFiveMinutesAndCanChange) {
    EXPECT_EQ(Config::from_yaml("").workflow.triage_remind_after, std::chrono::minutes{5});
    EXPECT_EQ(
        Config::from_yaml("triage_remind_after: 2m\n").workflow.triage_remind_after,
        std::chrono::minutes{2}
    );
}

TEST(Config, OverlaySeverityMapReplacesTheDefaultMap) {
    const auto config = Config::from_yaml("alerts:\n  severity_map:\n    page: P1\n");
    EXPECT_EQ(config.workflow.severity_map, (std::map<std::string, std::string>{{"page", "P1"}}));
    EXPECT_EQ(config.workflow.severity_label, "severity");  // its sibling settings stay
}

TEST(Config, OwnSeveritiesWithOwnSeverityMapLoad) {
    const auto config = Config::from_yaml(
        "severities:\n"
        "  - {name: SEV1, definition: all down, contain_within: 10m, remind_before: 5m}\n"
        "alerts:\n  severity_map: {critical: SEV1}\n"
    );
    EXPECT_EQ(config.workflow.severity_map.at("critical"), "SEV1");
}

TEST(Config, DefaultDataDirStaysRelativeToTheWorkingDirectory) {
    const test::TempDir dir;
    const auto file = dir.path() / "sitrep.yaml";
    std::ofstream{file} << "timezone: UTC\n";
    EXPECT_EQ(Config::load(file).data_dir, std::filesystem::path{"./sitrep-data"});
}

TEST(Config, ListsReplaceTheDefault) {
    const auto config = Config::from_yaml(
        "strategies: [rollback, failover]\nescalation_contacts: [\"@sre\", \"@cto\"]\n"
    );
    EXPECT_EQ(config.workflow.strategies, (std::vector<std::string>{"rollback", "failover"}));
    EXPECT_EQ(config.workflow.escalation_contacts, (std::vector<std::string>{"@sre", "@cto"}));
}

TEST(Config, SeverityListReplacesTheDefault) {
    const auto config = Config::from_yaml(
        "severities:\n"
        "  - {name: P1, definition: down, contain_within: 30m, remind_before: 10m}\n"
        "  - {name: P2, definition: degraded, contain_within: 2h, remind_before: 30m}\n"
        "alerts:\n"
        "  severity_map: {info: P2}\n"
    );
    ASSERT_EQ(config.workflow.severities.size(), 2U);
    EXPECT_EQ(config.workflow.severities[0].contain_within, minutes{30});
    EXPECT_TRUE(config.workflow.severities[0].indicators.empty());
    EXPECT_EQ(config.workflow.severity("P3"), nullptr);
}

TEST(Config, UnknownTopLevelKeyIsNamed) {
    EXPECT_EQ(config_error("timezonee: UTC\n"), "configuration: unknown setting \"timezonee\"");
}

TEST(Config, UnknownNestedKeyIsNamedWithItsPath) {
    EXPECT_EQ(
        config_error("alerts:\n  severity_lable: level\n"),
        "configuration: unknown setting \"alerts.severity_lable\""
    );
    EXPECT_EQ(
        config_error("severities:\n  - {name: P1, definition: x, contain_within: 1h, "
                     "remind_before: 5m, colour: red}\n"),
        "configuration: unknown setting \"severities[0].colour\""
    );
}

TEST(Config, BadDurationIsRefused) {
    EXPECT_EQ(
        config_error("declare_dedup_window: ten minutes\n"),
        "configuration: setting \"declare_dedup_window\" is \"ten minutes\"; write a duration "
        "such as 15m, 1h or 4h30m"
    );
    EXPECT_NE(
        config_error("severities:\n  - {name: P1, definition: x, contain_within: 1.5h, "
                     "remind_before: 5m}\n")
            .find("\"severities[0].contain_within\" is \"1.5h\""),
        std::string::npos
    );
}

TEST(Config, ZeroDurationIsRefused) {
    EXPECT_NE(
        config_error("declare_dedup_window: 0m\n").find("declare_dedup_window"), std::string::npos
    );
}

TEST(Config, UnknownTimeZoneIsConfigError) {
    const auto message = config_error("timezone: Mars/Olympus_Mons\n");
    EXPECT_TRUE(message.starts_with("configuration: ")) << message;
    EXPECT_NE(message.find("unknown time zone \"Mars/Olympus_Mons\""), std::string::npos)
        << message;
}

TEST(Config, ReminderNotBeforeDeadlineIsRefused) {
    EXPECT_EQ(
        config_error("severities:\n  - {name: P1, definition: x, contain_within: 15m, "
                     "remind_before: 15m}\nalerts: {severity_map: {critical: P1, warning: P1, "
                     "info: P1}}\n"),
        "configuration: severities[0].remind_before must be shorter than contain_within for P1"
    );
}

TEST(Config, SeverityMapNamingUnknownSeverityIsRefused) {
    EXPECT_EQ(
        config_error("alerts:\n  severity_map:\n    critical: P0\n"),
        "configuration: alerts.severity_map maps \"critical\" to \"P0\", which is not a "
        "configured severity"
    );
}

TEST(Config, DuplicateSeverityIsRefused) {
    EXPECT_EQ(
        config_error("severities:\n"
                     "  - {name: P1, definition: x, contain_within: 15m, remind_before: 5m}\n"
                     "  - {name: P1, definition: y, contain_within: 1h, remind_before: 5m}\n"),
        "configuration: severity \"P1\" is listed twice"
    );
}

TEST(Config, EmptyStrategiesAreRefused) {
    EXPECT_EQ(
        config_error("strategies: []\n"),
        "configuration: \"strategies\" must list at least one containment strategy"
    );
}

TEST(Config, StrategiesMustBeOneWordEach) {
    EXPECT_EQ(
        config_error("strategies: [rollback, roll back]\n"),
        "configuration: strategies[1] is \"roll back\"; a strategy is one word, like rate-limit"
    );
    EXPECT_EQ(
        config_error("strategies: [\"\"]\n"),
        "configuration: strategies[0] is \"\"; a strategy is one word, like rate-limit"
    );
    EXPECT_EQ(
        config_error("strategies: [\" rollback\"]\n"),
        "configuration: strategies[0] is \" rollback\"; a strategy is one word, like rate-limit"
    );
}

TEST(Config, DuplicateStrategyIsRefusedIgnoringCase) {
    EXPECT_EQ(
        config_error("strategies: [rollback, manual, Rollback]\n"),
        "configuration: strategy \"Rollback\" is listed twice"
    );
}

TEST(Config, BotNameMustBeOneWord) {
    for (const auto* overlay :
         {"bot_name: \"\"\n", "bot_name: incident bot\n", "bot_name: \" \"\n"}) {
        EXPECT_NE(
            config_error(overlay).find("; it must be one word, the name sitrep posts under"),
            std::string::npos
        ) << overlay;
    }
    EXPECT_EQ(Config::from_yaml("bot_name: pagerbot\n").workflow.bot_name, "pagerbot");
}

TEST(Config, EscalationContactsMustNotBeEmpty) {
    EXPECT_EQ(
        config_error("escalation_contacts: [\"@sre-lead\", \"\"]\n"),
        "configuration: escalation_contacts[1] is empty; name a person or a group, like "
        "\"@sre-lead\""
    );
    EXPECT_NE(config_error("escalation_contacts: [\"  \"]\n"), "");
    EXPECT_TRUE(Config::from_yaml("escalation_contacts: []\n").workflow.escalation_contacts.empty()
    );
}

TEST(Config, ConsoleUserMustBeOneWordAndNotTheBot) {
    EXPECT_EQ(
        config_error("console: {user: sitrep}\n"),
        "configuration: console.user is \"sitrep\", the bot's own name (bot_name); choose "
        "another name"
    );
    EXPECT_NE(
        config_error("console: {user: Sitrep}\n").find("the bot's own name"), std::string::npos
    );
    EXPECT_NE(
        config_error("bot_name: pagerbot\nconsole: {user: pagerbot}\n").find("the bot's own name"),
        std::string::npos
    );
    EXPECT_EQ(
        config_error("console: {user: alice smith}\n"),
        "configuration: console.user is \"alice smith\"; a user name is one word"
    );
    EXPECT_EQ(
        Config::from_yaml("bot_name: pagerbot\nconsole: {user: sitrep}\n").console_user, "sitrep"
    );
}

TEST(Config, LogLevelMustBeKnown) {
    EXPECT_EQ(
        config_error("log: {level: verbose}\n"),
        "configuration: log.level is \"verbose\"; choose trace, debug, info, warning, error, "
        "critical or off"
    );
    EXPECT_NE(config_error("log: {level: warn}\n"), "");
    for (const auto* level : {"trace", "debug", "info", "warning", "error", "critical", "off"}) {
        EXPECT_EQ(Config::from_yaml(std::string("log: {level: ") + level + "}\n").log_level, level);
    }
}

TEST(Config, WrongTypeNamesKeyAndLine) {
    EXPECT_EQ(
        config_error("bot_name: sitrep\nstrategies: {rollback: yes}\n"),
        "configuration: setting \"strategies\" (line 2) has the wrong type"
    );
}

TEST(Config, SynchronousMustBeNormalOrFull) {
    EXPECT_TRUE(Config::from_yaml("store: {synchronous: full}\n").synchronous_full);
    EXPECT_EQ(
        config_error("store: {synchronous: off}\n"),
        "configuration: store.synchronous must be \"normal\" or \"full\""
    );
}

TEST(Config, YamlSyntaxErrorNamesTheLine) {
    EXPECT_EQ(
        config_error("timezone: UTC\nbot_name: sitrep: bot\nlog: {}\n"),
        "configuration: line 2, column 17: illegal map value"
    );
}

TEST(Config, UnclosedListIsReportedWhereParsingStopped) {
    EXPECT_EQ(
        config_error("strategies: [rollback\nbot_name: x\n"),
        "configuration: line 2, column 9: end of sequence flow not found"
    );
}

TEST(Config, NonMapDocumentIsRefused) {
    EXPECT_EQ(
        config_error("- just\n- a list\n"),
        "configuration: the configuration must be a map of settings"
    );
}

TEST(Config, LoadResolvesRelativePathsAgainstFileFolder) {
    const test::TempDir dir;
    const auto file = dir.path() / "sitrep.yaml";
    write(
        file,
        "data_dir: data\n"
        "templates:\n  postmortem: templates/pm.mustache\n"
        "log:\n  file: logs/sitrep.log\n"
    );

    const auto config = Config::load(file);
    EXPECT_EQ(config.data_dir, dir.path() / "data");
    EXPECT_EQ(config.template_overrides.at("postmortem"), dir.path() / "templates/pm.mustache");
    EXPECT_EQ(config.log_file, dir.path() / "logs/sitrep.log");
}

TEST(Config, LoadKeepsAbsolutePaths) {
    const test::TempDir dir;
    const auto file = dir.path() / "sitrep.yaml";
    write(file, "data_dir: /var/lib/sitrep\n");
    EXPECT_EQ(Config::load(file).data_dir, "/var/lib/sitrep");
}

TEST(Config, LoadErrorNamesTheFile) {
    const test::TempDir dir;
    const auto file = dir.path() / "bad.yaml";
    write(file, "bot_nam: sitrep\n");
    try {
        (void)Config::load(file);
        FAIL() << "accepted";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string{e.what()}, file.string() + ": unknown setting \"bot_nam\"");
    }
}

TEST(Config, LoadOfMissingFileIsConfigError) {
    const test::TempDir dir;
    EXPECT_THROW((void)Config::load(dir.path() / "absent.yaml"), ConfigError);
}

/// The message of the ConfigError that loading `file` raises; empty (and a failure) otherwise.
std::string load_error(const std::filesystem::path& file) {
    try {
        (void)Config::load(file);
        ADD_FAILURE() << "accepted: " << file;
    } catch (const ConfigError& e) {
        return e.what();
    }
    return {};
}

TEST(Config, LoadRefusesDevicesWithoutReadingThem) {
    EXPECT_EQ(load_error("/dev/zero"), "/dev/zero: not a regular file");
    EXPECT_EQ(load_error("/dev/urandom"), "/dev/urandom: not a regular file");
}

TEST(Config, LoadRefusesFifoWithoutWaitingForAWriter) {
    const test::TempDir dir;
    const auto fifo = dir.path() / "config.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);

    EXPECT_EQ(load_error(fifo), fifo.string() + ": not a regular file");
}

TEST(Config, LoadRefusesDirectory) {
    const test::TempDir dir;
    EXPECT_EQ(
        load_error(dir.path()), dir.path().string() + ": is a directory"
    );
}

TEST(Config, LoadRefusesFileLargerThanOneMebibyte) {
    const test::TempDir dir;
    const auto file = dir.path() / "huge.yaml";
    write(file, "timezone: UTC\n# " + std::string(max_config_file_bytes, 'x') + "\n");

    EXPECT_EQ(
        load_error(file),
        file.string() + ": larger than 1 MiB"
    );
}

TEST(Config, LoadAcceptsFileAtTheLimit) {
    const test::TempDir dir;
    const auto file = dir.path() / "padded.yaml";
    const std::string head = "timezone: UTC\n#";
    write(file, head + std::string(max_config_file_bytes - head.size() - 1, 'x') + "\n");

    EXPECT_EQ(Config::load(file).timezone, "UTC");
}

}  // namespace
}  // namespace sitrep::bot
