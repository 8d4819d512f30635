#include "bot/postmortem_builder.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "bot/config.hpp"
#include "bot/gate_record.hpp"
#include "bot/time_format.hpp"

namespace sitrep::bot {
namespace {

using commands::NoteField;
using std::chrono::hours;
using std::chrono::minutes;

/// A UTC time in June 2026.
Timestamp june(unsigned mday, int hh, int mm) {
    return std::chrono::sys_days{std::chrono::year{2026} / std::chrono::June / mday} + hours{hh} +
           minutes{mm};
}

/// The builder with the built-in configuration, showing times in one zone.
struct Builder {
    explicit Builder(std::string_view zone)
        : config(Config::from_yaml("")),
          time_format(zone),
          prompts(config.workflow, time_format),
          builder(config.workflow, prompts) {}

    Builder(const Builder&) = delete;
    Builder& operator=(const Builder&) = delete;

    Config config;
    TimeFormat time_format;
    Prompts prompts;
    PostmortemBuilder builder;
};

const PostmortemBuilder& in_utc() {
    static const Builder instance{"UTC"};
    return instance.builder;
}

const PostmortemBuilder& in_berlin() {
    static const Builder instance{"Europe/Berlin"};
    return instance.builder;
}

TimelineEntry entry(
    Timestamp at, EntryKind kind, std::string author, std::string text, bool key_event
) {
    TimelineEntry e;
    e.incident_id = 7;
    e.at = at;
    e.kind = kind;
    e.author = std::move(author);
    e.text = std::move(text);
    e.key_event = key_event;
    return e;
}

TimelineEntry gate(Timestamp at, std::string author, GateDecision decision) {
    return entry(at, EntryKind::gate, std::move(author), gate_record_text(decision), false);
}

/// Declared 2026-06-03 10:00 UTC by @alice, triaged P2 (deadline 11:00).
Incident triaged() {
    Incident incident;
    incident.id = 7;
    incident.slug = "checkout-errors";
    incident.title = "Checkout errors";
    incident.state = IncidentState::triaged;
    incident.declared_by = "@alice";
    incident.declared_at = june(3, 10, 0);
    incident.declared_on = "2026-06-03";
    incident.severity = "P2";
    incident.impact_summary = "login returns 503";
    incident.triaged_at = june(3, 10, 2);
    incident.deadline = Deadline{june(3, 11, 0), june(3, 10, 45), false, false, {}};
    return incident;
}

Incident contained_at(Timestamp at) {
    auto incident = triaged();
    incident.state = IncidentState::contained;
    incident.attempts.push_back(ContainmentAttempt{
        "rollback",
        "reverted deploy 42",
        "@bob",
        june(3, 10, 10),
        AttemptOutcome::verified,
        "error rate back to 0.1%",
        "@bob",
        at});
    incident.contained_at = at;
    incident.deadline->met_at = at;
    return incident;
}

Incident complete() {
    auto incident = contained_at(june(3, 10, 20));
    incident.security = SecurityCheck{commands::SecurityVerdict::pass, "", "@dave", {}};
    incident.notes = {
        {NoteField::impact, "30% of logins failed", "@alice", {}},
        {NoteField::root_cause, "bad config push", "@alice", {}},
        {NoteField::factor, "no canary", "@alice", {}},
        {NoteField::factor, "alert fired late", "@bob", {}},
    };
    incident.actions.push_back(PreventionAction{
        "add a canary",
        "@erin",
        std::chrono::year{2026} / std::chrono::June / 20,
        "P2",
        "@alice",
        {}});
    return incident;
}

TEST(PostmortemBuilder, FillsHeaderInDisplayZone) {
    const auto view = in_utc().postmortem(triaged(), {}, june(3, 10, 30));
    EXPECT_EQ(view.reference, "INCIDENT-2026-06-03-checkout-errors");
    EXPECT_EQ(view.title, "Checkout errors");
    EXPECT_EQ(view.state, "TRIAGED");
    EXPECT_EQ(view.severity, "P2");
    EXPECT_TRUE(view.severity_definition.starts_with("Major - ")) << view.severity_definition;
    EXPECT_EQ(view.date, "2026-06-03");
    EXPECT_EQ(view.started, "2026-06-03 10:00 UTC");
    EXPECT_EQ(view.ended, "ongoing");
    EXPECT_EQ(view.duration, "30 min so far");
    EXPECT_EQ(view.timezone, "UTC");
    EXPECT_EQ(view.deadline, "1 h");
    EXPECT_EQ(view.security, "not answered");
}

TEST(PostmortemBuilder, UntriagedIncidentHasNoDeadline) {
    auto incident = triaged();
    incident.severity.clear();
    incident.deadline.reset();
    incident.state = IncidentState::declared;
    const auto view = in_utc().postmortem(incident, {}, june(3, 10, 30));
    EXPECT_EQ(view.severity, "untriaged");
    EXPECT_EQ(view.deadline, "");
    EXPECT_EQ(view.deadline_outcome, "none: the incident was never triaged");
    EXPECT_FALSE(view.deadline_held);
}

TEST(PostmortemBuilder, ResolvedIncidentLastsUntilResolution) {
    auto incident = complete();
    incident.state = IncidentState::resolved;
    incident.resolved_at = june(3, 11, 30);
    const auto view = in_utc().postmortem(incident, {}, june(4, 9, 0));
    EXPECT_EQ(view.ended, "2026-06-03 11:30 UTC");
    EXPECT_EQ(view.duration, "1 h 30 min");
}

TEST(PostmortemBuilder, KeyEventsOnlyGroupedByDay) {
    const std::vector<TimelineEntry> timeline{
        entry(june(3, 23, 50), EntryKind::status, "sitrep", "TRIAGE: P2 — login", true),
        entry(june(3, 23, 55), EntryKind::message, "@bob", "looking", false),
        entry(june(4, 0, 10), EntryKind::status, "sitrep", "CONTAINED: rollback — 00:10", true),
    };
    const auto view = in_utc().postmortem(triaged(), timeline, june(4, 1, 0));

    ASSERT_EQ(view.timeline.size(), 2U);
    EXPECT_EQ(view.timeline[0].date, "2026-06-03");
    ASSERT_EQ(view.timeline[0].entries.size(), 1U);
    EXPECT_EQ(view.timeline[0].entries[0].time, "23:50");
    EXPECT_EQ(view.timeline[0].entries[0].text, "TRIAGE: P2 — login");
    EXPECT_EQ(view.timeline[1].date, "2026-06-04");
    ASSERT_EQ(view.timeline[1].entries.size(), 1U);
    EXPECT_EQ(view.timeline[1].entries[0].time, "00:10");
}

TEST(PostmortemBuilder, DayBoundaryIsLocalNotUtc) {
    // 21:30 and 22:30 UTC are one day in UTC, but 23:30 and 00:30 in Berlin (CEST, UTC+2).
    const std::vector<TimelineEntry> timeline{
        entry(june(3, 21, 30), EntryKind::status, "sitrep", "first", true),
        entry(june(3, 22, 30), EntryKind::status, "sitrep", "second", true),
    };

    const auto utc_view = in_utc().postmortem(triaged(), timeline, june(4, 1, 0));
    ASSERT_EQ(utc_view.timeline.size(), 1U);
    EXPECT_EQ(utc_view.timeline[0].entries.size(), 2U);

    const auto berlin_view = in_berlin().postmortem(triaged(), timeline, june(4, 1, 0));
    ASSERT_EQ(berlin_view.timeline.size(), 2U);
    EXPECT_EQ(berlin_view.timeline[0].date, "2026-06-03");
    EXPECT_EQ(berlin_view.timeline[0].entries[0].time, "23:30");
    EXPECT_EQ(berlin_view.timeline[1].date, "2026-06-04");
    EXPECT_EQ(berlin_view.timeline[1].entries[0].time, "00:30");
    EXPECT_EQ(berlin_view.timezone, "Europe/Berlin");
}

TEST(PostmortemBuilder, TimelineAcrossADaylightSavingChangeNamesTheZone) {
    // Berlin leaves summer time on 2026-10-25 at 01:00 UTC: 02:50 CEST, then 02:15 CET.
    const auto october = [](int hour, int minute) {
        return Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 10 / 25}} +
               std::chrono::hours{hour} + std::chrono::minutes{minute};
    };
    const std::vector<TimelineEntry> timeline{
        entry(october(0, 50), EntryKind::status, "sitrep", "before", true),
        entry(october(1, 15), EntryKind::status, "sitrep", "after", true),
    };

