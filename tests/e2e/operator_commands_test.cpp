// End to end: the `sitrep` command line around the console — operator commands on a data
// directory, what the console accepts as input, and which files it refuses to read. Runs the
// built binary (SITREP_BINARY) through the shell, each run bounded by `timeout` so that a
// regression that hangs fails the test instead of stalling the suite.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite_incident_store.hpp"
#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sitrep {
namespace {

/// Exit codes of `sitrep` (bot/main.cpp).
constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

/// What `timeout` returns when it had to stop sitrep.
constexpr int exit_timed_out = 124;

struct Result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// How standard input is given to sitrep.
enum class Input { none, pipe, file };

std::string shell_quoted(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) {
        quoted += c == '\'' ? std::string{"'\\''"} : std::string{c};
    }
    return quoted + "'";
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out{path, std::ios::binary};
    out << text;
}

/// The lines of a text, without their line feeds.
std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto end = text.find('\n', at);
        lines.push_back(text.substr(at, end - at));
        at = end == std::string::npos ? text.size() : end + 1;
    }
    return lines;
}

class SitrepCommandTest : public ::testing::Test {
protected:
    [[nodiscard]] std::filesystem::path data() const { return dir_.path() / "data"; }

    [[nodiscard]] std::filesystem::path path(const std::string& name) const {
        return dir_.path() / name;
    }

    std::filesystem::path write(const std::string& name, const std::string& text) {
        write_file(path(name), text);
        return path(name);
    }

    /// Runs `sitrep <args>`, its standard input closed, piped from `input` or redirected from a
    /// file holding it; captures stdout, stderr and the exit code.
    Result sitrep(
        const std::vector<std::string>& args, Input how = Input::none, const std::string& input = ""
    ) {
        const auto run = std::to_string(++runs_);
        const auto in = write("stdin-" + run, input);
        const auto out = path("stdout-" + run);
        const auto err = path("stderr-" + run);

        std::string command = "timeout 30 " + shell_quoted(SITREP_BINARY);
        for (const auto& arg : args) {
            command += " " + shell_quoted(arg);
        }
        command += " >" + shell_quoted(out.string()) + " 2>" + shell_quoted(err.string());
        if (how == Input::pipe) {
            command = "cat " + shell_quoted(in.string()) + " | " + command;
        } else {
            command += how == Input::file ? " <" + shell_quoted(in.string()) : " </dev/null";
        }

        const int status = std::system(command.c_str());
        Result result;
        result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        result.out = test::read_file(out);
        result.err = test::read_file(err);
        return result;
    }

    Result replay(const std::filesystem::path& script, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{
            "console", "--script", script.string(), "--data-dir", data().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return sitrep(args);
    }

    /// A data directory holding INC-1, "API down", declared on 2026-12-03.
    void declare_api_down() {
        const auto script = write(
            "api.script",
            "[2026-12-03 10:00] alice: /incident declare API down\n"
            "[10:01] alice: /incident triage P2 the public API answers 503\n"
            "[10:05] bob: looking at the load balancer\n"
        );
        const auto result = replay(script);
        ASSERT_EQ(result.exit_code, exit_ok) << result.err;
    }

    test::TempDir dir_;
    int runs_ = 0;
};

// ---- The command line ------------------------------------------------------------------------

TEST_F(SitrepCommandTest, ExitsWithTheUsageCodeForCommandLineMistakes) {
    const std::vector<std::vector<std::string>> mistakes{
        {},
        {"bogus"},
        {"timeline"},
        {"console", "--bogus"},
        {"incidents", "--data-dir"},
        {"postmortem", "INC-1", "extra"},
    };
    for (const auto& args : mistakes) {
        const auto result = sitrep(args);
        EXPECT_EQ(result.exit_code, exit_usage) << result.err;
        EXPECT_NE(result.err, "");
    }
}

TEST_F(SitrepCommandTest, ExitsCleanlyForHelp) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--help"}, {"console", "--help"}, {"postmortem", "--help"}}) {
        const auto result = sitrep(args);
        EXPECT_EQ(result.exit_code, exit_ok) << result.err;
        EXPECT_NE(result.out.find("Usage:"), std::string::npos) << result.out;
    }
}

// ---- Read-only commands ----------------------------------------------------------------------

