#include "connectors/console/script.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "connectors/webhooks/webhook_limits.hpp"
#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

#include <malloc.h>
#include <sys/stat.h>

namespace sitrep::connectors {
namespace {

using namespace std::chrono;

bot::Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
    return bot::Timestamp{
        sys_days{year{y} / month{mo} / day{d}}.time_since_epoch() + hours{h} + minutes{mi} +
        seconds{s}};
}

/// The day a script without dates runs on.
const bot::Timestamp today = utc(2026, 11, 18, 7, 42);

std::filesystem::path payload_dir() {
    return test::test_data_dir() / "alertmanager";
}

std::vector<ScriptLine> parse(std::string_view text) {
    return parse_script(text, payload_dir(), today);
}

/// The message of the ScriptError the script raises, or "(accepted)".
std::string error_of(std::string_view text, const std::filesystem::path& base = payload_dir()) {
    try {
        (void)parse_script(text, base, today);
    } catch (const ScriptError& e) {
        return e.what();
    }
    return "(accepted)";
}

const ScriptMessage& message_of(const ScriptLine& line) {
    static const ScriptMessage none{"(not a message)", ""};
    const auto* message = std::get_if<ScriptMessage>(&line.event);
    return message != nullptr ? *message : none;
}

void write(const std::filesystem::path& path, std::string_view text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out{path, std::ios::binary};
    out << text;
}

// ---- Line forms ------------------------------------------------------------------------------

TEST(Script, ReadsTimeUserAndTextOnToday) {
    const auto lines = parse("[10:05] alice: checking the latency graphs");

    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].number, 1);
    EXPECT_EQ(lines[0].at, utc(2026, 11, 18, 10, 5));
    EXPECT_EQ(lines[0].room, "");
    EXPECT_EQ(message_of(lines[0]).user, "alice");
    EXPECT_EQ(message_of(lines[0]).text, "checking the latency graphs");
}

TEST(Script, ReadsDateAndRoom) {
    const auto lines = parse("[2026-11-20 23:59] #ops bob: /incident declare Ledger backlog");

    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].at, utc(2026, 11, 20, 23, 59));
    EXPECT_EQ(lines[0].room, "#ops");
    EXPECT_EQ(message_of(lines[0]).user, "bob");
    EXPECT_EQ(message_of(lines[0]).text, "/incident declare Ledger backlog");
}

TEST(Script, ReadsRoomWithoutDate) {
    const auto lines = parse("[10:05] #inc-ledger-backlog carol: queue is draining");

    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].at, utc(2026, 11, 18, 10, 5));
    EXPECT_EQ(lines[0].room, "#inc-ledger-backlog");
    EXPECT_EQ(message_of(lines[0]).user, "carol");
}

TEST(Script, ReadsSeconds) {
    const auto lines = parse("[10:05:30] alice: one\n[2026-11-19 08:00:15] bob: two");

    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0].at, utc(2026, 11, 18, 10, 5, 30));
    EXPECT_EQ(lines[1].at, utc(2026, 11, 19, 8, 0, 15));
}

TEST(Script, CarriesTheDateOverToLaterLines) {
    const auto lines = parse(
        "[2026-12-14 22:50] alice: late\n"
        "[23:55] bob: later\n"
        "[2026-12-15 00:10] carol: after midnight\n"
        "[00:20] dave: same new day"
    );

    ASSERT_EQ(lines.size(), 4U);
    EXPECT_EQ(lines[1].at, utc(2026, 12, 14, 23, 55));
    EXPECT_EQ(lines[2].at, utc(2026, 12, 15, 0, 10));
    EXPECT_EQ(lines[3].at, utc(2026, 12, 15, 0, 20));
}

TEST(Script, KeepsColonsAndSpacesInsideTheText) {
    const auto lines = parse("[10:00] alice:   /incident rca db: pool at 4  \r");

    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(message_of(lines[0]).text, "/incident rca db: pool at 4");
}

TEST(Script, ReadsUserNamedWebhookAsAMessage) {
    const auto lines = parse("[10:00] webhook: is anyone looking at this?");

    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(message_of(lines[0]).user, "webhook");
}

