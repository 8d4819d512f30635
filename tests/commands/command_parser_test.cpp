#include "commands/command_parser.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace sitrep::commands {
namespace {

using std::chrono::year;
using std::chrono::year_month_day;

const Grammar& grammar() {
    static const Grammar configured{{"P1", "P2", "P3"}, {"rollback", "feature-flag", "failover"}};
    return configured;
}

// The command of type T parsed from the text; nullopt (and a test failure) otherwise.
template <typename T>
std::optional<T> parsed(std::string_view text, const Grammar& with = grammar()) {
    const auto result = parse_command(text, with);
    if (!result) {
        ADD_FAILURE() << "not a command: " << text;
        return std::nullopt;
    }
    if (!result->ok()) {
        ADD_FAILURE() << "rejected: " << text << "\n  error: " << result->error().message;
        return std::nullopt;
    }
    const auto* command = std::get_if<T>(&result->command());
    if (command == nullptr) {
        ADD_FAILURE() << "parsed as another command: " << text;
        return std::nullopt;
    }
    return *command;
}

// The error for the text; nullopt (and a test failure) when it parses or is not a command.
std::optional<CommandError> rejected(std::string_view text, const Grammar& with = grammar()) {
    const auto result = parse_command(text, with);
    if (!result) {
        ADD_FAILURE() << "not a command: " << text;
        return std::nullopt;
    }
    if (result->ok()) {
        ADD_FAILURE() << "accepted: " << text;
        return std::nullopt;
    }
    return result->error();
}

void expect_error(
    std::string_view text,
    std::optional<Verb> verb,
    std::string_view message,
    std::string_view usage_line
) {
    // Long inputs would flood the failure report; their start identifies them.
    SCOPED_TRACE(text.substr(0, 100));
    const auto error = rejected(text);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->verb, verb);
    EXPECT_EQ(error->message, message);
    EXPECT_EQ(error->usage, usage_line);
}

constexpr std::string_view all_verbs_usage =
    "/incident <verb> [arguments]; verbs: declare, triage, contain, contained, verify, failed, "
    "security, rca, factor, action, impact, went-well, went-wrong, lesson, resolve, close, role, "
    "status, timeline, help";

constexpr std::string_view action_usage =
    "/incident action <text> owner=@<user> due=<YYYY-MM-DD> [priority=<severity>]";

// ---- Addressing -------------------------------------------------------------------------------

TEST(IsCommand, AcceptsBothPrefixesInAnyCase) {
    EXPECT_TRUE(is_command("/incident status"));
    EXPECT_TRUE(is_command("!incident status"));
    EXPECT_TRUE(is_command("/INCIDENT status"));
    EXPECT_TRUE(is_command("!InCiDeNt status"));
}

TEST(IsCommand, AcceptsLeadingWhiteSpaceAndAnySeparator) {
    EXPECT_TRUE(is_command("  \t/incident status"));
    EXPECT_TRUE(is_command("\n!incident\tstatus"));
    EXPECT_TRUE(is_command("/incident\nstatus"));
}

TEST(IsCommand, AcceptsBarePrefix) {
    EXPECT_TRUE(is_command("/incident"));
    EXPECT_TRUE(is_command("  !incident  "));
}

TEST(IsCommand, RejectsOrdinaryChat) {
    for (const auto* text :
         {"",
          "   ",
          "hello",
          "incident status",
          "/incidents foo",
          "!incidentx",
          "/incident-status",
          "/incident.",
          "/ incident status",
          "//incident status",
          "hello /incident status",
          "/incidentstatus",
          "#incident status"}) {
        EXPECT_FALSE(is_command(text)) << text;
        EXPECT_FALSE(parse_command(text, grammar()).has_value()) << text;
    }
}

TEST(IsCommand, RejectsPrefixFollowedByNulByte) {
    const std::string text("/incident\0status", 16);

    EXPECT_FALSE(is_command(text));
    EXPECT_FALSE(parse_command(text, grammar()).has_value());
}

TEST(CommandParser, AnswersBarePrefixWithHelpOverview) {
    for (const auto* text : {"/incident", "/incident   ", "!incident\n"}) {
        const auto help = parsed<Help>(text);
        ASSERT_TRUE(help.has_value()) << text;
        EXPECT_EQ(help->topic, "") << text;
    }
}

TEST(CommandParser, ReadsVerbsInAnyCase) {
    const auto triage = parsed<Triage>("/incident TRIAGE p2 login down");
    ASSERT_TRUE(triage.has_value());
    EXPECT_EQ(triage->severity, "P2");

    const auto note = parsed<Note>("!INCIDENT Went-Well paging was fast");
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->field, NoteField::went_well);
    EXPECT_EQ(note->text, "paging was fast");
}

TEST(CommandParser, ReadsQuotedVerb) {
    EXPECT_TRUE(parsed<Status>("/incident \"status\"").has_value());
}

// ---- Unknown verbs ----------------------------------------------------------------------------

TEST(CommandParser, RejectsUnknownVerbWithVerbList) {
    expect_error(
        "/incident frobnicate now", std::nullopt, "unknown verb frobnicate", all_verbs_usage
    );
}

TEST(CommandParser, SuggestsCloseVerbForTypo) {
    expect_error(
        "/incident triag P2 x",
        std::nullopt,
        "unknown verb triag; did you mean triage?",
        all_verbs_usage
    );
    expect_error(
        "/incident STATSU",
        std::nullopt,
        "unknown verb STATSU; did you mean status?",
        all_verbs_usage
    );
}

TEST(CommandParser, RejectsUndocumentedSpellingsWithSuggestion) {
    expect_error(
        "/incident went_well x",
        std::nullopt,
        "unknown verb went_well; did you mean went-well?",
        all_verbs_usage
    );
    expect_error(
        "/incident wentwrong x",
        std::nullopt,
        "unknown verb wentwrong; did you mean went-wrong?",
        all_verbs_usage
    );
}