TEST_F(SitrepCommandTest, ReadOnlyCommandsRefuseAMissingDataDirectoryWithoutCreatingIt) {
    const auto missing = path("mistyped");
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"incidents"}, {"timeline", "INC-1"}, {"postmortem", "INC-1"}}) {
        auto with_dir = args;
        with_dir.insert(with_dir.end(), {"--data-dir", missing.string()});
        const auto result = sitrep(with_dir);

        EXPECT_EQ(result.exit_code, exit_usage) << args.front();
        EXPECT_EQ(
            result.err,
            "sitrep: no sitrep data in " + missing.string() +
                " (no sitrep.db there); check --data-dir\n"
        );
        EXPECT_FALSE(std::filesystem::exists(missing)) << args.front();
    }
}

TEST_F(SitrepCommandTest, SaysSoWhenThereAreNoIncidents) {
    const auto script = write("chat.script", "[2026-12-03 10:00] alice: anyone around?\n");
    ASSERT_EQ(replay(script).exit_code, exit_ok);

    const auto listing = sitrep({"incidents", "--data-dir", data().string()});

    EXPECT_EQ(listing.exit_code, exit_ok) << listing.err;
    EXPECT_EQ(listing.out, "No incidents in " + data().string() + ".\n");
}

TEST_F(SitrepCommandTest, FindsAnIncidentByEveryNameItIsShownUnder) {
    declare_api_down();
    const auto expected = sitrep({"timeline", "INC-1", "--data-dir", data().string()});
    ASSERT_EQ(expected.exit_code, exit_ok) << expected.err;
    ASSERT_NE(expected.out.find("bob: looking at the load balancer"), std::string::npos);

    for (const auto* reference :
         {"inc-1",
          "1",
          "api-down",
          "INCIDENT-2026-12-03-api-down",
          "INCIDENT-2026-12-03-api-down.md"}) {
        const auto result = sitrep({"timeline", reference, "--data-dir", data().string()});
        EXPECT_EQ(result.exit_code, exit_ok) << reference << ": " << result.err;
        EXPECT_EQ(result.out, expected.out) << reference;
    }
}

TEST_F(SitrepCommandTest, SaysNoIncidentForReferencesThatNameNone) {
    declare_api_down();

    for (const auto* reference :
         {"99999999999999999999",
          "INC-99999999999999999999",
          "INC-0",
          "0",
          "-1",
          "INC--1",
          "INC-2",
          "INCIDENT-2026-12-04-api-down",
          "api"}) {
        const auto result = sitrep({"timeline", "--data-dir", data().string(), reference});
        EXPECT_EQ(result.exit_code, exit_usage) << reference;
        EXPECT_EQ(
            result.err.rfind("sitrep: no incident \"" + std::string(reference) + "\" in ", 0), 0U
        ) << result.err;
    }
}