    const auto view = in_berlin().postmortem(triaged(), timeline, october(2, 0));
    ASSERT_EQ(view.timeline.size(), 2U);
    EXPECT_EQ(view.timeline[0].date, "2026-10-25 CEST");
    EXPECT_EQ(view.timeline[0].entries[0].time, "02:50");
    EXPECT_EQ(view.timeline[1].date, "2026-10-25 CET");
    EXPECT_EQ(view.timeline[1].entries[0].time, "02:15");
}

TEST(PostmortemBuilder, IsDraftWhileSomethingIsMissing) {
    const auto view = in_utc().postmortem(contained_at(june(3, 10, 20)), {}, june(3, 11, 0));
    EXPECT_TRUE(view.draft);
    ASSERT_EQ(view.missing.size(), 4U);
    EXPECT_EQ(view.missing[0], "an impact statement (`/incident impact <text>`)");
}

TEST(PostmortemBuilder, IsDraftWithOnlyActionsMissing) {
    auto incident = complete();
    incident.actions.clear();
    const auto view = in_utc().postmortem(incident, {}, june(3, 11, 0));
    EXPECT_TRUE(view.draft);
    ASSERT_EQ(view.missing.size(), 1U);
    EXPECT_TRUE(view.missing[0].starts_with("a prevention action")) << view.missing[0];
}