TEST(SuggestVerb, SuggestsNearestVerbOnly) {
    EXPECT_EQ(suggest_verb("rc"), Verb::rca);
    EXPECT_EQ(suggest_verb("HLEP"), Verb::help);
    EXPECT_EQ(suggest_verb("contianed"), Verb::contained);
    EXPECT_EQ(suggest_verb("x"), std::nullopt);
    EXPECT_EQ(suggest_verb("ab"), std::nullopt);
    EXPECT_EQ(suggest_verb(""), std::nullopt);
    EXPECT_EQ(suggest_verb("frobnicate"), std::nullopt);
    EXPECT_EQ(suggest_verb(std::string(1000, 'a')), std::nullopt);
}

TEST(VerbsUsage, ListsEveryVerb) {
    EXPECT_EQ(verbs_usage(), all_verbs_usage);
}

// ---- declare ----------------------------------------------------------------------------------

TEST(CommandParser, ReadsDeclareTitleVerbatim) {
    const auto declare = parsed<Declare>("/incident declare   Login \"API\"  returns 503s  ");

    ASSERT_TRUE(declare.has_value());
    EXPECT_EQ(declare->title, "Login \"API\"  returns 503s");
}

TEST(CommandParser, UnquotesDeclareTitleGivenAsOneQuotedWord) {
    const auto declare = parsed<Declare>("/incident declare \"Login down\"");

    ASSERT_TRUE(declare.has_value());
    EXPECT_EQ(declare->title, "Login down");
}

TEST(CommandParser, AppliesEscapesInQuotedTitle) {
    const auto declare = parsed<Declare>(R"(/incident declare "say \"hi\" to C:\\temp")");

    ASSERT_TRUE(declare.has_value());
    EXPECT_EQ(declare->title, R"(say "hi" to C:\temp)");
}

TEST(CommandParser, RejectsDeclareWithoutTitle) {
    const std::string_view usage_line = "/incident declare <title>";

    expect_error("/incident declare", Verb::declare, "missing <title>", usage_line);
    expect_error("/incident declare   ", Verb::declare, "missing <title>", usage_line);
    expect_error("/incident declare \"\"", Verb::declare, "missing <title>", usage_line);
}

TEST(CommandParser, AcceptsTitleAtLimit) {
    const std::string title(max_title_bytes, 't');
    const auto declare = parsed<Declare>("/incident declare " + title);

    ASSERT_TRUE(declare.has_value());
    EXPECT_EQ(declare->title, title);
}

TEST(CommandParser, RejectsTitleOverLimit) {
    expect_error(
        "/incident declare " + std::string(201, 't'),
        Verb::declare,
        "<title> is too long: 201 bytes, the limit is 200",
        "/incident declare <title>"
    );
}

// ---- triage -----------------------------------------------------------------------------------

TEST(CommandParser, ReadsTriageWithCanonicalSeverity) {
    const auto triage = parsed<Triage>("/incident triage p2 login returns 503 for ~30% of users");

    ASSERT_TRUE(triage.has_value());
    EXPECT_EQ(triage->severity, "P2");
    EXPECT_EQ(triage->impact, "login returns 503 for ~30% of users");
}

TEST(CommandParser, ReadsQuotedSeverity) {
    const auto triage = parsed<Triage>("/incident triage \"p3\" slow search");

    ASSERT_TRUE(triage.has_value());
    EXPECT_EQ(triage->severity, "P3");
    EXPECT_EQ(triage->impact, "slow search");
}

TEST(CommandParser, UnquotesImpactGivenAsOneQuotedWord) {
    const auto triage = parsed<Triage>("/incident triage P1 \"login 503s\"");

    ASSERT_TRUE(triage.has_value());
    EXPECT_EQ(triage->impact, "login 503s");
}

TEST(CommandParser, KeepsQuotesInImpactProse) {
    const auto triage = parsed<Triage>("/incident triage P1 the \"login\" page 503s");

    ASSERT_TRUE(triage.has_value());
    EXPECT_EQ(triage->impact, "the \"login\" page 503s");
}

TEST(CommandParser, RejectsTriageWithMissingArguments) {
    const std::string_view usage_line = "/incident triage <severity> <impact>";

    expect_error("/incident triage", Verb::triage, "missing <severity>", usage_line);
    expect_error("/incident triage P2", Verb::triage, "missing <impact>", usage_line);
    expect_error("/incident triage P2 ''", Verb::triage, "missing <impact>", usage_line);
}

TEST(CommandParser, RejectsUnknownSeverity) {
    expect_error(
        "/incident triage P5 login down",
        Verb::triage,
        "unknown severity P5; choose P1, P2 or P3",
        "/incident triage <severity> <impact>"
    );
    expect_error(
        "/incident triage high login down",
        Verb::triage,
        "unknown severity high; choose P1, P2 or P3",
        "/incident triage <severity> <impact>"
    );
}

TEST(CommandParser, RejectsSeverityWhenNoneConfigured) {
    const auto error = rejected("/incident triage P1 login down", Grammar{});

    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->message, "unknown severity P1; none are configured");
}

TEST(CommandParser, RejectsImpactOverLimit) {
    expect_error(
        "/incident triage P1 " + std::string(max_free_text_bytes + 1, 'i'),
        Verb::triage,
        "<impact> is too long: 4001 bytes, the limit is 4000",
        "/incident triage <severity> <impact>"
    );
}

// ---- contain, contained, verify, failed -------------------------------------------------------

TEST(CommandParser, ReadsContainWithCanonicalStrategy) {
    const auto contain = parsed<Contain>("/incident contain ROLLBACK reverted deploy #4521");

    ASSERT_TRUE(contain.has_value());
    EXPECT_EQ(contain->strategy, "rollback");
    EXPECT_EQ(contain->what, "reverted deploy #4521");
}

TEST(CommandParser, ReadsHyphenatedStrategy) {
    const auto contain = parsed<Contain>("/incident contain Feature-Flag 'new-login off'");

    ASSERT_TRUE(contain.has_value());
    EXPECT_EQ(contain->strategy, "feature-flag");
    EXPECT_EQ(contain->what, "new-login off");
}