TEST_F(SitrepCommandTest, PrintsThePostmortemWithoutWritingAnything) {
    declare_api_down();

    const auto result = sitrep({"postmortem", "INC-1", "--data-dir", data().string()});

    EXPECT_EQ(result.exit_code, exit_ok) << result.err;
    EXPECT_EQ(result.out.rfind("# Postmortem: API down\n", 0), 0U) << result.out;
    EXPECT_NE(result.out.find("**DRAFT**"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(data() / "incidents"));
    EXPECT_FALSE(std::filesystem::exists(data() / "adr"));
}

TEST_F(SitrepCommandTest, WritesBothArtifactsWithWrite) {
    declare_api_down();
    const auto printed = sitrep({"postmortem", "api-down", "--data-dir", data().string()});

    const auto result =
        sitrep({"postmortem", "api-down", "--write", "--data-dir", data().string()});

    const auto file = data() / "incidents" / "INCIDENT-2026-12-03-api-down.md";
    EXPECT_EQ(result.exit_code, exit_ok) << result.err;
    EXPECT_EQ(result.out, file.string() + "\n");
    EXPECT_EQ(test::read_file(file), printed.out);
    EXPECT_TRUE(std::filesystem::exists(data() / "adr" / "INCIDENT-2026-12-03-api-down.md"));
}

TEST_F(SitrepCommandTest, RefusesToWriteWhileASitrepRunsButStillReads) {
    declare_api_down();

    // Holding the lock the way a running sitrep does.
    const int fd = ::open((data() / "sitrep.lock").c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);

    const auto write = sitrep({"postmortem", "INC-1", "--write", "--data-dir", data().string()});
    const auto print = sitrep({"postmortem", "INC-1", "--data-dir", data().string()});
    const auto listing = sitrep({"incidents", "--data-dir", data().string()});
    ::close(fd);

    EXPECT_EQ(write.exit_code, exit_failure);
    EXPECT_EQ(write.err.rfind("sitrep: another sitrep is running on " + data().string(), 0), 0U)
        << write.err;
    EXPECT_FALSE(std::filesystem::exists(data() / "incidents"));
    EXPECT_EQ(print.exit_code, exit_ok) << print.err;
    EXPECT_EQ(listing.exit_code, exit_ok) << listing.err;
}

// ---- The data directory lock -----------------------------------------------------------------

TEST_F(SitrepCommandTest, SaysWhyTheLockCannotBeCreated) {
    std::filesystem::create_directories(data() / "sitrep.lock");  // not a file anyone can lock
    const auto script = write("one.script", "[2026-12-03 10:00] alice: /incident declare X\n");

    const auto result = replay(script);

    EXPECT_EQ(result.exit_code, exit_failure);
    EXPECT_EQ(
        result.err,
        "sitrep: cannot create " + (data() / "sitrep.lock").string() + ": Is a directory\n"
    );
}

// ---- Scripts in simulated time ---------------------------------------------------------------

TEST_F(SitrepCommandTest, RefusesAScriptThatStartsBeforeTheRecordedEvents) {
    declare_api_down();
    const auto before = sitrep({"timeline", "INC-1", "--data-dir", data().string()});
    const auto earlier = write(
        "earlier.script",
        "[2026-12-03 09:30] carol: /incident declare Search slow\n"
        "[09:31] carol: /incident triage P3 search is slow\n"
    );

    const auto result = replay(earlier);

    EXPECT_EQ(result.exit_code, exit_usage);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(
        result.err,
        "sitrep: " + earlier.string() +
            ": the script starts at 2026-12-03 09:30 UTC, before the last event recorded in " +
            data().string() +
            " (2026-12-03 10:05 UTC), and time cannot go backwards. Replay it into a fresh "
            "--data-dir, or give its lines times from 2026-12-03 10:05 on\n"
    );
    const auto listing = sitrep({"incidents", "--data-dir", data().string()});
    EXPECT_EQ(lines_of(listing.out).size(), 1U) << listing.out;
    EXPECT_EQ(sitrep({"timeline", "INC-1", "--data-dir", data().string()}).out, before.out);
}

TEST_F(SitrepCommandTest, AcceptsAScriptThatContinuesTheRecordedEvents) {
    declare_api_down();
    const auto later = write(
        "later.script",
        "[2026-12-03 10:05] #inc-api-down bob: /incident contain rollback back to v41\n"
    );

    const auto result = replay(later);

    EXPECT_EQ(result.exit_code, exit_ok) << result.err;
}

TEST_F(SitrepCommandTest, RefusesScriptsAndPayloadsThatAreNotRegularFiles) {
    const auto zero = sitrep({"console", "--script", "/dev/zero", "--data-dir", data().string()});
    EXPECT_EQ(zero.exit_code, exit_usage);
    EXPECT_EQ(zero.err, "sitrep: /dev/zero: not a regular file\n");

    const auto folder =
        sitrep({"console", "--script", dir_.path().string(), "--data-dir", data().string()});
    EXPECT_EQ(folder.exit_code, exit_usage);
    EXPECT_EQ(folder.err, "sitrep: " + dir_.path().string() + ": is a directory\n");

    std::filesystem::create_directories(path("payloads"));
    const auto script =
        write("payloads.script", "[2026-12-03 10:00] webhook alertmanager /dev/urandom\n");
    const auto urandom = replay(script);
    EXPECT_EQ(urandom.exit_code, exit_usage);
    EXPECT_EQ(
        urandom.err, "sitrep: " + script.string() + ": line 1: /dev/urandom: not a regular file\n"
    );

    const auto folder_payload =
        write("folder.script", "[2026-12-03 10:00] webhook alertmanager payloads\n");
    const auto directory = replay(folder_payload);
    EXPECT_EQ(directory.exit_code, exit_usage);
    EXPECT_EQ(
        directory.err,
        "sitrep: " + folder_payload.string() + ": line 1: " + path("payloads").string() +
            ": is a directory\n"
    );
    EXPECT_FALSE(std::filesystem::exists(data()));
}

// ---- The interactive console -----------------------------------------------------------------

TEST_F(SitrepCommandTest, RefusesAFileOnStandardInputBeforeCreatingAnything) {
    const auto result = sitrep(
        {"console", "--data-dir", data().string(), "--user", "alice"},
        Input::file,
        "/incident declare from a file\n"
    );

    EXPECT_EQ(result.exit_code, exit_usage);
    EXPECT_EQ(
        result.err, "sitrep: standard input is a file: replay it with --script FILE instead\n"
    );
    EXPECT_FALSE(std::filesystem::exists(data()));
}

TEST_F(SitrepCommandTest, RefusesAUserThatIsNotOneWordOrIsTheBot) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"sitrep", "sitrep: --user is \"sitrep\", the bot's own name; give yours with --user\n"},
        {"Sitrep", "sitrep: --user is \"Sitrep\", the bot's own name; give yours with --user\n"},
        {"alice smith", "sitrep: --user is \"alice smith\"; a user name is one word\n"},
        {"", "sitrep: --user is \"\"; a user name is one word\n"},
    };
    for (const auto& [user, message] : cases) {
        const auto result = sitrep(
            {"console", "--data-dir", data().string(), "--user", user},
            Input::pipe,
            "/incident declare as someone else\n"
        );
        EXPECT_EQ(result.exit_code, exit_usage) << user;
        EXPECT_EQ(result.err, message);
        EXPECT_FALSE(std::filesystem::exists(data())) << user;
    }

    const auto config = write("bot-user.yaml", "console:\n  user: sitrep\n");
    const auto configured = sitrep(
        {"console", "--config", config.string(), "--data-dir", data().string()},
        Input::pipe,
        "hello\n"
    );
    EXPECT_EQ(configured.exit_code, exit_usage);
    EXPECT_NE(
        configured.err.find("console.user is \"sitrep\", the bot's own name"), std::string::npos
    ) << configured.err;
}