TEST(PostmortemBuilder, IsFinalWhenComplete) {
    const auto view = in_utc().postmortem(complete(), {}, june(3, 11, 0));
    EXPECT_FALSE(view.draft);
    EXPECT_TRUE(view.missing.empty());
    EXPECT_EQ(view.impact, "30% of logins failed");
    EXPECT_EQ(view.root_cause, "bad config push");
    EXPECT_EQ(
        view.contributing_factors, (std::vector<std::string>{"no canary", "alert fired late"})
    );
    ASSERT_EQ(view.actions.size(), 1U);
    EXPECT_EQ(view.actions[0].text, "add a canary");
    EXPECT_EQ(view.actions[0].owner, "@erin");
    EXPECT_EQ(view.actions[0].due, "2026-06-20");
    EXPECT_EQ(view.actions[0].priority, "P2");
    EXPECT_EQ(view.security, "PASS — checked by @dave");
}

TEST(PostmortemBuilder, DeadlineHeld) {
    const auto view = in_utc().postmortem(contained_at(june(3, 10, 20)), {}, june(3, 11, 0));
    EXPECT_TRUE(view.deadline_held);
    EXPECT_EQ(view.deadline_outcome, "held: contained after 20 min");
}

TEST(PostmortemBuilder, DeadlineHeldWhenContainedExactlyAtIt) {
    const auto view = in_utc().postmortem(contained_at(june(3, 11, 0)), {}, june(3, 12, 0));
    EXPECT_TRUE(view.deadline_held);
    EXPECT_EQ(view.deadline_outcome, "held: contained after 1 h");
}

TEST(PostmortemBuilder, DeadlineMissed) {
    const auto view = in_utc().postmortem(contained_at(june(3, 11, 10)), {}, june(3, 12, 0));
    EXPECT_FALSE(view.deadline_held);
    EXPECT_EQ(
        view.deadline_outcome, "missed: contained after 1 h 10 min, 10 min past the deadline"
    );
}

