// End to end: runs the built `sitrep` binary (SITREP_BINARY) as an operator would, on scripts
// and payloads written to a temporary folder, and reads back what it printed and wrote. There is
// no header under test here; the program is.

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/templates/markdown_tree.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace sitrep {
namespace {

using test::MarkdownNode;
using test::parse_markdown;
using test::section_blocks;
using test::table_cells;

/// Exit codes of `sitrep` (bot/main.cpp).
constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

const std::vector<std::string> postmortem_sections = {
    "Summary",
    "Impact",
    "Timeline",
    "Containment",
    "Root cause",
    "Contributing factors",
    "What went well",
    "What went wrong",
    "Prevention actions",
    "Lessons learned",
};

struct Result {
    int exit_code = -1;
    std::string out;
    std::string err;

    [[nodiscard]] std::vector<std::string> lines() const {
        std::vector<std::string> all;
        std::istringstream in{out};
        for (std::string line; std::getline(in, line);) {
            all.push_back(line);
        }
        return all;
    }

    /// Lines of stdout equal to `line`.
    [[nodiscard]] std::size_t count(const std::string& line) const {
        const auto all = lines();
        return static_cast<std::size_t>(std::count(all.begin(), all.end(), line));
    }

    /// The index of the first stdout line starting with `prefix`, or -1.
    [[nodiscard]] long find_prefix(const std::string& prefix) const {
        const auto all = lines();
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (all[i].rfind(prefix, 0) == 0) {
                return static_cast<long>(i);
            }
        }
        return -1;
    }

    [[nodiscard]] std::size_t count_prefix(const std::string& prefix) const {
        std::size_t n = 0;
        for (const auto& line : lines()) {
            n += line.rfind(prefix, 0) == 0 ? 1 : 0;
        }
        return n;
    }
};

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

/// A scratch folder with a data directory, scripts and payloads, and a way to run sitrep there.
class ConsoleReplayTest : public ::testing::Test {
protected:
    [[nodiscard]] std::filesystem::path data() const { return dir_.path() / "data"; }

    /// Copies one of the project's own payloads (tests/data/alertmanager) beside the scripts.
    void copy_payload(const std::string& name) {
        std::filesystem::create_directories(dir_.path() / "scripts");
        std::filesystem::copy_file(
            test::test_data_dir() / "alertmanager" / name,
            dir_.path() / "scripts" / name,
            std::filesystem::copy_options::overwrite_existing
        );
    }

    std::filesystem::path write_script(const std::string& name, const std::string& text) {
        const auto path = dir_.path() / "scripts" / name;
        write_file(path, text);
        return path;
    }

    /// Runs `sitrep <args>` with stdin closed, capturing stdout, stderr and the exit code.
    Result sitrep(const std::vector<std::string>& args) {
        const auto run = std::to_string(++runs_);
        const auto out = dir_.path() / ("stdout-" + run);
        const auto err = dir_.path() / ("stderr-" + run);

        std::string command = shell_quoted(SITREP_BINARY);
        for (const auto& arg : args) {
            command += " " + shell_quoted(arg);
        }
        command +=
            " </dev/null >" + shell_quoted(out.string()) + " 2>" + shell_quoted(err.string());

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

    [[nodiscard]] std::string postmortem(const std::string& name) const {
        return test::read_file(data() / "incidents" / (name + ".md"));
    }

    test::TempDir dir_;
    int runs_ = 0;
};

// ---- Reading the postmortem back -------------------------------------------------------------

std::vector<std::string> headings(const MarkdownNode& document, int level) {
    std::vector<std::string> texts;
    for (const MarkdownNode* heading : document.children_of_type("heading")) {
        if (heading->heading_level == level) {
            texts.push_back(heading->text());
        }
    }
    return texts;
}

/// The value of the summary table's row with this label.
std::string summary_row(const MarkdownNode& document, const std::string& label) {
    const auto tables = document.children_of_type("table");
    if (tables.empty()) {
        return "(no table)";
    }
    for (const auto& row : table_cells(*tables.front())) {
        if (row.size() == 2 && row[0] == label) {
            return row[1];
        }
    }
    return "(no row " + label + ")";
}

std::vector<std::string> item_texts(const MarkdownNode& list) {
    std::vector<std::string> texts;
    for (const MarkdownNode& item : list.children) {
        texts.push_back(item.text());
    }
    return texts;
}

/// The items of the lists in a section, in order.
std::vector<std::string> section_items(const MarkdownNode& document, const std::string& section) {
    std::vector<std::string> items;
    for (const MarkdownNode* block : section_blocks(document, section)) {
        if (block->type == "list") {
            const auto texts = item_texts(*block);
            items.insert(items.end(), texts.begin(), texts.end());
        }
    }
    return items;
}

/// The text of a section's paragraphs, in order.
std::vector<std::string> section_paragraphs(
    const MarkdownNode& document, const std::string& section
) {
    std::vector<std::string> texts;
    for (const MarkdownNode* block : section_blocks(document, section)) {
        if (block->type == "paragraph") {
            texts.push_back(block->text());
        }
    }
    return texts;
}

/// The timeline as "date" -> entries, one pair per `###` day heading.
std::vector<std::pair<std::string, std::vector<std::string>>> timeline_days(
    const MarkdownNode& document
) {
    std::vector<std::pair<std::string, std::vector<std::string>>> days;
    for (const MarkdownNode* block : section_blocks(document, "Timeline")) {
        if (block->type == "heading" && block->heading_level == 3) {
            days.emplace_back(block->text(), std::vector<std::string>{});
        } else if (block->type == "list" && !days.empty()) {
            days.back().second = item_texts(*block);
        }
    }
    return days;
}

/// True when `expected` appear in `all` in this order (others may come between).
::testing::AssertionResult in_order(
    const std::vector<std::string>& all, const std::vector<std::string>& expected
) {
    auto from = all.begin();
    for (const auto& wanted : expected) {
        const auto found = std::find(from, all.end(), wanted);
        if (found == all.end()) {
            std::string listing;
            for (const auto& item : all) {
                listing += "\n  " + item;
            }
            return ::testing::AssertionFailure()
                   << "missing or out of order: \"" << wanted << "\" in:" << listing;
        }
        from = found + 1;
    }
    return ::testing::AssertionSuccess();
}

// ---- A whole incident, from the alert to the postmortem --------------------------------------

const std::string payments_room = "#inc-payments-latency-high-payments-p99";
const std::string payments_file = "INCIDENT-2026-11-18-payments-latency-high-payments-p99";

class FullIncidentTest : public ConsoleReplayTest {
protected:
    void SetUp() override {
        for (const auto* name :
             {"payments-firing.json",
              "payments-repeat.json",
              "payments-new-alert.json",
              "payments-partly-resolved.json",
              "payments-resolved.json"}) {
            copy_payload(name);
        }
        script_ = write_script(
            "payments.script",
            "# The payments latency incident, from the first alert to the postmortem.\n"
            "[2026-11-18 10:00] webhook alertmanager payments-firing.json\n"
            "[10:01] alice: /incident contain rollback before anyone triaged\n"
            "[10:02] alice: /incident triage P1 payments slow for ~40% of charges\n"
            "[10:03] webhook alertmanager payments-repeat.json\n"
            "[10:05] bob: looking at the dashboards now\n"
            "[10:08] alice: /incident contain rollback rolled back payments-api to v2.14.1\n"
            "[10:09] webhook alertmanager payments-new-alert.json\n"
            "[10:12] alice: /incident contained p99 back to 210ms on the dashboard\n"
            "[10:13] carol: /incident security pass no data access involved\n"
            "[10:20] webhook alertmanager payments-partly-resolved.json\n"
            "[10:21] bob: /incident rca connection pool of the card vault shrank to 4 after the "
            "config push\n"
            "[10:22] bob: /incident factor pool size was not validated by the config linter\n"
            "[10:22] bob: /incident factor the config push skipped the canary stage\n"
            "[10:23] alice: /incident impact 38% of card charges took over 2 s for 14 minutes\n"
            "[10:24] bob: /incident action Validate pool sizes | reject values < 16 owner=@bob "
            "due=2026-12-01 priority=P2\n"
            "[10:24] alice: /incident action canary config pushes owner=@dave due=2026-12-15\n"
            "[10:25] alice: /incident went-well rollback took 4 minutes\n"
            "[10:26] alice: /incident went-wrong the alert paged only after 6 minutes\n"
            "[10:27] alice: /incident lesson config pushes need canaries too\n"
            "[10:35] webhook alertmanager payments-resolved.json\n"
            "[10:40] alice: /incident resolve pool size restored and guarded\n"
            "[10:41] alice: /incident close\n"
        );
        result_ = replay(script_);
    }

    [[nodiscard]] std::string said(const std::string& when, const std::string& text) const {
        return "[" + when + "] " + payments_room + " sitrep: " + text;
    }

    std::filesystem::path script_;
    Result result_;
};

TEST_F(FullIncidentTest, ExitsCleanly) {
    EXPECT_EQ(result_.exit_code, exit_ok) << result_.err;
    EXPECT_EQ(result_.err, "");
}

TEST_F(FullIncidentTest, OpensTheIncidentRoomFromTheAlert) {
    EXPECT_EQ(
        result_.count(
            "[10:00] #ops sitrep: INC-1 opened: \"PaymentsLatencyHigh: Payments p99 latency above "
            "800ms\" — join " +
            payments_room
        ),
        1U
    );
    EXPECT_EQ(
        result_.count(said(
            "10:00",
            "INC-1 declared by alertmanager: PaymentsLatencyHigh: Payments p99 latency above "
            "800ms"
        )),
        1U
    );
    EXPECT_GE(result_.find_prefix("  Suggested from the alert: P1 (severity=critical)"), 0);
    EXPECT_GE(
        result_.find_prefix("  alertmanager: 2 alerts firing — Payments p99 latency above 800ms"), 0
    );
}

TEST_F(FullIncidentTest, RefusesAStepBeforeTriage) {
    EXPECT_GE(
        result_.find_prefix(
            said("10:01", "Refused: triage comes before anything else (INC-1 is not triaged yet).")
        ),
        0
    ) << result_.out;
}

TEST_F(FullIncidentTest, PrintsEachStatusLineInItsFixedForm) {
    EXPECT_EQ(result_.count(said("10:02", "TRIAGE: P1 — payments slow for ~40% of charges")), 1U);
    EXPECT_EQ(result_.count(said("10:12", "CONTAINED: rollback — 10:12")), 1U);
    EXPECT_EQ(result_.count(said("10:13", "SECURITY: PASS — no data access involved")), 1U);
    EXPECT_EQ(result_.count(said("10:40", "RESOLVED — 10:40")), 1U);
    EXPECT_EQ(result_.count(said("10:41", "INC-1 closed by alice. The postmortem follows.")), 1U);

    // In that order, each after what led to it.
    const auto triage = result_.find_prefix(said("10:02", "TRIAGE:"));
    const auto contained = result_.find_prefix(said("10:12", "CONTAINED:"));
    const auto security = result_.find_prefix(said("10:13", "SECURITY:"));
    const auto resolved = result_.find_prefix(said("10:40", "RESOLVED"));
    EXPECT_LT(triage, contained);
    EXPECT_LT(contained, security);
    EXPECT_LT(security, resolved);
}

TEST_F(FullIncidentTest, TellsAlertChangesButNotRepeats) {
    EXPECT_EQ(result_.count_prefix("[10:03]"), 0U);  // the repeat
    EXPECT_EQ(
        result_.count(
            said("10:09", "alertmanager: 1 alert firing — Payments p99 latency above 800ms")
        ),
        1U
    );
    EXPECT_EQ(
        result_.count(said("10:20", "alertmanager: 1 resolved — Payments p99 latency above 800ms")),
        1U
    );
    EXPECT_EQ(
        result_.count(
            "    resolved: PaymentsLatencyHigh (instance=payments-api-1:8443) (resolved at 10:21)"
        ),
        1U
    );
    EXPECT_EQ(
        result_.count(said(
            "10:35",
            "alertmanager: 2 resolved, the whole group is resolved — Payments p99 latency above "
            "800ms"
        )),
        1U
    );
    EXPECT_EQ(result_.count("    The incident stays open: it closes through its gates."), 1U);
}

TEST_F(FullIncidentTest, PostsThePostmortemFileWhole) {
    const auto content = postmortem(payments_file);
    EXPECT_EQ(
        result_.count(said(
            "10:41",
            "posted file " + payments_file + ".md (" + std::to_string(content.size()) + " bytes):"
        )),
        1U
    );
    EXPECT_NE(result_.out.find(content + "[end of " + payments_file + ".md]\n"), std::string::npos);
}

TEST_F(FullIncidentTest, WritesThePostmortemSectionsInOrder) {
    const auto document = parse_markdown(postmortem(payments_file));

    EXPECT_EQ(
        headings(document, 1),
        std::vector<std::string>{
            "Postmortem: PaymentsLatencyHigh: Payments p99 latency above 800ms"}
    );
    EXPECT_EQ(headings(document, 2), postmortem_sections);
}

TEST_F(FullIncidentTest, WritesTheSummaryTable) {
    const auto document = parse_markdown(postmortem(payments_file));

    EXPECT_EQ(summary_row(document, "Reference"), payments_file);
    EXPECT_EQ(
        summary_row(document, "Severity"),
        "P1 — Critical - a core service is down or data is at risk for many users"
    );
    EXPECT_EQ(summary_row(document, "Started"), "2026-11-18 10:00 UTC");
    EXPECT_EQ(summary_row(document, "Ended"), "2026-11-18 10:40 UTC");
    EXPECT_EQ(summary_row(document, "Duration"), "40 min");
    EXPECT_EQ(summary_row(document, "Time zone"), "UTC");
    EXPECT_EQ(summary_row(document, "State"), "CLOSED");
    EXPECT_EQ(summary_row(document, "Declared by"), "alertmanager");
    EXPECT_EQ(
        summary_row(document, "Containment deadline"), "15 min — held: contained after 12 min"
    );
    EXPECT_EQ(summary_row(document, "Security check"), "PASS — no data access involved");
    EXPECT_EQ(
        section_paragraphs(document, "Summary"),
        std::vector<std::string>{"pool size restored and guarded"}
    );
    EXPECT_EQ(
        section_paragraphs(document, "Impact"),
        (std::vector<std::string>{
            "Stated at triage: payments slow for ~40% of charges",
            "38% of card charges took over 2 s for 14 minutes",
        })
    );
}

TEST_F(FullIncidentTest, WritesTheTimelineOfKeyEvents) {
    const auto document = parse_markdown(postmortem(payments_file));
    EXPECT_EQ(section_paragraphs(document, "Timeline").front(), "Times are in UTC.");

    const auto days = timeline_days(document);
    ASSERT_EQ(days.size(), 1U);
    EXPECT_EQ(days[0].first, "2026-11-18");
    EXPECT_TRUE(in_order(
        days[0].second,
        {
            "10:00 INC-1 declared by alertmanager: PaymentsLatencyHigh: Payments p99 latency "
            "above 800ms",
            "10:02 TRIAGE: P1 — payments slow for ~40% of charges",
            "10:08 Containment under way: rollback — rolled back payments-api to v2.14.1 (by "
            "alice)",
            "10:10 Reminder: INC-1 (P1) must be contained by 10:15, in 5 min. Next: `/incident "
            "contained "
            "<evidence>` once it holds, or `/incident failed <what was tried>`",
            "10:12 CONTAINED: rollback — 10:12",
            "10:13 SECURITY: PASS — no data access involved",
            "10:20 alertmanager: 1 resolved — Payments p99 latency above 800ms",
            "10:21 Root cause recorded by bob: connection pool of the card vault shrank to 4 "
            "after the config push",
            "10:40 RESOLVED — 10:40",
            "10:41 INC-1 closed by alice. The postmortem follows.",
        }
    ));
    // Chat and refusals are in the transcript, not in the postmortem's timeline.
    for (const auto& entry : days[0].second) {
        EXPECT_EQ(entry.find("looking at the dashboards"), std::string::npos) << entry;
        EXPECT_EQ(entry.find("Refused"), std::string::npos) << entry;
    }
}

TEST_F(FullIncidentTest, WritesTheContainmentTable) {
    const auto document = parse_markdown(postmortem(payments_file));
    const auto blocks = section_blocks(document, "Containment");
    ASSERT_EQ(blocks.size(), 1U);
    ASSERT_EQ(blocks[0]->type, "table");

    EXPECT_EQ(
        table_cells(*blocks[0]),
        (std::vector<std::vector<std::string>>{
            {"Started", "Strategy", "What was done", "By", "Outcome"},
            {"10:08",
             "rollback",
             "rolled back payments-api to v2.14.1",
             "alice",
             "verified by alice: p99 back to 210ms on the dashboard"},
        })
    );
}

TEST_F(FullIncidentTest, KeepsEachActionInItsFourCells) {
    const auto document = parse_markdown(postmortem(payments_file));
    const auto blocks = section_blocks(document, "Prevention actions");
    ASSERT_EQ(blocks.size(), 1U);
    ASSERT_EQ(blocks[0]->type, "table");

    const auto rows = table_cells(*blocks[0]);
    ASSERT_EQ(rows.size(), 3U);
    for (const auto& row : rows) {
        EXPECT_EQ(row.size(), 4U);
    }
    EXPECT_EQ(rows[0], (std::vector<std::string>{"Action", "Owner", "Due", "Priority"}));
    EXPECT_EQ(
        rows[1],
        (std::vector<std::string>{
            "Validate pool sizes | reject values < 16", "@bob", "2026-12-01", "P2"})
    );
    EXPECT_EQ(
        rows[2], (std::vector<std::string>{"canary config pushes", "@dave", "2026-12-15", "P1"})
    );
}

TEST_F(FullIncidentTest, WritesRootCauseFactorsAndLessons) {
    const auto document = parse_markdown(postmortem(payments_file));

    EXPECT_EQ(
        section_paragraphs(document, "Root cause"),
        std::vector<std::string>{
            "connection pool of the card vault shrank to 4 after the config push"}
    );
    EXPECT_EQ(
        section_items(document, "Contributing factors"),
        (std::vector<std::string>{
            "pool size was not validated by the config linter",
            "the config push skipped the canary stage",
        })
    );
    EXPECT_EQ(
        section_items(document, "What went well"),
        std::vector<std::string>{"rollback took 4 minutes"}
    );
    EXPECT_EQ(
        section_items(document, "What went wrong"),
        std::vector<std::string>{"the alert paged only after 6 minutes"}
    );
    EXPECT_EQ(
        section_items(document, "Lessons learned"),
        std::vector<std::string>{"config pushes need canaries too"}
    );
}

TEST_F(FullIncidentTest, WritesTheDecisionRecordWithItsAuthors) {
    const auto path = data() / "adr" / (payments_file + ".md");
    ASSERT_TRUE(std::filesystem::exists(path));
    const auto document = parse_markdown(test::read_file(path));

    // Each decision is a `###` heading followed by a list: When, By, Context.
    std::vector<std::string> decisions;
    const auto blocks = section_blocks(document, "Decisions");
    for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
        if (blocks[i]->type == "heading" && blocks[i + 1]->type == "list") {
            const auto items = item_texts(*blocks[i + 1]);
            const auto item_starting = [&](std::string_view prefix) {
                const auto found = std::find_if(items.begin(), items.end(), [&](const auto& item) {
                    return item.rfind(prefix, 0) == 0;
                });
                return found == items.end() ? std::string{"(none)"} : *found;
            };
            decisions.push_back(
                blocks[i]->text() + " / " + item_starting("By: ") + " / " +
                item_starting("Context: ")
            );
        }
    }
    EXPECT_TRUE(in_order(
        decisions,
        {
            "2. triage: severity P1 by alice / By: alice / Context: payments slow for ~40% of "
            "charges",
            "3. containment: strategy rollback by alice / By: alice / Context: rolled back "
            "payments-api to v2.14.1",
            "4. containment: verified manually by alice / By: alice / Context: p99 back to 210ms "
            "on the dashboard",
            "5. security: PASS by carol / By: carol / Context: no data access involved",
        }
    )) << ::testing::PrintToString(decisions);
}

TEST_F(FullIncidentTest, ListsTheClosedIncident) {
    const auto listing = sitrep({"incidents", "--data-dir", data().string()});
    ASSERT_EQ(listing.exit_code, exit_ok) << listing.err;
    const auto lines = listing.lines();
    ASSERT_EQ(lines.size(), 1U) << listing.out;
    EXPECT_EQ(lines[0].rfind("INC-1", 0), 0U) << lines[0];
    EXPECT_NE(lines[0].find("CLOSED"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("P1"), std::string::npos) << lines[0];

    const auto timeline = sitrep({"timeline", "INC-1", "--data-dir", data().string()});
    ASSERT_EQ(timeline.exit_code, exit_ok) << timeline.err;
    EXPECT_EQ(timeline.count("2026-11-18 10:05 message  bob: looking at the dashboards now"), 1U)
        << timeline.out;
}

// ---- A script with a mistake ------------------------------------------------------------------

TEST_F(ConsoleReplayTest, RefusesScriptWithSyntaxErrorBeforeWritingAnything) {
    const auto script = write_script(
        "broken.script",
        "[2026-11-18 10:00] alice: /incident declare Ledger settlement stuck\n"
        "[10:01] alice: /incident triage P2 settlements late\n"
        "\n"
        "[10:02] alice /incident contain rollback missing colon\n"
    );

    const auto result = replay(script);

    EXPECT_EQ(result.exit_code, exit_usage);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(
        result.err,
        "sitrep: " + script.string() + ": line 4: expected <user>: <text> after the time\n"
    );
    EXPECT_FALSE(std::filesystem::exists(data() / "sitrep.db"));
}

TEST_F(ConsoleReplayTest, LeavesAnExistingDatabaseUntouchedOnSyntaxError) {
    const auto good =
        write_script("good.script", "[2026-11-18 09:00] alice: /incident declare Search errors\n");
    ASSERT_EQ(replay(good).exit_code, exit_ok);

    const auto bad = write_script(
        "bad.script",
        "[2026-11-18 10:00] alice: /incident declare Ledger settlement stuck\n"
        "[09:59] alice: /incident triage P2 time goes backwards here\n"
    );
    const auto result = replay(bad);

    EXPECT_EQ(result.exit_code, exit_usage);
    EXPECT_NE(result.err.find(": line 2: time goes backwards"), std::string::npos) << result.err;
    const auto listing = sitrep({"incidents", "--data-dir", data().string()});
    ASSERT_EQ(listing.lines().size(), 1U) << listing.out;
    EXPECT_NE(listing.out.find("Search errors"), std::string::npos);
}

TEST_F(ConsoleReplayTest, RefusesScriptWithAMissingPayloadNamingTheLine) {
    const auto script = write_script(
        "missing.script", "# one comment\n[2026-11-18 10:00] webhook alertmanager not-there.json\n"
    );

    const auto result = replay(script);

    EXPECT_EQ(result.exit_code, exit_usage);
    EXPECT_EQ(
        result.err,
        "sitrep: " + script.string() + ": line 2: " +
            (script.parent_path() / "not-there.json").string() +
            ": cannot be read: No such file or directory\n"
    );
}

// ---- Deadlines in simulated time -------------------------------------------------------------

const std::string ledger_room = "#inc-ledger-settlement-stuck";

const std::string ledger_rest =
    "[10:35] alice: /incident contained queue depth falling, settlements posting again\n"
    "[10:36] alice: /incident security pass internal queue only\n"
    "[10:40] bob: /incident rca retry storm after the bank API timeout change\n"
    "[10:41] bob: /incident factor retries had no jitter\n"
    "[10:42] alice: /incident impact settlements delayed 35 minutes for all merchants\n"
    "[10:43] bob: /incident action add jitter to settlement retries owner=@bob due=2026-11-25\n"
    "[10:45] alice: /incident resolve retries paced\n"
    "[10:46] alice: /incident close\n";

TEST_F(ConsoleReplayTest, PostsReminderAndBreachAtTheirOwnSimulatedTimes) {
    const auto script = write_script(
        "ledger.script",
        "[2026-11-18 10:00] alice: /incident declare Ledger settlement stuck\n"
        "[10:00] alice: /incident triage P1 settlements not posting for all merchants\n"
        "[10:30] alice: /incident contain rate-limit paused the settlement retry storm\n" +
            ledger_rest
    );

    const auto result = replay(script);
    ASSERT_EQ(result.exit_code, exit_ok) << result.err;

    const auto reminder = result.find_prefix(
        "[10:10] " + ledger_room +
        " sitrep: Reminder: INC-1 (P1) must be contained by 10:15, in 5 min."
    );
    const auto breach = result.find_prefix(
        "[10:15] " + ledger_room +
        " sitrep: DEADLINE BREACHED: INC-1 (P1) was to be contained by "
        "10:15, 15 min after the declaration. Escalating to @incident-lead."
    );
    const auto next_line =
        result.find_prefix("[10:30] " + ledger_room + " sitrep: Containment under way");
    ASSERT_GE(reminder, 0) << result.out;
    ASSERT_GE(breach, 0) << result.out;
    EXPECT_LT(reminder, breach);
    EXPECT_LT(breach, next_line);
    EXPECT_EQ(result.count_prefix("[10:15] " + ledger_room + " sitrep: DEADLINE BREACHED"), 1U);
    EXPECT_EQ(
        result.count(
            "[10:35] " + ledger_room +
            " sitrep: Verified manually by alice: queue depth falling, "
            "settlements posting again. Containment deadline missed: contained after 35 min, 20 "
            "min "
            "past the deadline."
        ),
        1U
    );

    const auto document = parse_markdown(postmortem("INCIDENT-2026-11-18-ledger-settlement-stuck"));
    EXPECT_EQ(
        summary_row(document, "Containment deadline"),
        "15 min — missed: contained after 35 min, 20 min past the deadline"
    );
    const auto days = timeline_days(document);
    ASSERT_EQ(days.size(), 1U);
    EXPECT_TRUE(in_order(
        days[0].second,
        {
            "10:00 TRIAGE: P1 — settlements not posting for all merchants",
            "10:10 Reminder: INC-1 (P1) must be contained by 10:15, in 5 min. Next: `/incident "
            "contain "
            "<rollback|feature-flag|traffic-shift|scale-up|rate-limit|manual> <what was done>`",
            "10:15 DEADLINE BREACHED: INC-1 (P1) was to be contained by 10:15, 15 min after the "
            "declaration. Escalating to @incident-lead. Next: `/incident contain "
            "<rollback|feature-flag|traffic-shift|scale-up|rate-limit|manual> <what was done>`",
            "10:30 Containment under way: rate-limit — paused the settlement retry storm (by "
            "alice)",
            "10:35 CONTAINED: rate-limit — 10:35",
        }
    ));
}

// ---- Resuming after a restart ----------------------------------------------------------------

TEST_F(ConsoleReplayTest, ResumesTheDeadlineInASecondProcess) {
    const auto first = write_script(
        "first.script",
        "[2026-11-18 10:00] alice: /incident declare Ledger settlement stuck\n"
        "[10:00] alice: /incident triage P1 settlements not posting for all merchants\n"
        "[10:05] bob: checking the queue\n"
    );
    const auto second = write_script(
        "second.script",
        "[2026-11-18 10:20] " + ledger_room +
            " alice: /incident contain rate-limit paused the settlement retry storm\n" + ledger_rest
    );

    const auto before = replay(first);
    ASSERT_EQ(before.exit_code, exit_ok) << before.err;
    EXPECT_EQ(before.count_prefix("[10:10]"), 0U);

    const auto after = replay(second);
    ASSERT_EQ(after.exit_code, exit_ok) << after.err;

    // The breach fell due while no sitrep ran: it is posted once, when the second one starts;
    // the reminder it overtook is moot.
    EXPECT_EQ(
        after.count_prefix("[10:20] " + ledger_room + " sitrep: DEADLINE BREACHED: INC-1 (P1)"), 1U
    ) << after.out;
    EXPECT_EQ(after.out.find("Reminder:"), std::string::npos) << after.out;
    EXPECT_LT(
        after.find_prefix("[10:20] " + ledger_room + " sitrep: DEADLINE BREACHED"),
        after.find_prefix("[10:20] " + ledger_room + " sitrep: Containment under way")
    );
    EXPECT_EQ(
        after.count(
            "[10:46] " + ledger_room + " sitrep: INC-1 closed by alice. The postmortem follows."
        ),
        1U
    );

    const auto document = parse_markdown(postmortem("INCIDENT-2026-11-18-ledger-settlement-stuck"));
    EXPECT_EQ(summary_row(document, "State"), "CLOSED");
    EXPECT_EQ(
        summary_row(document, "Containment deadline"),
        "15 min — missed: contained after 35 min, 20 min past the deadline"
    );
    const auto days = timeline_days(document);
    ASSERT_EQ(days.size(), 1U);
    const auto breaches =
        std::count_if(days[0].second.begin(), days[0].second.end(), [](const auto& entry) {
            return entry.find("DEADLINE BREACHED") != std::string::npos;
        });
    EXPECT_EQ(breaches, 1);
}

// ---- Local time ------------------------------------------------------------------------------

TEST_F(ConsoleReplayTest, ShowsLocalTimesOfTheConfiguredZone) {
    write_file(dir_.path() / "berlin.yaml", "timezone: Europe/Berlin\n");
    const auto script = write_script(
        "vault.script",
        "[2026-12-14 10:00] alice: /incident declare Card vault latency\n"
        "[10:05] alice: /incident triage P2 card vault slow for some merchants\n"
        "[10:20] alice: /incident contain scale-up added two vault replicas\n"
        "[10:40] alice: /incident contained p99 back under 300 ms\n"
        "[10:45] alice: /incident security pass no access changes\n"
        "[22:50] bob: /incident rca vault replicas were undersized after the migration\n"
        "[22:55] bob: /incident factor capacity plan used last year's traffic\n"
        "[23:10] alice: /incident impact 12% of card payments slower than 2 s for 40 minutes\n"
        "[23:15] bob: /incident action resize vault replicas from the new traffic model owner=@bob "
        "due=2026-12-21\n"
        "[23:30] alice: /incident resolve vault resized\n"
        "[23:35] alice: /incident close\n"
    );

    const auto result = replay(script, {"--config", (dir_.path() / "berlin.yaml").string()});
    ASSERT_EQ(result.exit_code, exit_ok) << result.err;

    // Script and console stamps stay UTC; what sitrep says is in Berlin time (UTC+1 in December).
    const std::string room = "#inc-card-vault-latency";
    EXPECT_EQ(result.count("[10:40] " + room + " sitrep: CONTAINED: scale-up — 11:40"), 1U)
        << result.out;
    EXPECT_EQ(result.count("[23:30] " + room + " sitrep: RESOLVED — 00:30"), 1U) << result.out;
    EXPECT_GE(
        result.find_prefix(
            "[10:05] " + room +
            " sitrep: Contain before investigating: stop the impact first, the "
            "root cause comes later. Containment deadline: 12:00 (1 h after the declaration)."
        ),
        0
    ) << result.out;

    const auto document = parse_markdown(postmortem("INCIDENT-2026-12-14-card-vault-latency"));
    EXPECT_EQ(summary_row(document, "Time zone"), "Europe/Berlin");
    EXPECT_EQ(summary_row(document, "Started"), "2026-12-14 11:00 CET");
    EXPECT_EQ(summary_row(document, "Ended"), "2026-12-15 00:30 CET");
    EXPECT_EQ(summary_row(document, "Duration"), "13 h 30 min");
    EXPECT_EQ(section_paragraphs(document, "Timeline").front(), "Times are in Europe/Berlin.");

    // The timeline crosses local midnight: each date heads its own entries.
    const auto days = timeline_days(document);
    ASSERT_EQ(days.size(), 2U);
    EXPECT_EQ(days[0].first, "2026-12-14");
    EXPECT_EQ(days[1].first, "2026-12-15");
    EXPECT_TRUE(in_order(
        days[0].second,
        {
            "11:00 INC-1 declared by alice: Card vault latency",
            "11:05 TRIAGE: P2 — card vault slow for some merchants",
            "11:40 CONTAINED: scale-up — 11:40",
            "23:50 Root cause recorded by bob: vault replicas were undersized after the migration",
        }
    ));
    EXPECT_EQ(
        days[1].second,
        (std::vector<std::string>{
            "00:30 RESOLVED — 00:30",
            "00:35 INC-1 closed by alice. The postmortem follows.",
        })
    );
}

// ---- One sitrep per data directory -----------------------------------------------------------

/// An interactive `sitrep console` whose standard input and output are pipes held by the test.
class InteractiveSitrep {
public:
    InteractiveSitrep(const std::vector<std::string>& args, const std::filesystem::path& err_file) {
        int to_child[2];
        int from_child[2];
        if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
            throw std::runtime_error("pipe2 failed");
        }

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
        posix_spawn_file_actions_addopen(
            &actions, STDERR_FILENO, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644
        );

        std::vector<std::string> argv_text{SITREP_BINARY};
        argv_text.insert(argv_text.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& arg : argv_text) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);

        const int spawned =
            ::posix_spawn(&pid_, SITREP_BINARY, &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(to_child[0]);
        ::close(from_child[1]);
        input_ = to_child[1];
        output_ = from_child[0];
        if (spawned != 0) {
            pid_ = -1;
            throw std::runtime_error("posix_spawn failed");
        }
    }

    InteractiveSitrep(const InteractiveSitrep&) = delete;
    InteractiveSitrep& operator=(const InteractiveSitrep&) = delete;

    ~InteractiveSitrep() {
        if (pid_ > 0) {
            (void)finish();
        }
        if (output_ >= 0) {
            ::close(output_);
        }
    }

    void type(const std::string& line) {
        const std::string text = line + "\n";
        ASSERT_EQ(::write(input_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    }

    /// Reads its output until `text` appears; false if it ended first.
    bool wait_for(const std::string& text) {
        char buffer[4096];
        while (seen_.find(text) == std::string::npos) {
            const auto n = ::read(output_, buffer, sizeof buffer);
            if (n <= 0) {
                return false;
            }
            seen_.append(buffer, static_cast<std::size_t>(n));
        }
        return true;
    }

    /// Ends its input and waits for it to exit; returns the exit code.
    int finish() {
        if (input_ >= 0) {
            ::close(input_);
            input_ = -1;
        }
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    [[nodiscard]] const std::string& seen() const { return seen_; }

private:
    pid_t pid_ = -1;
    int input_ = -1;
    int output_ = -1;
    std::string seen_;
};

TEST_F(ConsoleReplayTest, RefusesASecondSitrepOnTheSameDataDirectory) {
    std::signal(SIGPIPE, SIG_IGN);  // a console that died must fail the test, not end it
    const auto script =
        write_script("one.script", "[2026-11-18 10:00] alice: /incident declare Search errors\n");

    InteractiveSitrep running{
        {"console", "--data-dir", data().string(), "--user", "alice"},
        dir_.path() / "interactive.err"};
    // Once it answers, it holds the data directory's lock.
    running.type("/incident status");
    ASSERT_TRUE(running.wait_for("No incident is open.")) << running.seen();

    const auto second = replay(script);
    EXPECT_EQ(second.exit_code, exit_failure);
    EXPECT_NE(
        second.err.find("sitrep: another sitrep is running on " + data().string()),
        std::string::npos
    ) << second.err;
    EXPECT_EQ(second.out, "");

    EXPECT_EQ(running.finish(), exit_ok);

    // The lock goes with the process.
    const auto third = replay(script);
    EXPECT_EQ(third.exit_code, exit_ok) << third.err;
}

}  // namespace
}  // namespace sitrep