TEST_F(SitrepCommandTest, JoinsOneWellFormedRoomAndSaysSo) {
    const std::string hint = "-- /join takes one room name: /join #room (letters, digits, - and _)";

    const auto result = sitrep(
        {"console", "--data-dir", data().string(), "--user", "alice"},
        Input::pipe,
        "/join #db-1\n"
        "/incident status\n"
        "/join\n"
        "/join #a #b\n"
        "/join #no!\n"
        "/join ops_2\n"
        "/frob the cache\n"
        "/exit\n"
        "/incident status\n"
    );

    ASSERT_EQ(result.exit_code, exit_ok) << result.err;
    const auto lines = lines_of(result.out);
    ASSERT_EQ(lines.size(), 6U) << result.out;
    EXPECT_EQ(lines[0], "-- you are in #db-1");
    EXPECT_EQ(lines[1].substr(7), " #db-1 sitrep: No incident is open.");
    EXPECT_EQ(lines[2], hint);
    EXPECT_EQ(lines[3], hint);
    EXPECT_EQ(lines[4], hint);
    EXPECT_EQ(lines[5], "-- you are in #ops_2");
}

TEST_F(SitrepCommandTest, QuitsOnQuitAndExit) {
    for (const auto* quit : {"/quit", "/exit", "  /exit  "}) {
        const auto result = sitrep(
            {"console", "--data-dir", data().string(), "--user", "alice"},
            Input::pipe,
            std::string(quit) + "\n/incident status\n"
        );
        EXPECT_EQ(result.exit_code, exit_ok) << result.err;
        EXPECT_EQ(result.out, "") << quit;
    }
}

// ---- Terminal safety -------------------------------------------------------------------------