TEST(CommandParser, RejectsContainWithMissingArguments) {
    const std::string_view usage_line = "/incident contain <strategy> <what was done>";

    expect_error("/incident contain", Verb::contain, "missing <strategy>", usage_line);
    expect_error(
        "/incident contain rollback", Verb::contain, "missing <what was done>", usage_line
    );
}

TEST(CommandParser, RejectsUnknownStrategy) {
    expect_error(
        "/incident contain restart the pods",
        Verb::contain,
        "unknown strategy restart; choose rollback, feature-flag or failover",
        "/incident contain <strategy> <what was done>"
    );
}

TEST(CommandParser, ReadsContainedWithoutEvidence) {
    const auto contained = parsed<Contained>("/incident contained");

    ASSERT_TRUE(contained.has_value());
    EXPECT_EQ(contained->evidence, "");
}

TEST(CommandParser, ReadsContainedEvidenceVerbatim) {
    const auto contained =
        parsed<Contained>("/incident contained errors at 0.1%  (https://grafana/d/x?a=1&b=\"2\")");

    ASSERT_TRUE(contained.has_value());
    EXPECT_EQ(contained->evidence, "errors at 0.1%  (https://grafana/d/x?a=1&b=\"2\")");
}

TEST(CommandParser, RejectsEvidenceOverLimit) {
    expect_error(
        "/incident contained " + std::string(max_free_text_bytes + 1, 'e'),
        Verb::contained,
        "[evidence] is too long: 4001 bytes, the limit is 4000",
        "/incident contained [evidence]"
    );
}

TEST(CommandParser, ReadsVerbsWithoutArguments) {
    EXPECT_TRUE(parsed<Verify>("/incident verify").has_value());
    EXPECT_TRUE(parsed<Close>("/incident close ").has_value());
    EXPECT_TRUE(parsed<Status>("!incident STATUS").has_value());
    EXPECT_TRUE(parsed<Timeline>("/incident timeline").has_value());
}

TEST(CommandParser, RejectsArgumentsForVerbsWithoutArguments) {
    expect_error(
        "/incident verify looks good",
        Verb::verify,
        "verify takes no arguments; found looks good",
        "/incident verify"
    );
    expect_error(
        "/incident close now", Verb::close, "close takes no arguments; found now", "/incident close"
    );
    expect_error(
        "/incident status x", Verb::status, "status takes no arguments; found x", "/incident status"
    );
    expect_error(
        "/incident timeline all",
        Verb::timeline,
        "timeline takes no arguments; found all",
        "/incident timeline"
    );
}

TEST(CommandParser, ReadsFailed) {
    const auto failed = parsed<Failed>("/incident failed rollback didn't help, errors at 40%");

    ASSERT_TRUE(failed.has_value());
    EXPECT_EQ(failed->what, "rollback didn't help, errors at 40%");
}

TEST(CommandParser, RejectsFailedWithoutText) {
    expect_error(
        "/incident failed",
        Verb::failed,
        "missing <what was tried>",
        "/incident failed <what was tried>"
    );
}

// ---- security ---------------------------------------------------------------------------------

TEST(CommandParser, ReadsEachSecurityVerdictInAnyCase) {
    const std::vector<std::pair<std::string, SecurityVerdict>> cases{
        {"/incident security pass", SecurityVerdict::pass},
        {"/incident security WARN", SecurityVerdict::warn},
        {"/incident security Block", SecurityVerdict::block},
    };
    for (const auto& [text, verdict] : cases) {
        const auto security = parsed<Security>(text);
        ASSERT_TRUE(security.has_value()) << text;
        EXPECT_EQ(security->verdict, verdict) << text;
        EXPECT_EQ(security->note, "") << text;
    }
}

TEST(CommandParser, ReadsSecurityNote) {
    const auto quoted = parsed<Security>("/incident security warn \u201Ctokens were logged\u201D");
    ASSERT_TRUE(quoted.has_value());
    EXPECT_EQ(quoted->note, "tokens were logged");

    const auto prose = parsed<Security>("/incident security block creds in \"debug\" logs");
    ASSERT_TRUE(prose.has_value());
    EXPECT_EQ(prose->verdict, SecurityVerdict::block);
    EXPECT_EQ(prose->note, "creds in \"debug\" logs");
}

TEST(CommandParser, RejectsSecurityWithoutVerdict) {
    expect_error(
        "/incident security",
        Verb::security,
        "missing <pass|warn|block>",
        "/incident security <pass|warn|block> [note]"
    );
}

TEST(CommandParser, RejectsUnknownVerdict) {
    expect_error(
        "/incident security maybe",
        Verb::security,
        "unknown verdict maybe; choose pass, warn or block",
        "/incident security <pass|warn|block> [note]"
    );
}

// ---- postmortem notes -------------------------------------------------------------------------

TEST(CommandParser, ReadsEveryNoteVerb) {
    const std::vector<std::pair<std::string, NoteField>> cases{
        {"rca", NoteField::root_cause},
        {"factor", NoteField::factor},
        {"impact", NoteField::impact},
        {"went-well", NoteField::went_well},
        {"went-wrong", NoteField::went_wrong},
        {"lesson", NoteField::lesson},
    };
    for (const auto& [verb, field] : cases) {
        const auto note = parsed<Note>("/incident " + verb + " some  text");
        ASSERT_TRUE(note.has_value()) << verb;
        EXPECT_EQ(note->field, field) << verb;
        EXPECT_EQ(note->text, "some  text") << verb;
    }
}

TEST(CommandParser, KeepsQuotesInRootCauseProse) {
    const auto note = parsed<Note>("/incident rca the \"cache\" was stale");

    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, "the \"cache\" was stale");
}

TEST(CommandParser, KeepsApostrophesInProse) {
    const auto note = parsed<Note>("/incident rca the cache's TTL wasn't reset");

    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, "the cache's TTL wasn't reset");
}

TEST(CommandParser, KeepsQuoteFollowedByTextInProse) {
    const auto note = parsed<Note>("/incident factor \"cache\"'s TTL was 0");

    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, "\"cache\"'s TTL was 0");
}