TEST(Script, SkipsCommentsAndBlankLinesButCountsThem) {
    const auto lines = parse(
        "# the payments incident\n"
        "\n"
        "[10:00] alice: first\n"
        "   \n"
        "  # an indented comment\n"
        "[10:01] bob: second\n"
    );

    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0].number, 3);
    EXPECT_EQ(lines[1].number, 6);
}

TEST(Script, AcceptsLinesAtTheSameMinute) {
    const auto lines = parse("[10:00] alice: one\n[10:00] bob: two");
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0].at, lines[1].at);
}

TEST(Script, ReadsWebhookPayloadRelativeToTheBaseFolder) {
    const auto lines = parse("[10:00] webhook alertmanager payments-firing.json");

    ASSERT_EQ(lines.size(), 1U);
    const auto* webhook = std::get_if<ScriptWebhook>(&lines[0].event);
    ASSERT_NE(webhook, nullptr);
    EXPECT_EQ(webhook->source, "alertmanager");
    EXPECT_EQ(webhook->path, payload_dir() / "payments-firing.json");
    const auto notification = read_webhook_payload(*webhook);
    EXPECT_EQ(notification.source, "alertmanager");
    EXPECT_EQ(notification.alerts.size(), 2U);
    EXPECT_EQ(notification.common_labels.at("service"), "payments");
}

TEST(Script, ReadsWebhookInARoom) {
    const auto lines = parse("[10:00] #ops webhook alertmanager truncated-search.json");

    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].room, "#ops");
    const auto* webhook = std::get_if<ScriptWebhook>(&lines[0].event);
    ASSERT_NE(webhook, nullptr);
    EXPECT_EQ(read_webhook_payload(*webhook).truncated, 3U);
}

TEST(Script, ReadsPayloadPathsRelativeToTheScriptFile) {
    const test::TempDir dir;
    const auto script = dir.path() / "drills" / "ledger.script";
    write(
        dir.path() / "drills" / "payloads" / "backlog.json",
        test::read_file(payload_dir() / "legacy-queue-backlog.json")
    );
    write(script, "[2026-11-20 06:16] webhook alertmanager payloads/backlog.json\n");

    const auto lines = read_script(script, today);

    ASSERT_EQ(lines.size(), 1U);
    const auto* webhook = std::get_if<ScriptWebhook>(&lines[0].event);
    ASSERT_NE(webhook, nullptr);
    EXPECT_EQ(webhook->path, dir.path() / "drills" / "payloads" / "backlog.json");
    EXPECT_EQ(read_webhook_payload(*webhook).group_key, R"({}:{alertname="QueueBacklog"})");
}

// ---- Mistakes, each naming its line ----------------------------------------------------------

TEST(Script, RefusesTimeGoingBackwardsNamingTheLine) {
    EXPECT_EQ(
        error_of("[10:00] alice: one\n\n[09:59] bob: two"),
        "line 3: time goes backwards (2026-11-18 09:59 is before 2026-11-18 10:00); give the "
        "date to cross midnight"
    );
}

TEST(Script, RefusesCrossingMidnightWithoutADate) {
    EXPECT_EQ(
        error_of("[2026-12-14 23:50] alice: one\n[00:10] bob: two"),
        "line 2: time goes backwards (2026-12-14 00:10 is before 2026-12-14 23:50); give the "
        "date to cross midnight"
    );
    EXPECT_EQ(error_of("[2026-12-14 23:50] alice: one\n[2026-12-15 00:10] bob: two"), "(accepted)");
}