TEST(PostmortemBuilder, ContainmentAttemptsWithOutcomes) {
    auto incident = contained_at(june(3, 10, 20));
    incident.attempts.insert(
        incident.attempts.begin(),
        ContainmentAttempt{
            "feature-flag",
            "disabled new login",
            "@carol",
            june(3, 10, 5),
            AttemptOutcome::failed,
            "still 503s",
            "@carol",
            june(3, 10, 8)}
    );
    const auto view = in_utc().postmortem(incident, {}, june(3, 11, 0));

    ASSERT_EQ(view.containment.size(), 2U);
    EXPECT_EQ(view.containment[0].started, "10:05");
    EXPECT_EQ(view.containment[0].strategy, "feature-flag");
    EXPECT_EQ(view.containment[0].by, "@carol");
    EXPECT_EQ(view.containment[0].outcome, "failed (reported by @carol): still 503s");
    EXPECT_EQ(view.containment[1].outcome, "verified by @bob: error rate back to 0.1%");
}

TEST(PostmortemBuilder, AttemptOnAnotherDayShowsDate) {
    auto incident = triaged();
    incident.attempts.push_back(ContainmentAttempt{
        "rollback", "reverted", "@bob", june(4, 0, 30), AttemptOutcome::pending, {}, {}, {}});
    const auto view = in_utc().postmortem(incident, {}, june(4, 1, 0));
    ASSERT_EQ(view.containment.size(), 1U);
    EXPECT_EQ(view.containment[0].started, "2026-06-04 00:30");
    EXPECT_EQ(view.containment[0].outcome, "pending: not verified");
}

TEST(PostmortemBuilder, DecisionRecordListsAcceptedDecisionsInOrder) {
    const std::vector<TimelineEntry> timeline{
        gate(june(3, 10, 1), "@bob", {"triage", false, "triage comes before anything else"}),
        gate(june(3, 10, 2), "@alice", {"triage", true, "severity P2 by @alice"}),
        entry(june(3, 10, 2), EntryKind::status, "sitrep", "TRIAGE: P2 — login", true),
        gate(june(3, 10, 5), "@carol", {"triage", true, "severity P2 → P1 by @carol"}),
        gate(june(3, 10, 10), "@bob", {"containment", true, "strategy rollback by @bob"}),
        gate(june(3, 10, 25), "@dave", {"security", true, "PASS by @dave"}),
        gate(june(3, 10, 30), "@alice", {"postmortem", true, "Root cause by @alice"}),
        entry(june(3, 10, 31), EntryKind::gate, "@alice", "not a gate record", false),
        gate(june(3, 11, 30), "@alice", {"order", true, "resolved by @alice: done"}),
    };
    const auto view = in_utc().decision_record(complete(), timeline);

    EXPECT_EQ(view.reference, "INCIDENT-2026-06-03-checkout-errors");
    EXPECT_EQ(view.title, "Checkout errors");
    EXPECT_EQ(view.date, "2026-06-03");
    EXPECT_EQ(view.status, "CONTAINED");
    EXPECT_EQ(view.timezone, "UTC");

    ASSERT_EQ(view.decisions.size(), 5U);
    const std::vector<std::vector<std::string>> expected{
        {"2026-06-03 10:02", "triage: severity P2 by @alice", "@alice"},
        {"2026-06-03 10:05", "triage: severity P2 → P1 by @carol", "@carol"},
        {"2026-06-03 10:10", "containment: strategy rollback by @bob", "@bob"},
        {"2026-06-03 10:25", "security: PASS by @dave", "@dave"},
        {"2026-06-03 11:30", "order: resolved by @alice: done", "@alice"},
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(view.decisions[i].when, expected[i][0]);
        EXPECT_EQ(view.decisions[i].decision, expected[i][1]);
        EXPECT_EQ(view.decisions[i].by, expected[i][2]);
    }
}

TEST(PostmortemBuilder, DecisionRecordTimesAreLocal) {
    const std::vector<TimelineEntry> timeline{
        gate(june(3, 22, 30), "@alice", {"triage", true, "severity P1 by @alice"}),
    };
    const auto view = in_berlin().decision_record(triaged(), timeline);
    ASSERT_EQ(view.decisions.size(), 1U);
    EXPECT_EQ(view.decisions[0].when, "2026-06-04 00:30");
}

}  // namespace
}  // namespace sitrep::bot