TEST(CommandParser, KeepsLineBreaksInProse) {
    const auto note = parsed<Note>("/incident lesson first line\n\n  second line\n");

    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, "first line\n\n  second line");
}

TEST(CommandParser, UnquotesEveryQuoteKindForOneQuotedWord) {
    for (const auto* text :
         {"/incident impact \"login 503s\"",
          "/incident impact 'login 503s'",
          "/incident impact \u201Clogin 503s\u201D",
          "/incident impact \u2018login 503s\u2019"}) {
        const auto note = parsed<Note>(text);
        ASSERT_TRUE(note.has_value()) << text;
        EXPECT_EQ(note->text, "login 503s") << text;
    }
}

TEST(CommandParser, RejectsNoteVerbsWithoutText) {
    expect_error("/incident rca", Verb::rca, "missing <root cause>", "/incident rca <root cause>");
    expect_error("/incident factor", Verb::factor, "missing <text>", "/incident factor <text>");
    expect_error("/incident impact", Verb::impact, "missing <text>", "/incident impact <text>");
    expect_error(
        "/incident went-well", Verb::went_well, "missing <text>", "/incident went-well <text>"
    );
    expect_error(
        "/incident went-wrong", Verb::went_wrong, "missing <text>", "/incident went-wrong <text>"
    );
    expect_error(
        "/incident lesson \u201C\u201D", Verb::lesson, "missing <text>", "/incident lesson <text>"
    );
}

TEST(CommandParser, AcceptsNoteAtLimit) {
    const std::string text(max_free_text_bytes, 'n');
    const auto note = parsed<Note>("/incident rca " + text);

    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, text);
}

TEST(CommandParser, RejectsNoteOverLimit) {
    expect_error(
        "/incident rca " + std::string(max_free_text_bytes + 1, 'n'),
        Verb::rca,
        "<root cause> is too long: 4001 bytes, the limit is 4000",
        "/incident rca <root cause>"
    );
}

// ---- action -----------------------------------------------------------------------------------

TEST(CommandParser, ReadsActionWithAllKeys) {
    const auto action = parsed<AddAction>(
        "/incident action add cache TTL alert owner=@alice due=2026-03-31 priority=p2"
    );

    ASSERT_TRUE(action.has_value());
    EXPECT_EQ(action->text, "add cache TTL alert");
    EXPECT_EQ(action->owner, "@alice");
    EXPECT_EQ(action->due, year_month_day(year{2026} / 3 / 31));
    EXPECT_EQ(action->priority, "P2");
}

TEST(CommandParser, LeavesActionPriorityEmptyWhenNotGiven) {
    const auto action = parsed<AddAction>("/incident action add alert owner=@bob due=2026-01-05");

    ASSERT_TRUE(action.has_value());
    EXPECT_EQ(action->priority, "");
}

TEST(CommandParser, ReadsActionKeysAnywhere) {
    const auto action = parsed<AddAction>(
        "/incident action owner=@bob add  alert due=2026-01-05 on \"cache\" TTL priority=P3"
    );

    ASSERT_TRUE(action.has_value());
    EXPECT_EQ(action->text, "add  alert on \"cache\" TTL");
    EXPECT_EQ(action->owner, "@bob");
    EXPECT_EQ(action->due, year_month_day(year{2026} / 1 / 5));
    EXPECT_EQ(action->priority, "P3");
}

TEST(CommandParser, ReadsActionKeysInAnyCase) {
    const auto action =
        parsed<AddAction>("/incident action OWNER=@bob Due=2026-01-05 Priority=p1 x");

    ASSERT_TRUE(action.has_value());
    EXPECT_EQ(action->owner, "@bob");
    EXPECT_EQ(action->priority, "P1");
    EXPECT_EQ(action->text, "x");
}

TEST(CommandParser, UnquotesActionTextGivenAsOneQuotedWord) {
    const auto action =
        parsed<AddAction>("/incident action owner=@a \u201Cadd \\\"x\\\" alert\u201D due=2026-01-05"
        );

    ASSERT_TRUE(action.has_value());
    EXPECT_EQ(action->text, "add \"x\" alert");
}

TEST(CommandParser, TreatsOtherKeyValueWordsAsActionText) {
    const auto action =
        parsed<AddAction>("/incident action set ttl=300 on cache owner=@a due=2026-01-05 team=sre");

    ASSERT_TRUE(action.has_value());
    EXPECT_EQ(action->text, "set ttl=300 on cache team=sre");
}

TEST(CommandParser, TreatsQuotedKeyWordAsActionText) {
    const auto action =
        parsed<AddAction>("/incident action \"owner=@x\" is wrong owner=@a due=2026-01-05");

    ASSERT_TRUE(action.has_value());
    EXPECT_EQ(action->text, "\"owner=@x\" is wrong");
    EXPECT_EQ(action->owner, "@a");
}

TEST(CommandParser, AcceptsSlackAndMatrixMentionsAsOwner) {
    const auto slack = parsed<AddAction>("/incident action x owner=<@U123ABC> due=2026-01-05");
    ASSERT_TRUE(slack.has_value());
    EXPECT_EQ(slack->owner, "<@U123ABC>");

    const auto matrix =
        parsed<AddAction>("/incident action x owner=@alice:example.org due=2026-01-05");
    ASSERT_TRUE(matrix.has_value());
    EXPECT_EQ(matrix->owner, "@alice:example.org");
}

TEST(CommandParser, RejectsRepeatedActionKey) {
    expect_error(
        "/incident action x owner=@a due=2026-01-05 owner=@b",
        Verb::action,
        "owner= is given twice; give it once",
        action_usage
    );
    expect_error(
        "/incident action x owner=@a due=2026-01-05 DUE=2026-01-06",
        Verb::action,
        "due= is given twice; give it once",
        action_usage
    );
    expect_error(
        "/incident action x owner=@a due=2026-01-05 priority=P1 priority=P1",
        Verb::action,
        "priority= is given twice; give it once",
        action_usage
    );
}