TEST(Script, NamesTheLineOfEverySyntaxError) {
    struct Case {
        std::string line;
        std::string message;
    };

    const std::vector<Case> cases = {
        {"10:00 alice: no brackets", "a line starts with its time: [HH:MM] <user>: <text>"},
        {"[10:00 alice: unclosed", "the time stamp has no closing ']'"},
        {"[ten] alice: x", R"("[ten]" is not a time: write [HH:MM])"},
        {"[] alice: x", R"("[]" is not a time: write [HH:MM])"},
        {"[25:00] alice: x", R"("[25:00]" is not a time: write [HH:MM])"},
        {"[24:00] alice: x", R"("[24:00]" is not a time: write [HH:MM])"},
        {"[10:60] alice: x", R"("[10:60]" is not a time: write [HH:MM])"},
        {"[10:00:61] alice: x", R"("[10:00:61]" is not a time: write [HH:MM])"},
        {"[2026-02-30 10:00] alice: x",
         R"("[2026-02-30 10:00]" is not a time: write [YYYY-MM-DD HH:MM])"},
        {"[2026-11-18T10:00] alice: x",
         R"("[2026-11-18T10:00]" is not a time: write [YYYY-MM-DD HH:MM])"},
        {"[2026-11-18] alice: x", R"("[2026-11-18]" is not a time: write [YYYY-MM-DD HH:MM])"},
        {"[10:00]", "expected <user>: <text> after the time"},
        {"[10:00] alice has no colon", "expected <user>: <text> after the time"},
        {"[10:00] : nobody", "expected <user>: <text> after the time"},
        {"[10:00] alice:", "alice says nothing: write <user>: <text>"},
        {"[10:00] alice smith: hi", R"("alice smith" is not a user name: names have no spaces)"},
        {"[10:00] #ops", "a room is written #name and followed by <user>: <text>"},
        {"[10:00] # alice: hi", "a room is written #name and followed by <user>: <text>"},
        {"[10:00] webhook",
         "a webhook line names its source and payload file: webhook alertmanager <path>"},
        {"[10:00] webhook alertmanager",
         "a webhook line names a payload file: webhook alertmanager <path>"},
        {"[10:00] webhook grafana payments-firing.json",
         R"(webhook source "grafana" is not known; the console replays "alertmanager" payloads)"},
    };
    for (const auto& c : cases) {
        const auto script =
            "# header\n[2026-11-18 09:00] alice: fine\n" + c.line + "\n[11:00] bob: after";
        EXPECT_EQ(error_of(script), "line 3: " + c.message) << c.line;
    }
}

TEST(Script, RefusesMissingPayloadFileNamingTheLine) {
    const test::TempDir dir;
    EXPECT_EQ(
        error_of("[10:00] alice: one\n[10:01] webhook alertmanager nowhere.json", dir.path()),
        "line 2: " + (dir.path() / "nowhere.json").string() +
            ": cannot be read: No such file or directory"
    );
}

TEST(Script, RefusesPayloadsThatAreNotRegularFiles) {
    const test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "payloads");
    const auto fifo = dir.path() / "payload.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);

    // Neither read (a device never ends) nor waited on (a FIFO has no writer).
    EXPECT_EQ(
        error_of("[10:00] webhook alertmanager /dev/zero", dir.path()),
        "line 1: /dev/zero: not a regular file"
    );
    EXPECT_EQ(
        error_of("[10:00] webhook alertmanager /dev/urandom", dir.path()),
        "line 1: /dev/urandom: not a regular file"
    );
    EXPECT_EQ(
        error_of("[10:00] webhook alertmanager payload.fifo", dir.path()),
        "line 1: " + fifo.string() + ": not a regular file"
    );
    EXPECT_EQ(
        error_of("[10:00] webhook alertmanager payloads", dir.path()),
        "line 1: " + (dir.path() / "payloads").string() + ": is a directory"
    );
}

TEST(Script, RefusesPayloadLargerThanTheWebhookLimit) {
    const test::TempDir dir;
    const auto valid = test::read_file(payload_dir() / "payments-firing.json");
    // White space after the JSON keeps it valid: exactly at the limit it is read.
    write(
        dir.path() / "at-limit.json",
        valid + std::string(max_webhook_body_bytes - valid.size(), ' ')
    );
    write(
        dir.path() / "over.json",
        valid + std::string(max_webhook_body_bytes - valid.size() + 1, ' ')
    );

    EXPECT_EQ(error_of("[10:00] webhook alertmanager at-limit.json", dir.path()), "(accepted)");
    EXPECT_EQ(
        error_of("[10:00] webhook alertmanager over.json", dir.path()),
        "line 1: " + (dir.path() / "over.json").string() + ": larger than 1 MiB"
    );
}