TEST_F(SitrepCommandTest, PrintsControlCharactersAsVisibleEscapesAndStoresThemAsTyped) {
    const std::string title =
        "DB \x1b]0;owned\x07 down \x1b[2J\xc2\x9b"
        "1m\r";
    const auto script = write(
        "hostile.script",
        "[2026-12-03 10:00] alice: /incident declare " + title +
            "\n"
            "[10:01] bob: look \x1b[31mhere\x1b[0m\n"
    );

    const auto replayed = replay(script, {"--echo"});
    const auto listing = sitrep({"incidents", "--data-dir", data().string()});
    const auto timeline = sitrep({"timeline", "INC-1", "--data-dir", data().string()});
    const auto printed = sitrep({"postmortem", "INC-1", "--data-dir", data().string()});

    for (const auto* output : {&replayed.out, &listing.out, &timeline.out, &printed.out}) {
        for (const char c : *output) {
            const auto byte = static_cast<unsigned char>(c);
            EXPECT_FALSE((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F) << *output;
        }
        EXPECT_EQ(output->find("\xc2\x9b"), std::string::npos) << *output;
    }
    const std::string shown = "DB \\x1b]0;owned\\x07 down \\x1b[2J\\u009b1m";
    EXPECT_NE(replayed.out.find("declared by alice: " + shown), std::string::npos) << replayed.out;
    EXPECT_NE(listing.out.find(shown), std::string::npos) << listing.out;
    EXPECT_NE(timeline.out.find("bob: look \\x1b[31mhere\\x1b[0m"), std::string::npos)
        << timeline.out;

    // The record keeps what was typed.
    const auto store = store::SqliteIncidentStore::open_read_only(data() / "sitrep.db");
    const auto incident = store->find_incident(1);
    ASSERT_TRUE(incident.has_value());
    EXPECT_EQ(
        incident->title,
        "DB \x1b]0;owned\x07 down \x1b[2J\xc2\x9b"
        "1m"
    );
}

// ---- check-config refuses what start-up refuses ----------------------------------------------

TEST_F(SitrepCommandTest, CheckConfigRefusesFilesThatAreNoConfiguration) {
    const auto fifo = path("config.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);

    const std::vector<std::pair<std::string, std::string>> cases{
        {"/dev/zero", "sitrep: /dev/zero: not a regular file\n"},
        {fifo.string(), "sitrep: " + fifo.string() + ": not a regular file\n"},
        {dir_.path().string(),
         "sitrep: " + dir_.path().string() + ": is a directory\n"},
    };
    for (const auto& [file, message] : cases) {
        const auto result = sitrep({"check-config", file});
        EXPECT_EQ(result.exit_code, exit_usage) << file;
        EXPECT_EQ(result.err, message);
    }
}

TEST_F(SitrepCommandTest, CheckConfigRefusesWhatStartUpRefuses) {
    write("broken.mustache", "# {{title}\n{{#unclosed}}\n");
    write("empty.mustache", "");
    const std::vector<std::pair<std::string, std::string>> cases{
        {"log:\n  level: verbose\n", "log.level is \"verbose\""},
        {"strategies: [rollback, Rollback]\n", "strategy \"Rollback\" is listed twice"},
        {"strategies: [roll back]\n", "a strategy is one word"},
        {"bot_name: incident bot\n", "it must be one word"},
        {"escalation_contacts: [\"\"]\n", "escalation_contacts[0] is empty"},
        {"templates:\n  postmortem: broken.mustache\n", "is not closed before the next tag opens"},
        {"templates:\n  decision_record: empty.mustache\n", "renders nothing"},
    };
    const auto script = write("one.script", "[2026-12-03 10:00] alice: /incident declare X\n");
    for (const auto& [text, message] : cases) {
        const auto config = write("case.yaml", text);

        const auto checked = sitrep({"check-config", config.string()});
        EXPECT_EQ(checked.exit_code, exit_usage) << text;
        EXPECT_NE(checked.err.find(message), std::string::npos) << checked.err;

        const auto started = replay(script, {"--config", config.string()});
        EXPECT_EQ(started.exit_code, exit_usage) << text;
        EXPECT_NE(started.err.find(message), std::string::npos) << started.err;
    }
    EXPECT_FALSE(std::filesystem::exists(data()));
}

TEST_F(SitrepCommandTest, CheckConfigAcceptsAValidFile) {
    const auto config = write("good.yaml", "timezone: Europe/Berlin\nlog:\n  level: warning\n");

    const auto result = sitrep({"check-config", config.string()});

    EXPECT_EQ(result.exit_code, exit_ok) << result.err;
    EXPECT_EQ(result.out.rfind(config.string() + ": valid.", 0), 0U) << result.out;
}

TEST_F(SitrepCommandTest, NeverWaitsOnAFifo) {
    const auto fifo = path("script.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);

    const auto result =
        sitrep({"console", "--script", fifo.string(), "--data-dir", data().string()});

    EXPECT_NE(result.exit_code, exit_timed_out);
    EXPECT_EQ(result.exit_code, exit_usage);
    EXPECT_EQ(result.err, "sitrep: " + fifo.string() + ": not a regular file\n");
}

}  // namespace
}  // namespace sitrep