TEST(CommandParser, RejectsActionWithoutText) {
    expect_error("/incident action", Verb::action, "missing <text>", action_usage);
    expect_error(
        "/incident action owner=@a due=2026-01-05", Verb::action, "missing <text>", action_usage
    );
}

TEST(CommandParser, RejectsActionWithoutOwner) {
    expect_error(
        "/incident action x due=2026-01-05", Verb::action, "missing owner=@<user>", action_usage
    );
}

TEST(CommandParser, RejectsActionOwnerThatIsNoMention) {
    expect_error(
        "/incident action x owner=alice due=2026-01-05",
        Verb::action,
        "owner alice is not a mention; write owner=@<user>",
        action_usage
    );
    expect_error(
        "/incident action x owner=@ due=2026-01-05",
        Verb::action,
        "owner @ is not a mention; write owner=@<user>",
        action_usage
    );
    expect_error(
        "/incident action x owner=<@> due=2026-01-05",
        Verb::action,
        "owner <@> is not a mention; write owner=@<user>",
        action_usage
    );
    expect_error(
        "/incident action x owner=<@U123 due=2026-01-05",
        Verb::action,
        "owner <@U123 is not a mention; write owner=@<user>",
        action_usage
    );
    expect_error(
        "/incident action x owner= due=2026-01-05",
        Verb::action,
        "owner= has no value; write owner=@<user>",
        action_usage
    );
}

TEST(CommandParser, RejectsOverlongMention) {
    const std::string mention = "@" + std::string(max_mention_bytes, 'm');
    const auto error = rejected("/incident action x owner=" + mention + " due=2026-01-05");

    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(
        error->message,
        "owner @" + std::string(39, 'm') + "\u2026 is not a mention; write owner=@<user>"
    );
}

TEST(CommandParser, RejectsActionWithoutDue) {
    expect_error(
        "/incident action x owner=@a", Verb::action, "missing due=<YYYY-MM-DD>", action_usage
    );
}

TEST(CommandParser, RejectsDueDatesThatAreNotCalendarDates) {
    for (const auto* date :
         {"2026-02-30",
          "2026-02-29",
          "2026-13-01",
          "2026-00-10",
          "2026-01-00",
          "2026-04-31",
          "2026-01-32"}) {
        expect_error(
            std::string("/incident action x owner=@a due=") + date,
            Verb::action,
            std::string("due date ") + date + " is not a calendar date; write it as YYYY-MM-DD",
            action_usage
        );
    }
}

TEST(CommandParser, RejectsDueDatesInOtherShapes) {
    for (const auto* date :
         {"2026-1-5",
          "26-01-05",
          "2026/01/05",
          "2026-01-05T10:00",
          "20260105",
          "tomorrow",
          "2026-01-5",
          "+2026-01-05",
          "2026-01-0x",
          "\uFF12\uFF10\uFF12\uFF16-01-05"}) {
        expect_error(
            std::string("/incident action x owner=@a due=") + date,
            Verb::action,
            std::string("due date ") + date + " is not in the form YYYY-MM-DD",
            action_usage
        );
    }
}

TEST(CommandParser, RejectsEmptyDueDate) {
    expect_error(
        "/incident action x owner=@a due=",
        Verb::action,
        "due= has no value; write due=<YYYY-MM-DD>",
        action_usage
    );
}

TEST(CommandParser, AcceptsLeapDay) {
    const auto action = parsed<AddAction>("/incident action x owner=@a due=2028-02-29");

    ASSERT_TRUE(action.has_value());
    EXPECT_EQ(action->due, year_month_day(year{2028} / 2 / 29));
}

TEST(CommandParser, RejectsUnknownActionPriority) {
    expect_error(
        "/incident action x owner=@a due=2026-01-05 priority=P9",
        Verb::action,
        "unknown priority P9; choose P1, P2 or P3",
        action_usage
    );
    expect_error(
        "/incident action x owner=@a due=2026-01-05 priority=",
        Verb::action,
        "priority= has no value; choose P1, P2 or P3",
        action_usage
    );
}

TEST(CommandParser, RejectsActionTextOverLimit) {
    expect_error(
        "/incident action " + std::string(max_free_text_bytes + 1, 'a') +
            " owner=@a due=2026-01-05",
        Verb::action,
        "<text> is too long: 4001 bytes, the limit is 4000",
        action_usage
    );
}

// ---- resolve, role, help ----------------------------------------------------------------------

TEST(CommandParser, ReadsResolveSummary) {
    const auto resolve = parsed<Resolve>("/incident resolve rolled back; TTL fixed in #4530");

    ASSERT_TRUE(resolve.has_value());
    EXPECT_EQ(resolve->summary, "rolled back; TTL fixed in #4530");
}

TEST(CommandParser, RejectsResolveWithoutSummary) {
    expect_error(
        "/incident resolve", Verb::resolve, "missing <summary>", "/incident resolve <summary>"
    );
}

TEST(CommandParser, ReadsEachRole) {
    const std::vector<std::tuple<std::string, Role, std::string>> cases{
        {"/incident role Commander @alice", Role::commander, "@alice"},
        {"/incident role scribe @bob:example.org", Role::scribe, "@bob:example.org"},
        {"/incident role COMMS <@U42>", Role::comms, "<@U42>"},
    };
    for (const auto& [text, role, user] : cases) {
        const auto assigned = parsed<AssignRole>(text);
        ASSERT_TRUE(assigned.has_value()) << text;
        EXPECT_EQ(assigned->role, role) << text;
        EXPECT_EQ(assigned->user, user) << text;
    }
}

TEST(CommandParser, RejectsRoleWithBadArguments) {
    const std::string_view usage_line = "/incident role <commander|scribe|comms> @<user>";

    expect_error("/incident role", Verb::role, "missing <commander|scribe|comms>", usage_line);
    expect_error(
        "/incident role boss @alice",
        Verb::role,
        "unknown role boss; choose commander, scribe or comms",
        usage_line
    );
    expect_error("/incident role scribe", Verb::role, "missing @<user>", usage_line);
    expect_error(
        "/incident role scribe alice",
        Verb::role,
        "alice is not a mention; write @<user>",
        usage_line
    );
    expect_error(
        "/incident role scribe @alice please",
        Verb::role,
        "unexpected text after the user: please",
        usage_line
    );
}