TEST(Script, RefusesInvalidPayloadNamingTheLineAndTheProblem) {
    const test::TempDir dir;
    write(
        dir.path() / "v3.json", R"({"version":"3","groupKey":"x","status":"firing","alerts":[]})"
    );
    write(dir.path() / "cut.json", R"({"version":"4","groupKey":)");

    EXPECT_EQ(
        error_of("[10:00] alice: one\n[10:01] webhook alertmanager v3.json", dir.path()),
        "line 2: " + (dir.path() / "v3.json").string() +
            R"(: payload version "3" is not supported; sitrep reads Alertmanager's version "4")"
    );
    EXPECT_EQ(
        error_of("\n\n\n[10:01] webhook alertmanager cut.json", dir.path()),
        "line 4: " + (dir.path() / "cut.json").string() +
            ": malformed JSON at byte 26: incomplete JSON"
    );
}

TEST(Script, RefusesUnreadableScriptFile) {
    const test::TempDir dir;
    try {
        (void)read_script(dir.path() / "missing.script", today);
        FAIL() << "a missing script was read";
    } catch (const ScriptError& e) {
        EXPECT_EQ(
            std::string{e.what()},
            (dir.path() / "missing.script").string() + ": cannot be read: No such file or directory"
        );
    }
}

/// The message of the ScriptError read_script raises for `file`, or "(accepted)".
std::string read_error_of(const std::filesystem::path& file) {
    try {
        (void)read_script(file, today);
    } catch (const ScriptError& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(Script, RefusesScriptsThatAreNotRegularFiles) {
    const test::TempDir dir;
    const auto fifo = dir.path() / "script.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);

    EXPECT_EQ(read_error_of("/dev/zero"), "/dev/zero: not a regular file");
    EXPECT_EQ(read_error_of("/dev/urandom"), "/dev/urandom: not a regular file");
    EXPECT_EQ(read_error_of(fifo), fifo.string() + ": not a regular file");
    EXPECT_EQ(read_error_of(dir.path()), dir.path().string() + ": is a directory");
}

TEST(Script, RefusesScriptLargerThanSixteenMebibytes) {
    const test::TempDir dir;
    const auto script = dir.path() / "huge.script";
    write(script, "# " + std::string(max_script_bytes, 'x') + "\n");

    EXPECT_EQ(read_error_of(script), script.string() + ": larger than 16 MiB");
}

TEST(Script, NamesTheFileOfALineError) {
    const test::TempDir dir;
    const auto script = dir.path() / "bad.script";
    write(script, "[10:00] alice: fine\n[10:01] nobody\n");

    EXPECT_EQ(
        read_error_of(script), script.string() + ": line 2: expected <user>: <text> after the time"
    );
}

TEST(Script, SkipsAByteOrderMarkAtTheStart) {
    const test::TempDir dir;
    const auto script = dir.path() / "windows.script";
    write(
        script,
        "\xEF\xBB\xBF[2026-11-18 10:00] alice: /incident declare DB down\r\n[10:01] bob: hi\r\n"
    );

    const auto lines = read_script(script, today);

    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0].number, 1);
    EXPECT_EQ(lines[0].at, utc(2026, 11, 18, 10, 0));
    EXPECT_EQ(message_of(lines[0]).user, "alice");
    EXPECT_EQ(message_of(lines[0]).text, "/incident declare DB down");
}

// ---- Payloads are checked up front but held one at a time -----------------------------------

