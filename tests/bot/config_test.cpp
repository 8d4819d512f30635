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

TEST(Config, BuiltInDefaultPassesItsOwnChecksAsAFile) {
    // Copying the default file and editing it is how a configuration starts.
    const auto config = Config::from_yaml(Config::default_text());
    EXPECT_EQ(config.console_home_room, "#ops");
    EXPECT_EQ(config.workflow.severities.size(), 3U);
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

TEST(Config, DurationLongerThanAYearIsRefused) {
    // 106751991167 days is just under what milliseconds hold, so it parses; added to the time
    // of a declaration it would overflow.
    EXPECT_EQ(
        config_error("severities:\n  - {name: P1, definition: x, contain_within: 106751991167d, "
                     "remind_before: 5m}\nalerts: {severity_map: {critical: P1}}\n"),
        "configuration: setting \"severities[0].contain_within\" is \"106751991167d\", longer "
        "than 365 days; write a duration of at most 365d"
    );
    EXPECT_EQ(
        config_error("triage_remind_after: 106751991167d\n"),
        "configuration: setting \"triage_remind_after\" is \"106751991167d\", longer than 365 "
        "days; write a duration of at most 365d"
    );
    EXPECT_NE(
        config_error("declare_dedup_window: 365d1s\n").find("\"declare_dedup_window\""),
        std::string::npos
    );
    EXPECT_NE(
        config_error("severities:\n  - {name: P1, definition: x, contain_within: 400d, "
                     "remind_before: 366d}\nalerts: {severity_map: {critical: P1}}\n")
            .find("\"severities[0].contain_within\" is \"400d\""),
        std::string::npos
    );
}

TEST(Config, DurationOfExactlyAYearIsAccepted) {
    const auto config = Config::from_yaml(
        "triage_remind_after: 365d\ndeclare_dedup_window: 8760h\n"
        "severities:\n  - {name: P1, definition: x, contain_within: 365d, remind_before: 364d}\n"
        "alerts: {severity_map: {critical: P1}}\n"
    );
    EXPECT_EQ(config.workflow.triage_remind_after, max_configured_duration);
    EXPECT_EQ(config.workflow.declare_dedup_window, max_configured_duration);
    EXPECT_EQ(config.workflow.severities[0].contain_within, max_configured_duration);
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

TEST(Config, EmptyDataDirIsRefused) {
    EXPECT_EQ(
        config_error("data_dir: \"\"\n"),
        "configuration: data_dir is empty; name the folder for the database and the artifacts, "
        "like ./sitrep-data"
    );
}

TEST(Config, LogFileThatIsAFolderIsRefused) {
    const test::TempDir dir;
    EXPECT_EQ(
        config_error("log: {file: /}\n"),
        "configuration: log.file is \"/\", which is a folder; name a file, like "
        "/var/log/sitrep/sitrep.log, or leave it empty for <data_dir>/sitrep.log"
    );
    EXPECT_NE(
        config_error("log: {file: \"" + dir.path().string() + "\"}\n").find("which is a folder"),
        std::string::npos
    );
    EXPECT_NE(
        config_error("log: {file: \"" + (dir.path() / "logs/").string() + "\"}\n")
            .find("which is a folder"),
        std::string::npos
    );
    EXPECT_EQ(
        Config::from_yaml("log: {file: \"" + (dir.path() / "logs/sitrep.log").string() + "\"}\n")
            .log_file,
        dir.path() / "logs/sitrep.log"
    );
}

TEST(Config, LogFileFolderIsFoundRelativeToTheConfigurationFile) {
    const test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "logs");
    const auto file = dir.path() / "sitrep.yaml";
    write(file, "log:\n  file: logs\n");

    EXPECT_EQ(
        load_error(file),
        file.string() + ": log.file is \"" + (dir.path() / "logs").string() +
            "\", which is a folder; name a file, like /var/log/sitrep/sitrep.log, or leave it "
            "empty for <data_dir>/sitrep.log"
    );
}

TEST(Config, HomeRoomMustBeARoomName) {
    for (const auto* room : {"\"\"", "ops", "\"#\"", "\"#ops room\"", "\" #ops\"", "\"#ops\\t\""}) {
        const auto overlay = std::string{"console: {home_room: "} + room + "}\n";
        EXPECT_NE(
            config_error(overlay).find(
                "; write the room the console starts in as #name, like \"#ops\""
            ),
            std::string::npos
        ) << overlay;
    }
    EXPECT_EQ(
        config_error("console: {home_room: ops}\n"),
        "configuration: console.home_room is \"ops\"; write the room the console starts in as "
        "#name, like \"#ops\""
    );
    EXPECT_EQ(
        Config::from_yaml("console: {home_room: \"#incidents\"}\n").console_home_room, "#incidents"
    );
}

TEST(Config, AnnounceRoomMustNotBeEmpty) {
    for (const auto* room : {"\"\"", "\"  \""}) {
        EXPECT_EQ(
            config_error(std::string{"alerts: {announce_room: "} + room + "}\n"),
            "configuration: alerts.announce_room is empty; name the room where incidents opened "
            "by alerts are announced, like \"#ops\""
        ) << room;
    }
}

TEST(Config, KeyGivenTwiceIsRefusedNamingBothLines) {
    EXPECT_EQ(
        config_error("timezone: UTC\nbot_name: sitrep\ntimezone: Europe/Berlin\n"),
        "configuration: setting \"timezone\" is given twice (lines 1 and 3)"
    );
    EXPECT_EQ(
        config_error("alerts:\n  announce_room: \"#ops\"\n  severity_label: severity\n"
                     "  announce_room: \"#incidents\"\n"),
        "configuration: setting \"alerts.announce_room\" is given twice (lines 2 and 4)"
    );
    EXPECT_EQ(
        config_error("alerts:\n  severity_map:\n    critical: P1\n    critical: P2\n"),
        "configuration: setting \"alerts.severity_map.critical\" is given twice (lines 3 and 4)"
    );
    EXPECT_EQ(
        config_error("severities:\n"
                     "  - {name: P1, definition: x, contain_within: 15m, remind_before: 5m}\n"
                     "  - name: P2\n"
                     "    definition: y\n"
                     "    contain_within: 1h\n"
                     "    remind_before: 5m\n"
                     "    contain_within: 2h\n"),
        "configuration: setting \"severities[1].contain_within\" is given twice (lines 5 and 7)"
    );
    EXPECT_EQ(
        config_error("log: {level: info, level: debug}\n"),
        "configuration: setting \"log.level\" is given twice (lines 1 and 1)"
    );
}

TEST(Config, KeyGivenTwiceInAFileIsRefusedNamingTheFile) {
    const test::TempDir dir;
    const auto file = dir.path() / "twice.yaml";
    write(file, "# ops settings\ntimezone: UTC\n\ntimezone: Europe/Berlin\n");
    EXPECT_EQ(
        load_error(file), file.string() + ": setting \"timezone\" is given twice (lines 2 and 4)"
    );
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
    EXPECT_EQ(load_error(dir.path()), dir.path().string() + ": is a directory");
}

TEST(Config, LoadRefusesFileLargerThanOneMebibyte) {
    const test::TempDir dir;
    const auto file = dir.path() / "huge.yaml";
    write(file, "timezone: UTC\n# " + std::string(max_config_file_bytes, 'x') + "\n");

    EXPECT_EQ(load_error(file), file.string() + ": larger than 1 MiB");
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