TEST(CommandParser, ReadsHelpWithAndWithoutTopic) {
    const auto overview = parsed<Help>("/incident help");
    ASSERT_TRUE(overview.has_value());
    EXPECT_EQ(overview->topic, "");

    const auto topic = parsed<Help>("/incident HELP Went-Well");
    ASSERT_TRUE(topic.has_value());
    EXPECT_EQ(topic->topic, "went-well");

    const auto unknown = parsed<Help>("/incident help Frobnicate more words");
    ASSERT_TRUE(unknown.has_value());
    EXPECT_EQ(unknown->topic, "Frobnicate");
}

// ---- quoting errors and hostile input ---------------------------------------------------------

TEST(CommandParser, RejectsUnclosedQuoteWithVerbUsage) {
    expect_error(
        "/incident triage P2 \"login 503s",
        Verb::triage,
        "unclosed quote; close it or remove it",
        "/incident triage <severity> <impact>"
    );
    expect_error(
        "/incident rca the '90s config",
        Verb::rca,
        "unclosed quote; close it or remove it",
        "/incident rca <root cause>"
    );
    expect_error(
        "/incident declare \u201Clogin down",
        Verb::declare,
        "unclosed quote; close it or remove it",
        "/incident declare <title>"
    );
}

TEST(CommandParser, RejectsUnclosedQuoteInVerbWithVerbList) {
    expect_error(
        "/incident \"triage P2 x",
        std::nullopt,
        "unclosed quote; close it or remove it",
        all_verbs_usage
    );
    expect_error(
        "/incident '", std::nullopt, "unclosed quote; close it or remove it", all_verbs_usage
    );
}

TEST(CommandParser, ReportsUnknownVerbBeforeUnclosedQuote) {
    expect_error("/incident frob \"x", std::nullopt, "unknown verb frob", all_verbs_usage);
}

TEST(CommandParser, ReadsTitleMadeOfQuotesOnly) {
    const auto declare = parsed<Declare>("/incident declare \"\"\"\"");

    ASSERT_TRUE(declare.has_value());
    EXPECT_EQ(declare->title, "\"\"\"\"");
}

TEST(CommandParser, PassesNulBytesThroughInText) {
    const auto note = parsed<Note>(std::string("/incident rca a\0b", 17));

    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, std::string("a\0b", 3));
}

TEST(CommandParser, ReplacesControlBytesWhenEchoingVerb) {
    expect_error(
        std::string("/incident st\0tus", 16),
        std::nullopt,
        "unknown verb st?tus; did you mean status?",
        all_verbs_usage
    );
}

TEST(CommandParser, ShortensVeryLongUnknownVerb) {
    expect_error(
        "/incident " + std::string(10'000, 'x'),
        std::nullopt,
        "unknown verb " + std::string(40, 'x') + "\u2026",
        all_verbs_usage
    );
}

TEST(CommandParser, ShortensEchoOnUtf8Boundary) {
    std::string verb = "a";
    for (int i = 0; i < 30; ++i) {
        verb += "\u00E9";
    }
    std::string expected = "unknown verb a";
    for (int i = 0; i < 19; ++i) {
        expected += "\u00E9";
    }

    expect_error("/incident " + verb, std::nullopt, expected + "\u2026", all_verbs_usage);
}

TEST(CommandParser, RejectsCommandOverOverallLimit) {
    const std::string text(max_command_bytes, 'r');

    expect_error(
        "/incident rca " + text,
        Verb::rca,
        "the command is too long: 16389 bytes, the limit is 16384",
        "/incident rca <root cause>"
    );
    expect_error(
        "/incident nonsense " + text,
        std::nullopt,
        "the command is too long: 16394 bytes, the limit is 16384",
        all_verbs_usage
    );
}

TEST(CommandParser, SurvivesHostileInput) {
    const std::vector<std::string> inputs{
        "/incident " + std::string(max_command_bytes - 1, '"'),
        "/incident " + std::string(max_command_bytes - 1, '\''),
        "/incident rca " + std::string(max_command_bytes - 5, '\\'),
        "/incident action " + std::string(4000, '='),
        "/incident action owner=" + std::string(8000, '@') + " due=2026-01-05 x",
        std::string("/incident \0\0\0", 13),
        "/incident \xE2\x80\x9C",
        "/incident rca \xFF\xFE\xFD",
        "/incident triage \xE2\x80",
    };
    for (const auto& input : inputs) {
        EXPECT_TRUE(parse_command(input, grammar()).has_value());
    }
}

TEST(CommandParser, PassesUtf8Through) {
    const auto declare = parsed<Declare>(
        "/incident declare \U0001F525 Anmeldung f\u00E4llt aus \u2014 \u65E5\u672C\u8A9E"
    );
    ASSERT_TRUE(declare.has_value());
    EXPECT_EQ(declare->title, "\U0001F525 Anmeldung f\u00E4llt aus \u2014 \u65E5\u672C\u8A9E");

    const auto note = parsed<Note>("/incident impact \u201C\u30ED\u30B0\u30A4\u30F3\u201D");
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, "\u30ED\u30B0\u30A4\u30F3");
}

TEST(CommandParser, PassesInvalidUtf8Through) {
    const auto note = parsed<Note>("/incident rca \xFF\xFE bad \xC3");

    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, "\xFF\xFE bad \xC3");
}

// ---- blank text --------------------------------------------------------------------------------

// Every blank a chat client or a paste can put in a line: ASCII white space, Unicode's spaces
// and the invisible zero-width characters.
const std::vector<std::string> blanks{
    " ",
    "\t",
    "\u00A0",
    "\u1680",
    "\u2000",
    "\u2005",
    "\u200A",
    "\u200B",
    "\u200C",
    "\u200D",
    "\u202F",
    "\u205F",
    "\u3000",
    "\uFEFF",
};