/// An Alertmanager body with `count` firing alerts: about 180 bytes of JSON each.
std::string payload_with_alerts(std::size_t count) {
    std::string alerts;
    for (std::size_t i = 0; i < count; ++i) {
        alerts += fmt::format(
            R"({}{{"status":"firing","labels":{{"alertname":"DiskFull","instance":"node-{:05}",)"
            R"("severity":"warning"}},"annotations":{{"summary":"disk {} is full"}},)"
            R"("startsAt":"2026-11-18T09:58:41Z"}})",
            i == 0 ? "" : ",",
            i,
            i
        );
    }
    return R"({"version":"4","groupKey":"{}:{alertname=\"DiskFull\"}","status":"firing",)"
           R"("receiver":"ops","commonLabels":{"alertname":"DiskFull"},"alerts":[)" +
           alerts + "]}";
}

/// Bytes the heap holds now, mapped blocks included.
std::size_t heap_in_use() {
    const auto info = ::mallinfo2();
    return info.uordblks + info.hblkhd;
}

TEST(Script, HoldsNoParsedPayloadAfterReadingTheScript) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer's allocator does not report to mallinfo2()";
#endif
    // A 200-line script replaying one large payload held 200 parsed copies of it (530 MB for a
    // 900 KB body of 5,000 alerts); the parsed script keeps only the paths.
    const test::TempDir dir;
    const auto body = payload_with_alerts(5000);
    ASSERT_LT(body.size(), max_webhook_body_bytes);
    write(dir.path() / "big.json", body);
    std::string text;
    for (int minute = 0; minute < 200; ++minute) {
        text += fmt::format(
            "[2026-11-18 {:02}:{:02}] webhook alertmanager big.json\n",
            10 + minute / 60,
            minute % 60
        );
    }
    write(dir.path() / "big.script", text);

    const auto before = heap_in_use();
    const auto lines = read_script(dir.path() / "big.script", today);
    const auto held = heap_in_use() - std::min(before, heap_in_use());

    ASSERT_EQ(lines.size(), 200U);
    EXPECT_LT(held, std::size_t{4} * 1024 * 1024) << "bytes held by the parsed script: " << held;
}

TEST(Script, ReadsThePayloadAsItIsWhenAskedAgain) {
    const test::TempDir dir;
    const auto payload = dir.path() / "alert.json";
    write(payload, test::read_file(payload_dir() / "legacy-queue-backlog.json"));
    write(dir.path() / "drill.script", "[10:00] webhook alertmanager alert.json\n");

    const auto lines = read_script(dir.path() / "drill.script", today);
    ASSERT_EQ(lines.size(), 1U);
    const auto& webhook = std::get<ScriptWebhook>(lines[0].event);

    write(payload, test::read_file(payload_dir() / "payments-firing.json"));
    EXPECT_EQ(read_webhook_payload(webhook).common_labels.at("service"), "payments");

    write(payload, R"({"version":"4",)");
    try {
        (void)read_webhook_payload(webhook);
        FAIL() << "a cut payload was read";
    } catch (const ScriptError& e) {
        EXPECT_EQ(
            std::string{e.what()}, payload.string() + ": malformed JSON at byte 15: incomplete JSON"
        );
    }
}

TEST(Script, SkipsAByteOrderMarkAtTheStartOfAPayload) {
    const test::TempDir dir;
    const auto payload = dir.path() / "windows.json";
    write(payload, "\xEF\xBB\xBF" + test::read_file(payload_dir() / "payments-firing.json"));

    ASSERT_EQ(error_of("[10:00] webhook alertmanager windows.json", dir.path()), "(accepted)");
    const auto lines = parse_script("[10:00] webhook alertmanager windows.json", dir.path(), today);
    EXPECT_EQ(read_webhook_payload(std::get<ScriptWebhook>(lines[0].event)).alerts.size(), 2U);
}

TEST(Script, RefusesAByteOrderMarkInsideAPayload) {
    // Only the first bytes of the file may be a mark; anywhere else it is not JSON.
    const test::TempDir dir;
    write(dir.path() / "twice.json", "\xEF\xBB\xBF\xEF\xBB\xBF{}");
    EXPECT_EQ(
        error_of("[10:00] webhook alertmanager twice.json", dir.path()),
        "line 1: " + (dir.path() / "twice.json").string() +
            ": malformed JSON at byte 0: syntax error"
    );
}

}  // namespace
}  // namespace sitrep::connectors