// The blank typed bare, quoted in each quote kind, and repeated with mixed blanks.
std::vector<std::string> blank_spellings(const std::string& blank) {
    return {
        blank,
        "\"" + blank + "\"",
        "'" + blank + "'",
        "\u201C" + blank + "\u201D",
        "\u2018" + blank + "\u2019",
        blank + " \u00A0" + blank + "\u200B",
        "\"" + blank + "\" '\u3000'",
    };
}

TEST(CommandParser, TreatsBlankRequiredTextAsMissing) {
    // Each required text, as the verb's command line before the text and the error.
    const std::vector<std::tuple<std::string, Verb, std::string, std::string>> cases{
        {"declare", Verb::declare, "missing <title>", "/incident declare <title>"},
        {"triage P2", Verb::triage, "missing <impact>", "/incident triage <severity> <impact>"},
        {"contain rollback",
         Verb::contain,
         "missing <what was done>",
         "/incident contain <strategy> <what was done>"},
        {"failed", Verb::failed, "missing <what was tried>", "/incident failed <what was tried>"},
        {"rca", Verb::rca, "missing <root cause>", "/incident rca <root cause>"},
        {"factor", Verb::factor, "missing <text>", "/incident factor <text>"},
        {"impact", Verb::impact, "missing <text>", "/incident impact <text>"},
        {"went-well", Verb::went_well, "missing <text>", "/incident went-well <text>"},
        {"went-wrong", Verb::went_wrong, "missing <text>", "/incident went-wrong <text>"},
        {"lesson", Verb::lesson, "missing <text>", "/incident lesson <text>"},
        {"resolve", Verb::resolve, "missing <summary>", "/incident resolve <summary>"},
    };
    for (const auto& blank : blanks) {
        for (const auto& spelling : blank_spellings(blank)) {
            for (const auto& [line, verb, message, usage_line] : cases) {
                expect_error("/incident " + line + " " + spelling, verb, message, usage_line);
            }
        }
    }
}

TEST(CommandParser, TreatsBlankActionTextAsMissing) {
    for (const auto& blank : blanks) {
        for (const auto& spelling : blank_spellings(blank)) {
            expect_error(
                "/incident action " + spelling + " owner=@b due=2026-12-01",
                Verb::action,
                "missing <text>",
                action_usage
            );
            expect_error(
                "/incident action owner=@b " + spelling + " due=2026-12-01 " + spelling,
                Verb::action,
                "missing <text>",
                action_usage
            );
        }
    }
}

TEST(CommandParser, EmptiesBlankOptionalText) {
    for (const auto& blank : blanks) {
        for (const auto& spelling : blank_spellings(blank)) {
            SCOPED_TRACE(spelling);
            const auto contained = parsed<Contained>("/incident contained " + spelling);
            ASSERT_TRUE(contained.has_value());
            EXPECT_EQ(contained->evidence, "");

            const auto security = parsed<Security>("/incident security warn " + spelling);
            ASSERT_TRUE(security.has_value());
            EXPECT_EQ(security->note, "");
        }
    }
}

TEST(CommandParser, TrimsBlanksAtBothEndsOfFreeText) {
    const auto note = parsed<Note>("/incident rca \u00A0\u200B cache  TTL \u3000\uFEFF");
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, "cache  TTL");

    const auto quoted = parsed<Triage>("/incident triage P2 \"\u2003 login 503s \u202F\"");
    ASSERT_TRUE(quoted.has_value());
    EXPECT_EQ(quoted->impact, "login 503s");

    const auto action =
        parsed<AddAction>("/incident action \u00A0 add jitter\u200D owner=@b due=2026-12-01");
    ASSERT_TRUE(action.has_value());
    EXPECT_EQ(action->text, "add jitter");

    const auto evidence = parsed<Contained>("/incident contained \u2028p99 at 200 ms\u00A0");
    ASSERT_TRUE(evidence.has_value());
    EXPECT_EQ(evidence->evidence, "p99 at 200 ms");
}

TEST(CommandParser, KeepsBlanksInsideFreeText) {
    const auto note = parsed<Note>("/incident lesson keep\u00A0this\u200Dtogether");

    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, "keep\u00A0this\u200Dtogether");
}

// ---- usage and help texts ---------------------------------------------------------------------

TEST(Usage, GivesDocumentedLineForEveryVerb) {
    const std::vector<std::pair<Verb, std::string>> cases{
        {Verb::declare, "/incident declare <title>"},
        {Verb::triage, "/incident triage <severity> <impact>"},
        {Verb::contain, "/incident contain <strategy> <what was done>"},
        {Verb::contained, "/incident contained [evidence]"},
        {Verb::verify, "/incident verify"},
        {Verb::failed, "/incident failed <what was tried>"},
        {Verb::security, "/incident security <pass|warn|block> [note]"},
        {Verb::rca, "/incident rca <root cause>"},
        {Verb::factor, "/incident factor <text>"},
        {Verb::action, std::string(action_usage)},
        {Verb::impact, "/incident impact <text>"},
        {Verb::went_well, "/incident went-well <text>"},
        {Verb::went_wrong, "/incident went-wrong <text>"},
        {Verb::lesson, "/incident lesson <text>"},
        {Verb::resolve, "/incident resolve <summary>"},
        {Verb::close, "/incident close"},
        {Verb::role, "/incident role <commander|scribe|comms> @<user>"},
        {Verb::status, "/incident status"},
        {Verb::timeline, "/incident timeline"},
        {Verb::help, "/incident help [verb]"},
    };
    ASSERT_EQ(cases.size(), all_verbs().size());
    for (const auto& [verb, line] : cases) {
        EXPECT_EQ(usage(verb, grammar()), line);
    }
}

TEST(HelpText, OverviewListsEveryVerbWithItsUsage) {
    const auto overview = help_text("", grammar());

    EXPECT_TRUE(overview.starts_with("sitrep commands:\n/incident declare <title>\n"));
    for (const auto verb : all_verbs()) {
        EXPECT_NE(overview.find(usage(verb, grammar()) + "\n"), std::string::npos)
            << verb_name(verb);
    }
    EXPECT_TRUE(overview.ends_with("Use /incident help <verb> for details."));
}

TEST(HelpText, TreatsWhiteSpaceTopicAsOverview) {
    EXPECT_EQ(help_text("  \t", grammar()), help_text("", grammar()));
    EXPECT_EQ(help_text("\u00A0\u200B", grammar()), help_text("", grammar()));
}

TEST(HelpText, ExplainsEveryVerbAfterItsUsage) {
    for (const auto verb : all_verbs()) {
        const auto text = help_text(verb_name(verb), grammar());
        const auto usage_line = usage(verb, grammar()) + "\n";

        EXPECT_TRUE(text.starts_with(usage_line)) << verb_name(verb);
        EXPECT_GT(text.size(), usage_line.size() + 20) << verb_name(verb);
        EXPECT_EQ(text.find("Unknown"), std::string::npos) << verb_name(verb);
    }
}

TEST(HelpText, FindsVerbInAnyCase) {
    EXPECT_EQ(help_text(" TRIAGE ", grammar()), help_text("triage", grammar()));
}

TEST(HelpText, ListsConfiguredChoices) {
    EXPECT_NE(help_text("triage", grammar()).find("Severities: P1, P2 or P3."), std::string::npos);
    EXPECT_NE(
        help_text("contain", grammar()).find("Strategies: rollback, feature-flag or failover."),
        std::string::npos
    );
    EXPECT_NE(help_text("action", grammar()).find("Priorities: P1, P2 or P3."), std::string::npos);
    EXPECT_EQ(help_text("triage", Grammar{}).find("Severities"), std::string::npos);
}

TEST(HelpText, ExplainsTheGateOrder) {
    const auto has = [](std::string_view verb, std::string_view phrase) {
        return help_text(verb, grammar()).find(phrase) != std::string::npos;
    };

    EXPECT_TRUE(has("triage", "Triage comes first"));
    EXPECT_TRUE(has("contain", "containment comes before any root-cause work"));
    EXPECT_TRUE(has("verify", "only once containment is verified"));
    EXPECT_TRUE(has("rca", "Allowed only after containment is verified"));
    EXPECT_TRUE(has("factor", "Allowed only after containment is verified"));
    EXPECT_TRUE(has("action", "Allowed only after containment is verified"));
    EXPECT_TRUE(has("security", "once the incident is contained"));
    EXPECT_TRUE(has("security", "Resolve needs the answer"));
    EXPECT_TRUE(
        has("resolve",
            "impact, root cause, at least one contributing factor and at least one prevention "
            "action with an owner and a due date")
    );
    EXPECT_TRUE(has("close", "posts its postmortem"));
}

TEST(HelpText, SaysUnknownVerbIsUnknownAndListsVerbs) {
    EXPECT_EQ(
        help_text("frobnicate", grammar()),
        "Unknown verb frobnicate.\nVerbs: declare, triage, contain, contained, verify, failed, "
        "security, rca, factor, action, impact, went-well, went-wrong, lesson, resolve, close, "
        "role, status, timeline, help.\nUse /incident help <verb> for details."
    );
}

TEST(HelpText, SuggestsVerbForTypo) {
    EXPECT_TRUE(
        help_text("triag", grammar()).starts_with("Unknown verb triag. Did you mean triage?\n")
    );
}

// ---- verb names and verb_of -------------------------------------------------------------------

TEST(VerbName, RoundTripsThroughVerbFromName) {
    std::set<std::string_view> names;
    for (const auto verb : all_verbs()) {
        names.insert(verb_name(verb));
        EXPECT_EQ(verb_from_name(verb_name(verb)), verb) << verb_name(verb);
    }
    EXPECT_EQ(names.size(), 20U);
    EXPECT_EQ(all_verbs().size(), 20U);
}

TEST(VerbName, SpellsMultiWordVerbsWithHyphens) {
    EXPECT_EQ(verb_name(Verb::went_well), "went-well");
    EXPECT_EQ(verb_name(Verb::went_wrong), "went-wrong");
    EXPECT_EQ(verb_from_name("WENT-WELL"), Verb::went_well);
    EXPECT_EQ(verb_from_name("went_well"), std::nullopt);
    EXPECT_EQ(verb_from_name(""), std::nullopt);
}

TEST(RoleName, NamesEachRole) {
    EXPECT_EQ(role_name(Role::commander), "commander");
    EXPECT_EQ(role_name(Role::scribe), "scribe");
    EXPECT_EQ(role_name(Role::comms), "comms");
}

TEST(VerdictName, NamesEachVerdictInCapitals) {
    EXPECT_EQ(verdict_name(SecurityVerdict::pass), "PASS");
    EXPECT_EQ(verdict_name(SecurityVerdict::warn), "WARN");
    EXPECT_EQ(verdict_name(SecurityVerdict::block), "BLOCK");
}

TEST(VerbOf, GivesTheVerbEachCommandWasParsedFrom) {
    const std::vector<std::pair<std::string, Verb>> cases{
        {"declare x", Verb::declare},
        {"triage P1 x", Verb::triage},
        {"contain rollback x", Verb::contain},
        {"contained", Verb::contained},
        {"verify", Verb::verify},
        {"failed x", Verb::failed},
        {"security pass", Verb::security},
        {"rca x", Verb::rca},
        {"factor x", Verb::factor},
        {"action x owner=@a due=2026-01-05", Verb::action},
        {"impact x", Verb::impact},
        {"went-well x", Verb::went_well},
        {"went-wrong x", Verb::went_wrong},
        {"lesson x", Verb::lesson},
        {"resolve x", Verb::resolve},
        {"close", Verb::close},
        {"role scribe @a", Verb::role},
        {"status", Verb::status},
        {"timeline", Verb::timeline},
        {"help", Verb::help},
    };
    ASSERT_EQ(cases.size(), all_verbs().size());
    for (const auto& [text, verb] : cases) {
        const auto result = parse_command("/incident " + text, grammar());
        ASSERT_TRUE(result.has_value() && result->ok()) << text;
        EXPECT_EQ(verb_of(result->command()), verb) << text;
    }
}

}  // namespace
}  // namespace sitrep::commands
