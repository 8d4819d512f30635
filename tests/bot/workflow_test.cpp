#include "bot/workflow.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "bot/config.hpp"
#include "bot/time_format.hpp"

namespace sitrep::bot {
namespace {

using namespace std::chrono_literals;

using commands::Command;
using commands::NoteField;
using commands::SecurityVerdict;
using std::chrono::hours;
using std::chrono::minutes;

// The strategies of the built-in configuration, as the prompts list them.
constexpr std::string_view contain_usage =
    "`/incident contain <rollback|feature-flag|traffic-shift|scale-up|rate-limit|manual> "
    "<what was done>`";

constexpr std::string_view impact = "login returns 503 for ~30% of users";

// ---------------------------------------------------------------------------------------------
// Helpers

/// 2026-06-03 at hh:mm UTC, the day every incident here happens on.
Timestamp at(int hh, int mm) {
    return std::chrono::sys_days{std::chrono::year{2026} / std::chrono::June / 3} + hours{hh} +
           minutes{mm};
}

std::chrono::year_month_day june(unsigned day) {
    return std::chrono::year{2026} / std::chrono::June / std::chrono::day{day};
}

const Config& config() {
    static const Config built_in = Config::from_yaml("");
    return built_in;
}

const TimeFormat& utc() {
    static const TimeFormat format{"UTC"};
    return format;
}

const Workflow& workflow() {
    static const Workflow instance{config().workflow, utc()};
    return instance;
}

std::vector<Post> posts_of(const Outcome& outcome, PostKind kind) {
    std::vector<Post> posts;
    for (const auto& effect : outcome.effects) {
        if (const auto* post = std::get_if<Post>(&effect); post != nullptr && post->kind == kind) {
            posts.push_back(*post);
        }
    }
    return posts;
}

std::vector<GateDecision> gates_of(const Outcome& outcome) {
    std::vector<GateDecision> gates;
    for (const auto& effect : outcome.effects) {
        if (const auto* gate = std::get_if<GateDecision>(&effect)) {
            gates.push_back(*gate);
        }
    }
    return gates;
}

template <typename E>
std::size_t count_of(const Outcome& outcome) {
    std::size_t n = 0;
    for (const auto& effect : outcome.effects) {
        n += std::holds_alternative<E>(effect) ? 1 : 0;
    }
    return n;
}

/// The one status line the step posted; empty (and a failure) when there is not exactly one.
std::string status_line(const Outcome& outcome) {
    const auto lines = posts_of(outcome, PostKind::status);
    if (lines.size() != 1) {
        ADD_FAILURE() << "expected one status line, got " << lines.size();
        return {};
    }
    EXPECT_TRUE(lines.front().key_event);
    return lines.front().text;
}

/// The one accepted gate decision of the step.
GateDecision accepted_gate(const Outcome& outcome) {
    const auto gates = gates_of(outcome);
    if (gates.size() != 1 || !gates.front().accepted) {
        ADD_FAILURE() << "expected one accepted gate decision";
        return {};
    }
    return gates.front();
}

/// A refusal: one refused gate decision, one reply that says why and what to type instead (a
/// backticked command), nothing else, and the incident left in `state`.
void expect_refused(const Outcome& outcome, std::string_view gate, IncidentState state) {
    const auto gates = gates_of(outcome);
    const auto replies = posts_of(outcome, PostKind::reply);
    ASSERT_EQ(outcome.effects.size(), 2U);
    ASSERT_EQ(gates.size(), 1U);
    ASSERT_EQ(replies.size(), 1U);

    EXPECT_FALSE(gates[0].accepted);
    EXPECT_EQ(gates[0].gate, gate);
    EXPECT_FALSE(gates[0].detail.empty());
    EXPECT_TRUE(replies[0].text.starts_with("Refused: " + gates[0].detail + ". "))
        << replies[0].text;
    EXPECT_NE(replies[0].text.find("`/incident "), std::string::npos) << replies[0].text;
    EXPECT_FALSE(replies[0].key_event);
    EXPECT_EQ(outcome.incident.state, state);
}

std::string reply_text(const Outcome& outcome) {
    const auto replies = posts_of(outcome, PostKind::reply);
    return replies.empty() ? std::string{} : replies.front().text;
}

Outcome run(
    const Incident& incident,
    const Command& command,
    Timestamp now,
    const std::string& actor = "@alice"
) {
    return workflow().handle(incident, command, actor, now);
}

/// Runs a step the gates must let through; a refusal fails the test.
Incident accepted(
    const Incident& incident,
    const Command& command,
    Timestamp now,
    const std::string& actor = "@alice"
) {
    const auto outcome = run(incident, command, now, actor);
    for (const auto& gate : gates_of(outcome)) {
        EXPECT_TRUE(gate.accepted) << gate.gate << " refused: " << gate.detail;
    }
    return outcome.incident;
}

VerificationReport health_report(HealthVerdict verdict, HealthTrend trend) {
    VerificationReport report;
    report.method = VerificationReport::Method::health_checks;
    report.verdict = verdict;
    report.trend = trend;
    report.by = "sitrep";
    report.evidence = "2/3 endpoints healthy";
    return report;
}

// The incident at each gate: declared 10:00 by @alice, triaged P2 at 10:02, rollback applied
// 10:10 by @bob, contained 10:20, security PASS 10:25, postmortem complete by 10:33,
// resolved 11:30, closed 11:40.

Incident declared() {
    auto incident = workflow().declare(Declaration{
        "Checkout errors", "@alice", at(10, 0), "console", "#ops", "checkout", {}});
    incident.id = 7;
    incident.slug = "checkout-errors";
    return incident;
}

Incident triaged(const std::string& severity = "P2") {
    return accepted(declared(), commands::Triage{severity, std::string{impact}}, at(10, 2));
}

Incident containing() {
    return accepted(
        triaged(), commands::Contain{"rollback", "reverted deploy 42"}, at(10, 10), "@bob"
    );
}

Incident contained() {
    return accepted(
        containing(), commands::Contained{"error rate back to 0.1%"}, at(10, 20), "@bob"
    );
}

Incident secured() {
    return accepted(
        contained(),
        commands::Security{SecurityVerdict::pass, "no customer data involved"},
        at(10, 25),
        "@dave"
    );
}

Incident complete() {
    auto incident = secured();
    incident = accepted(incident, commands::Note{NoteField::impact, "30% of logins"}, at(10, 30));
    incident = accepted(incident, commands::Note{NoteField::root_cause, "bad config"}, at(10, 31));
    incident = accepted(incident, commands::Note{NoteField::factor, "no canary"}, at(10, 32));
    return accepted(
        incident, commands::AddAction{"add a canary", "@erin", june(20), ""}, at(10, 33)
    );
}

Incident resolved() {
    return accepted(complete(), commands::Resolve{"rolled back deploy 42"}, at(11, 30));
}

Incident closed() {
    return accepted(resolved(), commands::Close{}, at(11, 40));
}

// Every command but triage, one of each verb the workflow handles.
std::vector<Command> every_command_but_triage() {
    return {
        commands::Contain{"rollback", "reverted deploy 42"},
        commands::Contained{"error rate back to 0.1%"},
        commands::Verify{},
        commands::Failed{"still failing"},
        commands::Security{SecurityVerdict::pass, ""},
        commands::Security{SecurityVerdict::block, "leaked token"},
        commands::Note{NoteField::root_cause, "bad config"},
        commands::Note{NoteField::factor, "no canary"},
        commands::Note{NoteField::impact, "30% of logins"},
        commands::Note{NoteField::went_well, "fast rollback"},
        commands::Note{NoteField::went_wrong, "slow paging"},
        commands::Note{NoteField::lesson, "canary first"},
        commands::AddAction{"add a canary", "@erin", june(20), ""},
        commands::Resolve{"done"},
        commands::Close{},
        commands::AssignRole{commands::Role::commander, "@carol"},
    };
}

// ---------------------------------------------------------------------------------------------
// Declaration and triage

TEST(Workflow, OpenedPostsTriagePromptWithSeverityMatrix) {
    const auto outcome = workflow().opened(declared(), "");
    const auto prompts = posts_of(outcome, PostKind::prompt);
    ASSERT_EQ(prompts.size(), 1U);
    EXPECT_NE(prompts[0].text.find("`/incident triage <P1|P2|P3> <impact>`"), std::string::npos);
    EXPECT_NE(prompts[0].text.find("P1 (contain within 15 min)"), std::string::npos);
    EXPECT_NE(prompts[0].text.find("P3 (contain within 4 h)"), std::string::npos);
    EXPECT_EQ(accepted_gate(outcome).detail, "declared by @alice");
}

TEST(Workflow, EveryStepBeforeTriageIsRefusedWithSeverityMatrix) {
    const auto incident = declared();
    for (const auto& command : every_command_but_triage()) {
        if (std::holds_alternative<commands::AssignRole>(command)) {
            continue;  // roles may be taken before triage
        }
        SCOPED_TRACE(commands::verb_name(commands::verb_of(command)));
        const auto outcome = run(incident, command, at(10, 1));
        expect_refused(outcome, "triage", IncidentState::declared);
        EXPECT_EQ(
            gates_of(outcome)[0].detail,
            "triage comes before anything else (INC-7 is not triaged yet)"
        );
        EXPECT_NE(reply_text(outcome).find("Severity matrix:"), std::string::npos);
        EXPECT_NE(
            reply_text(outcome).find("`/incident triage <P1|P2|P3> <impact>`"), std::string::npos
        );
    }
}

TEST(Workflow, TriageSetsSeverityStateAndDeadline) {
    const auto outcome = run(declared(), commands::Triage{"P2", std::string{impact}}, at(10, 2));

    EXPECT_EQ(status_line(outcome), "TRIAGE: P2 — login returns 503 for ~30% of users");
    EXPECT_EQ(accepted_gate(outcome).gate, "triage");
    EXPECT_EQ(accepted_gate(outcome).detail, "severity P2 by @alice");
    EXPECT_EQ(count_of<UpdateTopic>(outcome), 1U);

    const auto& incident = outcome.incident;
    EXPECT_EQ(incident.state, IncidentState::triaged);
    EXPECT_EQ(incident.severity, "P2");
    EXPECT_EQ(incident.impact_summary, impact);
    EXPECT_EQ(incident.triaged_at, at(10, 2));
    ASSERT_TRUE(incident.deadline);
    EXPECT_EQ(incident.deadline->due, at(11, 0));
    EXPECT_EQ(incident.deadline->remind_at, at(10, 45));
}

TEST(Workflow, TriagePromptsContainmentWithDeadline) {
    const auto outcome = run(declared(), commands::Triage{"P1", "checkout down"}, at(10, 2));
    const auto prompts = posts_of(outcome, PostKind::prompt);
    ASSERT_EQ(prompts.size(), 1U);
    EXPECT_EQ(
        prompts[0].text,
        "Contain before investigating: stop the impact first, the root cause comes later. "
        "Containment deadline: 10:15 (15 min after the declaration).\nApply a strategy: " +
            std::string{contain_usage}
    );
}

TEST(Workflow, TriageWithUnknownSeverityIsRefused) {
    const auto outcome = run(declared(), commands::Triage{"P9", "checkout down"}, at(10, 2));
    expect_refused(outcome, "triage", IncidentState::declared);
    EXPECT_EQ(gates_of(outcome)[0].detail, "P9 is not a configured severity");
    EXPECT_NE(reply_text(outcome).find("Severity matrix:"), std::string::npos);
}

TEST(Workflow, RetriageChangesSeverityAndMovesDeadlineWhileNotContained) {
    const auto outcome = run(triaged("P2"), commands::Triage{"P1", "checkout down"}, at(10, 5));

    EXPECT_EQ(status_line(outcome), "TRIAGE: P1 — checkout down");
    EXPECT_EQ(accepted_gate(outcome).detail, "severity P2 → P1 by @alice");
    EXPECT_EQ(outcome.incident.state, IncidentState::triaged);
    EXPECT_EQ(outcome.incident.severity, "P1");
    EXPECT_EQ(outcome.incident.triaged_at, at(10, 2));
    ASSERT_TRUE(outcome.incident.deadline);
    EXPECT_EQ(outcome.incident.deadline->due, at(10, 15));
    EXPECT_EQ(outcome.incident.deadline->remind_at, at(10, 10));
}

TEST(Workflow, RetriageWhileContainingKeepsState) {
    const auto outcome = run(containing(), commands::Triage{"P3", "only staff"}, at(10, 12));
    EXPECT_EQ(outcome.incident.state, IncidentState::containing);
    EXPECT_EQ(outcome.incident.severity, "P3");
    EXPECT_EQ(outcome.incident.deadline->due, at(14, 0));
    EXPECT_TRUE(posts_of(outcome, PostKind::prompt).empty());
}

TEST(Workflow, RetriageAfterContainmentKeepsDeadline) {
    const auto outcome = run(contained(), commands::Triage{"P1", "worse than thought"}, at(10, 30));
    EXPECT_EQ(outcome.incident.severity, "P1");
    EXPECT_EQ(outcome.incident.state, IncidentState::contained);
    EXPECT_EQ(outcome.incident.deadline->due, at(11, 0));
}

TEST(Workflow, RetriageWithSameSeverityKeepsReminderAndBreachSent) {
    auto incident = workflow().tick(triaged("P2"), at(11, 1)).incident;
    ASSERT_TRUE(incident.deadline->breached);

    incident = accepted(incident, commands::Triage{"P2", "now 40% of users"}, at(11, 2));
    EXPECT_EQ(incident.impact_summary, "now 40% of users");
    EXPECT_TRUE(incident.deadline->reminded);
    EXPECT_TRUE(incident.deadline->breached);
    EXPECT_TRUE(workflow().tick(incident, at(11, 3)).effects.empty());
}

TEST(Workflow, TriageAfterResolveIsRefused) {
    const auto outcome = run(resolved(), commands::Triage{"P1", "again"}, at(11, 35));
    expect_refused(outcome, "triage", IncidentState::resolved);
    EXPECT_EQ(outcome.incident.severity, "P2");
}

// ---------------------------------------------------------------------------------------------
// Containment

TEST(Workflow, ContainStartsAttemptAndMovesToContaining) {
    const auto outcome =
        run(triaged(), commands::Contain{"rollback", "reverted deploy 42"}, at(10, 10), "@bob");

    EXPECT_EQ(outcome.incident.state, IncidentState::containing);
    ASSERT_EQ(outcome.incident.attempts.size(), 1U);
    const auto& attempt = outcome.incident.attempts[0];
    EXPECT_EQ(attempt.strategy, "rollback");
    EXPECT_EQ(attempt.what, "reverted deploy 42");
    EXPECT_EQ(attempt.by, "@bob");
    EXPECT_EQ(attempt.started_at, at(10, 10));
    EXPECT_EQ(attempt.outcome, AttemptOutcome::pending);

    EXPECT_EQ(accepted_gate(outcome).detail, "strategy rollback by @bob");
    const auto replies = posts_of(outcome, PostKind::reply);
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_EQ(replies[0].text, "Containment under way: rollback — reverted deploy 42 (by @bob)");
    EXPECT_TRUE(replies[0].key_event);
}

TEST(Workflow, SecondContainSupersedesPendingAttempt) {
    const auto outcome =
        run(containing(), commands::Contain{"feature-flag", "disabled new login"}, at(10, 15));
    ASSERT_EQ(outcome.incident.attempts.size(), 2U);
    EXPECT_EQ(outcome.incident.attempts[0].outcome, AttemptOutcome::superseded);
    EXPECT_EQ(outcome.incident.attempts[0].ended_at, at(10, 15));
    EXPECT_EQ(outcome.incident.attempts[1].outcome, AttemptOutcome::pending);
}

TEST(Workflow, ContainAfterContainmentIsRefused) {
    const auto outcome = run(contained(), commands::Contain{"rollback", "again"}, at(10, 30));
    expect_refused(outcome, "containment", IncidentState::contained);
    EXPECT_EQ(gates_of(outcome)[0].detail, "INC-7 is CONTAINED already");
    EXPECT_NE(reply_text(outcome).find("`/incident failed <what happened>`"), std::string::npos);
}

TEST(Workflow, ContainAfterResolveIsRefusedWithoutSuggestingFailed) {
    const auto outcome = run(resolved(), commands::Contain{"rollback", "again"}, at(11, 35));
    expect_refused(outcome, "containment", IncidentState::resolved);
    EXPECT_EQ(reply_text(outcome).find("/incident failed"), std::string::npos);
    EXPECT_NE(reply_text(outcome).find("`/incident close`"), std::string::npos);
}

TEST(Workflow, ContainedBeforeAnyStrategyIsRefused) {
    const auto outcome = run(triaged(), commands::Contained{"looks fine"}, at(10, 5));
    expect_refused(outcome, "containment", IncidentState::triaged);
    EXPECT_EQ(
        reply_text(outcome),
        "Refused: no containment strategy has been applied yet. Next: " + std::string{contain_usage}
    );
}

TEST(Workflow, ContainedWithoutEvidenceIsRefused) {
    const auto outcome = run(containing(), commands::Contained{""}, at(10, 20), "@bob");
    expect_refused(outcome, "containment", IncidentState::containing);
    EXPECT_EQ(
        gates_of(outcome)[0].detail,
        "a manual verification needs written evidence from a named person"
    );
    EXPECT_EQ(outcome.incident.attempts.back().outcome, AttemptOutcome::pending);
    EXPECT_FALSE(outcome.incident.contained_at);
}

TEST(Workflow, ContainedWithEvidenceRecordsManualVerification) {
    const auto outcome =
        run(containing(), commands::Contained{"error rate back to 0.1%"}, at(10, 20), "@bob");

    EXPECT_EQ(status_line(outcome), "CONTAINED: rollback — 10:20");
    EXPECT_EQ(accepted_gate(outcome).detail, "verified manually by @bob");
    EXPECT_EQ(accepted_gate(outcome).context, "error rate back to 0.1%");
    EXPECT_EQ(outcome.incident.state, IncidentState::contained);
    EXPECT_EQ(outcome.incident.contained_at, at(10, 20));

    const auto& attempt = outcome.incident.attempts.back();
    EXPECT_EQ(attempt.outcome, AttemptOutcome::verified);
    EXPECT_EQ(attempt.outcome_by, "@bob");
    EXPECT_EQ(attempt.outcome_note, "error rate back to 0.1%");
    EXPECT_EQ(attempt.ended_at, at(10, 20));
    EXPECT_EQ(count_of<UpdateTopic>(outcome), 1U);
}

TEST(Workflow, ContainmentAsksSecurityQuestionAtOnce) {
    const auto outcome =
        run(containing(), commands::Contained{"error rate back to 0.1%"}, at(10, 20), "@bob");
    const auto prompts = posts_of(outcome, PostKind::prompt);
    ASSERT_EQ(prompts.size(), 1U);
    EXPECT_TRUE(prompts[0].text.starts_with("Security check for INC-7:"));
    EXPECT_NE(prompts[0].text.find("`/incident security pass [note]`"), std::string::npos);

    const auto replies = posts_of(outcome, PostKind::reply);
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_EQ(
        replies[0].text,
        "Verified manually by @bob: error rate back to 0.1%. Containment deadline held: "
        "contained after 20 min."
    );
}

TEST(Workflow, ContainedTwiceIsRefused) {
    const auto outcome = run(contained(), commands::Contained{"still fine"}, at(10, 30));
    expect_refused(outcome, "containment", IncidentState::contained);
    EXPECT_EQ(gates_of(outcome)[0].detail, "INC-7 is CONTAINED already");
}

TEST(Workflow, VerifyAllHealthyContains) {
    const auto report = health_report(HealthVerdict::all_healthy, HealthTrend::steady);
    const auto outcome = workflow().verify(containing(), report, at(10, 20));

    EXPECT_EQ(status_line(outcome), "CONTAINED: rollback — 10:20");
    EXPECT_EQ(accepted_gate(outcome).detail, "verified by health checks: ALL_HEALTHY");
    EXPECT_EQ(accepted_gate(outcome).context, "2/3 endpoints healthy");
    EXPECT_EQ(outcome.incident.state, IncidentState::contained);
    EXPECT_EQ(outcome.incident.attempts.back().outcome, AttemptOutcome::verified);
}

TEST(Workflow, VerifyDegradedAndImprovingContains) {
    const auto report = health_report(HealthVerdict::degraded, HealthTrend::improving);
    const auto outcome = workflow().verify(containing(), report, at(10, 20));
    EXPECT_EQ(status_line(outcome), "CONTAINED: rollback — 10:20");
    EXPECT_EQ(outcome.incident.state, IncidentState::contained);
    EXPECT_EQ(outcome.incident.contained_at, at(10, 20));
}

TEST(Workflow, VerifyDegradedAndSteadyIsRefused) {
    const auto report = health_report(HealthVerdict::degraded, HealthTrend::steady);
    const auto outcome = workflow().verify(containing(), report, at(10, 20));
    expect_refused(outcome, "containment", IncidentState::containing);
    EXPECT_EQ(
        gates_of(outcome)[0].detail,
        "verification found the service DEGRADED and steady (2/3 endpoints healthy)"
    );
    EXPECT_EQ(outcome.incident.attempts.back().outcome, AttemptOutcome::pending);
    EXPECT_FALSE(outcome.incident.contained_at);
}

TEST(Workflow, VerifyDegradedAndWorseningIsRefused) {
    const auto report = health_report(HealthVerdict::degraded, HealthTrend::worsening);
    const auto outcome = workflow().verify(containing(), report, at(10, 20));
    expect_refused(outcome, "containment", IncidentState::containing);
}

TEST(Workflow, VerifyDownSendsBackToTriagedAndEscalates) {
    const auto report = health_report(HealthVerdict::down, HealthTrend::worsening);
    const auto outcome = workflow().verify(containing(), report, at(10, 20));

    EXPECT_EQ(outcome.incident.state, IncidentState::triaged);
    const auto gates = gates_of(outcome);
    ASSERT_EQ(gates.size(), 1U);
    EXPECT_FALSE(gates[0].accepted);
    EXPECT_EQ(gates[0].detail, "verification found the service DOWN (2/3 endpoints healthy)");
    EXPECT_EQ(reply_text(outcome), "Refused: " + gates[0].detail + ". rollback did not contain it");

    const auto statuses = posts_of(outcome, PostKind::status);
    ASSERT_EQ(statuses.size(), 1U);
    EXPECT_EQ(statuses[0].text, "CONTAINMENT_FAILED: rollback (verification: DOWN) — escalate");
    EXPECT_TRUE(statuses[0].key_event);
    const auto prompts = posts_of(outcome, PostKind::prompt);
    ASSERT_EQ(prompts.size(), 1U);
    EXPECT_NE(prompts[0].text.find("Escalating to @incident-lead"), std::string::npos);
    EXPECT_NE(prompts[0].text.find(std::string{contain_usage}), std::string::npos);

    const auto& attempt = outcome.incident.attempts.back();
    EXPECT_EQ(attempt.outcome, AttemptOutcome::down);
    EXPECT_EQ(attempt.outcome_note, "2/3 endpoints healthy");
    EXPECT_EQ(attempt.ended_at, at(10, 20));
}

TEST(Workflow, VerifyResultForNoPendingAttemptIsIgnored) {
    const auto report = health_report(HealthVerdict::all_healthy, HealthTrend::steady);
    const auto outcome = workflow().verify(triaged(), report, at(10, 20));
    EXPECT_TRUE(outcome.effects.empty());
    EXPECT_EQ(outcome.incident.state, IncidentState::triaged);
}

TEST(Workflow, VerifyCommandExplainsManualVerification) {
    const auto outcome = run(containing(), commands::Verify{}, at(10, 15));
    EXPECT_TRUE(gates_of(outcome).empty());
    EXPECT_EQ(
        reply_text(outcome),
        "INC-7: rollback applied at 10:10, not verified yet. No health checks are configured "
        "for this incident, so verification is manual: a named responder confirms with "
        "`/incident contained <evidence>`."
    );
}

TEST(Workflow, FailedPostsStatusEscalatesAndReturnsToTriaged) {
    const auto outcome =
        run(containing(), commands::Failed{"still 503s after rollback"}, at(10, 20), "@bob");

    EXPECT_EQ(status_line(outcome), "CONTAINMENT_FAILED: still 503s after rollback — escalate");
    EXPECT_EQ(accepted_gate(outcome).detail, "failure reported by @bob");
    EXPECT_EQ(outcome.incident.state, IncidentState::triaged);

    const auto prompts = posts_of(outcome, PostKind::prompt);
    ASSERT_EQ(prompts.size(), 1U);
    EXPECT_EQ(
        prompts[0].text,
        "Escalating to @incident-lead. Choose another strategy: " + std::string{contain_usage}
    );

    const auto& attempt = outcome.incident.attempts.back();
    EXPECT_EQ(attempt.outcome, AttemptOutcome::failed);
    EXPECT_EQ(attempt.outcome_note, "still 503s after rollback");
    EXPECT_EQ(attempt.outcome_by, "@bob");
    EXPECT_EQ(attempt.ended_at, at(10, 20));
}

TEST(Workflow, FailedAfterContainmentIsRegression) {
    const auto outcome = run(contained(), commands::Failed{"503s are back"}, at(10, 40), "@bob");

    EXPECT_EQ(status_line(outcome), "CONTAINMENT_FAILED: 503s are back — escalate");
    EXPECT_EQ(outcome.incident.state, IncidentState::triaged);
    EXPECT_FALSE(outcome.incident.contained_at);
    const auto& attempt = outcome.incident.attempts.back();
    EXPECT_EQ(attempt.outcome, AttemptOutcome::failed);
    EXPECT_EQ(attempt.outcome_note, "did not hold: 503s are back");
    EXPECT_EQ(attempt.outcome_by, "@bob");
}

TEST(Workflow, RegressionAfterTheDeadlineKeepsTheDeadlineHeld) {
    // P2 is due at 11:00; contained at 10:20, the impact comes back at 11:30.
    const auto regressed = accepted(contained(), commands::Failed{"503s are back"}, at(11, 30));

    EXPECT_EQ(regressed.deadline->met_at, at(10, 20));
    EXPECT_FALSE(workflow().next_due(regressed));
    EXPECT_TRUE(workflow().tick(regressed, at(11, 31)).effects.empty());
    EXPECT_EQ(workflow().prompts().deadline_outcome(regressed), "held: contained after 20 min");

    // Contained again later: the deadline still counts the first containment.
    const auto again = accepted(
        accepted(regressed, commands::Contain{"scale-up", "doubled replicas"}, at(11, 35)),
        commands::Contained{"error rate normal"},
        at(11, 50)
    );
    EXPECT_EQ(again.deadline->met_at, at(10, 20));
    EXPECT_EQ(again.contained_at, at(11, 50));
}

TEST(Workflow, FailedAfterResolveReopensContainment) {
    const auto outcome = run(resolved(), commands::Failed{"503s are back"}, at(11, 35));

    EXPECT_EQ(status_line(outcome), "CONTAINMENT_FAILED: 503s are back — escalate");
    EXPECT_EQ(outcome.incident.state, IncidentState::triaged);
    EXPECT_FALSE(outcome.incident.resolved_at);
    EXPECT_FALSE(outcome.incident.contained_at);
    EXPECT_EQ(outcome.incident.deadline->met_at, at(10, 20));  // it held in time, long ago
}

TEST(Workflow, FailedWithNothingBeingTriedIsRefused) {
    const auto outcome = run(triaged(), commands::Failed{"restarted pods"}, at(10, 5));
    expect_refused(outcome, "containment", IncidentState::triaged);
    EXPECT_EQ(
        gates_of(outcome)[0].detail,
        "no containment strategy is being tried, so none can have failed"
    );
}

TEST(Workflow, ContainedAtTheDueMinuteHoldsWithoutABreach) {
    // P2 is due at 11:00: containment confirmed at 11:00 exactly is in time.
    const auto at_due = workflow().tick(
        accepted(triaged(), commands::Contain{"rollback", "v41"}, at(10, 50)), at(11, 0)
    );
    for (const auto& notice : posts_of(at_due, PostKind::notice)) {
        EXPECT_FALSE(notice.text.starts_with("DEADLINE BREACHED")) << notice.text;
    }

    const auto contained = accepted(at_due.incident, commands::Contained{"errors gone"}, at(11, 0));
    EXPECT_EQ(workflow().prompts().deadline_outcome(contained), "held: contained after 1 h");
}

// ---------------------------------------------------------------------------------------------
// Security

TEST(Workflow, SecurityPassBeforeContainmentIsRefused) {
    const auto outcome = run(triaged(), commands::Security{SecurityVerdict::pass, ""}, at(10, 5));
    expect_refused(outcome, "security", IncidentState::triaged);
    EXPECT_EQ(
        gates_of(outcome)[0].detail,
        "the security check comes once the incident is contained (INC-7 is TRIAGED)"
    );
    EXPECT_NE(reply_text(outcome).find("`/incident security block <note>`"), std::string::npos);
    EXPECT_FALSE(outcome.incident.security);
}

TEST(Workflow, SecurityWarnWhileContainingIsRefused) {
    const auto outcome =
        run(containing(), commands::Security{SecurityVerdict::warn, "odd logins"}, at(10, 12));
    expect_refused(outcome, "security", IncidentState::containing);
    EXPECT_FALSE(outcome.incident.security);
}

TEST(Workflow, SecurityPassAfterContainmentIsRecorded) {
    const auto outcome =
        run(contained(),
            commands::Security{SecurityVerdict::pass, "no customer data involved"},
            at(10, 25),
            "@dave");

    EXPECT_EQ(status_line(outcome), "SECURITY: PASS — no customer data involved");
    EXPECT_EQ(accepted_gate(outcome).detail, "PASS by @dave");
    ASSERT_TRUE(outcome.incident.security);
    EXPECT_EQ(outcome.incident.security->verdict, SecurityVerdict::pass);
    EXPECT_EQ(outcome.incident.security->by, "@dave");
    EXPECT_EQ(outcome.incident.security->at, at(10, 25));
    EXPECT_FALSE(outcome.incident.security_incident);
    EXPECT_EQ(count_of<StartSecurityProtocol>(outcome), 0U);
}

TEST(Workflow, SecurityWithoutNoteNamesWhoChecked) {
    const auto outcome =
        run(contained(), commands::Security{SecurityVerdict::warn, ""}, at(10, 25), "@dave");
    EXPECT_EQ(status_line(outcome), "SECURITY: WARN — checked by @dave");
}

TEST(Workflow, SecurityBlockBeforeContainmentStartsSecurityProtocol) {
    const auto outcome = run(
        triaged(), commands::Security{SecurityVerdict::block, "token leaked"}, at(10, 5), "@dave"
    );

    EXPECT_EQ(status_line(outcome), "SECURITY: BLOCK — token leaked");
    EXPECT_EQ(accepted_gate(outcome).detail, "BLOCK by @dave");
    EXPECT_EQ(outcome.incident.state, IncidentState::triaged);
    EXPECT_TRUE(outcome.incident.security_incident);
    EXPECT_EQ(count_of<StartSecurityProtocol>(outcome), 1U);

    const auto notices = posts_of(outcome, PostKind::notice);
    ASSERT_EQ(notices.size(), 1U);
    EXPECT_TRUE(notices[0].text.starts_with("INC-7 is now a security incident"));
    EXPECT_NE(notices[0].text.find("Escalating to @incident-lead."), std::string::npos);
}

TEST(Workflow, SecondSecurityBlockDoesNotRestartProtocol) {
    const auto blocked =
        accepted(triaged(), commands::Security{SecurityVerdict::block, "token leaked"}, at(10, 5));
    const auto outcome =
        run(blocked, commands::Security{SecurityVerdict::block, "token rotated"}, at(10, 9));
    EXPECT_EQ(status_line(outcome), "SECURITY: BLOCK — token rotated");
    EXPECT_EQ(count_of<StartSecurityProtocol>(outcome), 0U);
    EXPECT_TRUE(posts_of(outcome, PostKind::notice).empty());
}

TEST(Workflow, SecurityDowngradeFromBlockIsRefused) {
    auto incident =
        accepted(containing(), commands::Security{SecurityVerdict::block, "leak"}, at(10, 12));
    incident = accepted(incident, commands::Contained{"error rate normal"}, at(10, 20));

    const auto outcome = run(incident, commands::Security{SecurityVerdict::pass, ""}, at(10, 25));
    expect_refused(outcome, "security", IncidentState::contained);
    EXPECT_EQ(gates_of(outcome)[0].detail, "this is a security incident; its verdict stays BLOCK");
    EXPECT_EQ(outcome.incident.security->verdict, SecurityVerdict::block);
}

// ---------------------------------------------------------------------------------------------
// Root cause and postmortem

TEST(Workflow, RootCauseWorkBeforeContainmentIsRefused) {
    const std::vector<Command> root_cause_work{
        commands::Note{NoteField::root_cause, "bad config"},
        commands::Note{NoteField::factor, "no canary"},
        commands::AddAction{"add a canary", "@erin", june(20), ""},
    };
    for (const auto& incident : {triaged(), containing()}) {
        for (const auto& command : root_cause_work) {
            SCOPED_TRACE(commands::verb_name(commands::verb_of(command)));
            const auto outcome = run(incident, command, at(10, 15));
            expect_refused(outcome, "containment", incident.state);
            EXPECT_EQ(
                gates_of(outcome)[0].detail,
                fmt::format(
                    "root-cause work starts once containment is verified (INC-7 is {})",
                    state_name(incident.state)
                )
            );
            EXPECT_TRUE(outcome.incident.notes.empty());
            EXPECT_TRUE(outcome.incident.actions.empty());
        }
    }
}

TEST(Workflow, RootCauseAfterContainmentIsRecorded) {
    const auto outcome =
        run(contained(), commands::Note{NoteField::root_cause, "bad config"}, at(10, 30));

    EXPECT_EQ(accepted_gate(outcome).gate, "postmortem");
    EXPECT_EQ(accepted_gate(outcome).detail, "Root cause by @alice");
    ASSERT_EQ(outcome.incident.notes.size(), 1U);
    EXPECT_EQ(outcome.incident.notes[0].text, "bad config");
    EXPECT_EQ(outcome.incident.notes[0].by, "@alice");
    EXPECT_EQ(outcome.incident.notes[0].at, at(10, 30));

    const auto replies = posts_of(outcome, PostKind::reply);
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_EQ(replies[0].text, "Root cause recorded by @alice: bad config");
    EXPECT_TRUE(replies[0].key_event);
}

TEST(Workflow, FactorAfterContainmentIsRecorded) {
    const auto outcome =
        run(contained(), commands::Note{NoteField::factor, "no canary"}, at(10, 30));
    EXPECT_EQ(accepted_gate(outcome).detail, "Contributing factor by @alice");
    EXPECT_EQ(outcome.incident.notes_of(NoteField::factor), std::vector<std::string>{"no canary"});
}

TEST(Workflow, ReflectionsAreAcceptedOnceTriaged) {
    const std::vector<std::pair<NoteField, std::string>> notes{
        {NoteField::impact, "Impact statement recorded by @alice."},
        {NoteField::went_well, "What went well recorded by @alice."},
        {NoteField::went_wrong, "What went wrong recorded by @alice."},
        {NoteField::lesson, "Lesson recorded by @alice."},
    };
    for (const auto& [field, reply] : notes) {
        const auto outcome = run(triaged(), commands::Note{field, "text"}, at(10, 5));
        EXPECT_EQ(accepted_gate(outcome).gate, "postmortem");
        EXPECT_EQ(reply_text(outcome), reply);
        EXPECT_EQ(outcome.incident.notes_of(field), std::vector<std::string>{"text"});
    }
}

TEST(Workflow, ActionAfterContainmentDefaultsPriorityToSeverity) {
    const auto outcome = run(
        contained(), commands::AddAction{"add a canary", "@erin", june(20), ""}, at(10, 30), "@bob"
    );

    EXPECT_EQ(accepted_gate(outcome).detail, "prevention action by @bob");
    EXPECT_EQ(
        reply_text(outcome),
        "Prevention action 1 recorded: add a canary — owner @erin, due 2026-06-20, priority P2."
    );
    ASSERT_EQ(outcome.incident.actions.size(), 1U);
    const auto& action = outcome.incident.actions[0];
    EXPECT_EQ(action.text, "add a canary");
    EXPECT_EQ(action.owner, "@erin");
    EXPECT_EQ(action.due, june(20));
    EXPECT_EQ(action.priority, "P2");
    EXPECT_EQ(action.added_by, "@bob");
}

TEST(Workflow, ActionKeepsGivenPriority) {
    const auto outcome =
        run(contained(), commands::AddAction{"alert on 503", "@erin", june(3), "P1"}, at(10, 30));
    ASSERT_EQ(outcome.incident.actions.size(), 1U);
    EXPECT_EQ(outcome.incident.actions[0].priority, "P1");
}

TEST(Workflow, ActionDueInThePastIsRefused) {
    const auto outcome =
        run(contained(), commands::AddAction{"add a canary", "@erin", june(2), ""}, at(10, 30));
    expect_refused(outcome, "postmortem", IncidentState::contained);
    EXPECT_EQ(gates_of(outcome)[0].detail, "the due date 2026-06-02 is in the past");
    EXPECT_TRUE(outcome.incident.actions.empty());
}

// ---------------------------------------------------------------------------------------------
// Resolve and close

TEST(Workflow, ResolveBeforeContainmentIsRefused) {
    const auto outcome = run(containing(), commands::Resolve{"done"}, at(10, 30));
    expect_refused(outcome, "containment", IncidentState::containing);
}

TEST(Workflow, ResolveWithoutSecurityAnswerIsRefused) {
    const auto outcome = run(contained(), commands::Resolve{"done"}, at(10, 30));
    expect_refused(outcome, "security", IncidentState::contained);
    EXPECT_EQ(
        reply_text(outcome),
        "Refused: the security check has not been answered. Answer it first: "
        "`/incident security <pass|warn|block> [note]`"
    );
}

TEST(Workflow, ResolveWithIncompletePostmortemListsEveryMissingPart) {
    const auto outcome = run(secured(), commands::Resolve{"done"}, at(10, 30));
    expect_refused(outcome, "postmortem", IncidentState::contained);
    EXPECT_EQ(
        gates_of(outcome)[0].detail,
        "the postmortem is incomplete, it still needs "
        "an impact statement (`/incident impact <text>`); "
        "a root cause (`/incident rca <root cause>`); "
        "a contributing factor (`/incident factor <text>`); "
        "a prevention action (`/incident action <text> owner=@<user> due=<YYYY-MM-DD>`)"
    );
}

TEST(Workflow, ResolveNamesOnlyWhatIsStillMissing) {
    auto incident = secured();
    incident = accepted(incident, commands::Note{NoteField::impact, "30% of logins"}, at(10, 30));
    incident = accepted(incident, commands::Note{NoteField::factor, "no canary"}, at(10, 31));
    const auto outcome = run(incident, commands::Resolve{"done"}, at(10, 32));
    EXPECT_EQ(
        gates_of(outcome)[0].detail,
        "the postmortem is incomplete, it still needs a root cause (`/incident rca <root "
        "cause>`); a prevention action (`/incident action <text> owner=@<user> "
        "due=<YYYY-MM-DD>`)"
    );
}

TEST(Workflow, ResolveWithCompletePostmortemResolves) {
    const auto outcome = run(complete(), commands::Resolve{"rolled back deploy 42"}, at(11, 30));

    EXPECT_EQ(status_line(outcome), "RESOLVED — 11:30");
    EXPECT_EQ(accepted_gate(outcome).detail, "resolved by @alice");
    EXPECT_EQ(accepted_gate(outcome).context, "rolled back deploy 42");
    EXPECT_EQ(outcome.incident.state, IncidentState::resolved);
    EXPECT_EQ(outcome.incident.resolved_at, at(11, 30));
    EXPECT_EQ(outcome.incident.resolution_summary, "rolled back deploy 42");
    EXPECT_EQ(count_of<UpdateTopic>(outcome), 1U);
    EXPECT_EQ(count_of<PublishPostmortem>(outcome), 0U);
}

TEST(Workflow, ResolveTwiceIsRefused) {
    const auto outcome = run(resolved(), commands::Resolve{"again"}, at(11, 35));
    expect_refused(outcome, "order", IncidentState::resolved);
    EXPECT_EQ(gates_of(outcome)[0].detail, "INC-7 is RESOLVED already");
}

TEST(Workflow, CloseBeforeResolveIsRefused) {
    for (const auto& incident : {triaged(), containing(), contained(), complete()}) {
        const auto outcome = run(incident, commands::Close{}, at(11, 0));
        expect_refused(outcome, "order", incident.state);
        EXPECT_EQ(
            gates_of(outcome)[0].detail,
            fmt::format(
                "only a resolved incident can be closed (INC-7 is {})", state_name(incident.state)
            )
        );
        EXPECT_EQ(count_of<PublishPostmortem>(outcome), 0U);
    }
}

TEST(Workflow, CloseAfterResolvePublishesPostmortem) {
    const auto outcome = run(resolved(), commands::Close{}, at(11, 40), "@carol");

    EXPECT_EQ(outcome.incident.state, IncidentState::closed);
    EXPECT_EQ(outcome.incident.closed_at, at(11, 40));
    EXPECT_FALSE(outcome.incident.is_open());
    EXPECT_EQ(accepted_gate(outcome).detail, "closed by @carol");
    EXPECT_EQ(count_of<PublishPostmortem>(outcome), 1U);
    EXPECT_EQ(count_of<UpdateTopic>(outcome), 1U);
    const auto notices = posts_of(outcome, PostKind::notice);
    ASSERT_EQ(notices.size(), 1U);
    EXPECT_EQ(notices[0].text, "INC-7 closed by @carol. The postmortem follows.");
}

TEST(Workflow, EverythingButStatusIsRefusedAfterClose) {
    const auto incident = closed();
    auto steps = every_command_but_triage();
    steps.emplace_back(commands::Triage{"P1", "again"});
    for (const auto& command : steps) {
        SCOPED_TRACE(commands::verb_name(commands::verb_of(command)));
        const auto outcome = run(incident, command, at(12, 0));
        expect_refused(outcome, "order", IncidentState::closed);
        EXPECT_EQ(
            reply_text(outcome),
            "Refused: INC-7 is CLOSED. Nothing more can change; `/incident declare <title>` "
            "opens a new incident"
        );
    }
}

TEST(Workflow, StatusIsAnsweredAfterClose) {
    const auto outcome = run(closed(), commands::Status{}, at(12, 0));
    EXPECT_TRUE(gates_of(outcome).empty());
    EXPECT_TRUE(reply_text(outcome).starts_with("INC-7 Checkout errors — CLOSED, P2\n"));
}

// ---------------------------------------------------------------------------------------------
// Roles and status

TEST(Workflow, RoleIsAssignedBeforeTriage) {
    const auto outcome =
        run(declared(), commands::AssignRole{commands::Role::commander, "@carol"}, at(10, 1));
    EXPECT_EQ(outcome.incident.roles.at(commands::Role::commander), "@carol");
    EXPECT_EQ(accepted_gate(outcome).detail, "@carol is commander");
    EXPECT_EQ(reply_text(outcome), "@carol is now commander of INC-7.");
    EXPECT_EQ(outcome.incident.state, IncidentState::declared);
}

TEST(Workflow, RoleIsReassigned) {
    auto incident =
        accepted(triaged(), commands::AssignRole{commands::Role::scribe, "@carol"}, at(10, 3));
    incident = accepted(incident, commands::AssignRole{commands::Role::scribe, "@dan"}, at(10, 4));
    EXPECT_EQ(incident.roles.size(), 1U);
    EXPECT_EQ(incident.roles.at(commands::Role::scribe), "@dan");
}

TEST(Workflow, StatusBeforeTriageSaysNotTriaged) {
    const auto outcome = run(declared(), commands::Status{}, at(10, 1));
    EXPECT_TRUE(gates_of(outcome).empty());
    EXPECT_EQ(
        reply_text(outcome),
        "INC-7 Checkout errors — DECLARED, not triaged\n"
        "Declared 2026-06-03 10:00 by @alice (1 min ago)\n"
        "Commander: — · Scribe: — · Comms: —\n"
        "Security: not answered\n"
        "Next: `/incident triage <P1|P2|P3> <impact>`"
    );
}

TEST(Workflow, StatusShowsDeadlineRolesAndNextStep) {
    const auto incident =
        accepted(triaged(), commands::AssignRole{commands::Role::commander, "@carol"}, at(10, 3));
    const auto outcome = run(incident, commands::Status{}, at(10, 10));
    EXPECT_EQ(
        reply_text(outcome),
        "INC-7 Checkout errors — TRIAGED, P2\n"
        "Impact: login returns 503 for ~30% of users\n"
        "Declared 2026-06-03 10:00 by @alice (10 min ago)\n"
        "Containment deadline: 11:00 (in 50 min)\n"
        "Commander: @carol · Scribe: — · Comms: —\n"
        "Security: not answered\n"
        "Next: " +
            std::string{contain_usage}
    );
}

TEST(Workflow, StatusAfterContainmentListsWhatPostmortemNeeds) {
    const auto outcome = run(secured(), commands::Status{}, at(10, 30));
    const auto text = reply_text(outcome);
    EXPECT_NE(
        text.find("\nContainment: rollback — reverted deploy 42 (by @bob at 10:10): verified\n"),
        std::string::npos
    ) << text;
    EXPECT_NE(text.find("\nSecurity: PASS\n"), std::string::npos) << text;
    EXPECT_NE(
        text.find("\nPostmortem still needs: an impact statement (`/incident impact <text>`); "),
        std::string::npos
    ) << text;
    EXPECT_TRUE(text.ends_with("\nNext: add an impact statement (`/incident impact <text>`)"));
    EXPECT_EQ(text.find("Containment deadline"), std::string::npos);
}

TEST(Workflow, StatusAfterBreachSaysHowLongAgo) {
    const auto outcome = run(triaged(), commands::Status{}, at(11, 20));
    EXPECT_NE(
        reply_text(outcome).find("\nContainment deadline: 11:00 (breached 20 min ago)\n"),
        std::string::npos
    );
}

// ---------------------------------------------------------------------------------------------
// Deadlines

TEST(Workflow, NextDueIsReminderThenDeadline) {
    auto incident = triaged();
    EXPECT_EQ(workflow().next_due(incident), at(10, 45));
    incident.deadline->reminded = true;
    EXPECT_EQ(workflow().next_due(incident), at(11, 0) + 1ms);  // the first moment after it
    incident.deadline->breached = true;
    EXPECT_EQ(workflow().next_due(incident), std::nullopt);
}

TEST(Workflow, UntriagedIncidentIsRemindedOnceAfterFiveMinutes) {
    EXPECT_EQ(workflow().next_due(declared()), at(10, 5));
    EXPECT_TRUE(workflow().tick(declared(), at(10, 4)).effects.empty());

    const auto outcome = workflow().tick(declared(), at(10, 5));
    const auto notices = posts_of(outcome, PostKind::notice);
    ASSERT_EQ(notices.size(), 1U);
    EXPECT_TRUE(notices[0].text.starts_with("Reminder: INC-7 is still not triaged, 5 min after"))
        << notices[0].text;
    EXPECT_NE(notices[0].text.find("Escalating to @incident-lead"), std::string::npos);
    EXPECT_NE(notices[0].text.find("`/incident triage"), std::string::npos);
    EXPECT_TRUE(notices[0].key_event);

    EXPECT_TRUE(outcome.incident.triage_reminded);
    EXPECT_EQ(workflow().next_due(outcome.incident), std::nullopt);
    EXPECT_TRUE(workflow().tick(outcome.incident, at(23, 0)).effects.empty());
}

TEST(Workflow, BreachStaysWhenSeverityIsLoweredAfterIt) {
    // P1 is due at 10:15 and breached; lowering to P3 later must not undo that.
    const auto p1 = triaged("P1");
    const auto breached = workflow().tick(p1, at(10, 16)).incident;
    ASSERT_TRUE(breached.deadline->breached);

    const auto lowered = accepted(breached, commands::Triage{"P3", "not so bad"}, at(10, 20));
    EXPECT_EQ(lowered.deadline->due, at(10, 15));
    EXPECT_TRUE(lowered.deadline->breached);
    EXPECT_FALSE(workflow().next_due(lowered));

    const auto contained = accepted(
        accepted(lowered, commands::Contain{"manual", "m"}, at(10, 40)),
        commands::Contained{"fine"},
        at(10, 41)
    );
    EXPECT_EQ(
        workflow().prompts().deadline_outcome(contained),
        "missed: contained after 41 min, 26 min past the deadline"
    );
}

TEST(Workflow, RaisedSeverityPastItsDeadlineSaysSoAndBreachesAtOnce) {
    const auto p3 = triaged("P3");
    const auto raised = run(p3, commands::Triage{"P1", "worse than thought"}, at(10, 30));
    const auto prompts = posts_of(raised, PostKind::prompt);
    ASSERT_EQ(prompts.size(), 1U);
    EXPECT_NE(
        prompts[0].text.find("Containment deadline: 10:15 (15 min after the declaration), "
                             "already passed."),
        std::string::npos
    ) << prompts[0].text;
    EXPECT_EQ(workflow().next_due(raised.incident), at(10, 10));

    const auto ticked = workflow().tick(raised.incident, at(10, 30));
    const auto notices = posts_of(ticked, PostKind::notice);
    ASSERT_EQ(notices.size(), 1U);
    EXPECT_TRUE(notices[0].text.starts_with("DEADLINE BREACHED: INC-7 (P1)")) << notices[0].text;
}

TEST(Workflow, SeverityBackAndForthRemindsOnceForTheSameDeadline) {
    // P1 reminded at 10:10; P2 at 10:11; P1 again at 10:12: the 10:10 reminder was said.
    const auto reminded = workflow().tick(triaged("P1"), at(10, 10)).incident;
    const auto p2 = accepted(reminded, commands::Triage{"P2", "less"}, at(10, 11));
    EXPECT_FALSE(p2.deadline->reminded);  // P2's reminder at 10:45 is still ahead
    const auto p1 = accepted(p2, commands::Triage{"P1", "more"}, at(10, 12));

    EXPECT_TRUE(p1.deadline->reminded);
    EXPECT_EQ(workflow().next_due(p1), at(10, 15) + 1ms);
}

TEST(Workflow, RegressionBeforeTheDeadlineReopensIt) {
    // P1 is due at 10:15: contained at 10:12, the impact is back at 10:14.
    const auto contained_in_time = accepted(
        accepted(triaged("P1"), commands::Contain{"rollback", "v41"}, at(10, 10)),
        commands::Contained{"errors gone"},
        at(10, 12)
    );
    const auto regressed =
        accepted(contained_in_time, commands::Failed{"errors are back"}, at(10, 14));

    EXPECT_FALSE(regressed.deadline->met_at);
    EXPECT_EQ(workflow().next_due(regressed), at(10, 10));
    EXPECT_EQ(workflow().prompts().deadline_outcome(regressed), "open: not contained yet");
}

TEST(Workflow, TickBeforeReminderDoesNothing) {
    const auto outcome = workflow().tick(triaged(), at(10, 44));
    EXPECT_TRUE(outcome.effects.empty());
    EXPECT_FALSE(outcome.incident.deadline->reminded);
}

TEST(Workflow, TickAtReminderPostsReminderOnce) {
    const auto outcome = workflow().tick(triaged(), at(10, 45));

    const auto notices = posts_of(outcome, PostKind::notice);
    ASSERT_EQ(outcome.effects.size(), 1U);
    ASSERT_EQ(notices.size(), 1U);
    EXPECT_EQ(
        notices[0].text,
        "Reminder: INC-7 (P2) must be contained by 11:00, in 15 min. Next: " +
            std::string{contain_usage}
    );
    EXPECT_TRUE(notices[0].key_event);
    EXPECT_TRUE(outcome.incident.deadline->reminded);
    EXPECT_FALSE(outcome.incident.deadline->breached);

    EXPECT_EQ(workflow().next_due(outcome.incident), at(11, 0) + 1ms);
    EXPECT_TRUE(workflow().tick(outcome.incident, at(10, 50)).effects.empty());
}

TEST(Workflow, TickAtDeadlinePostsBreachWithEscalationOnce) {
    const auto reminded = workflow().tick(triaged(), at(10, 45)).incident;
    EXPECT_TRUE(workflow().tick(reminded, at(11, 0)).effects.empty());  // due, not yet past
    const auto outcome = workflow().tick(reminded, at(11, 0) + 1ms);

    const auto notices = posts_of(outcome, PostKind::notice);
    ASSERT_EQ(outcome.effects.size(), 1U);
    ASSERT_EQ(notices.size(), 1U);
    EXPECT_EQ(
        notices[0].text,
        "DEADLINE BREACHED: INC-7 (P2) was to be contained by 11:00, 1 h after the declaration. "
        "Escalating to @incident-lead. Next: " +
            std::string{contain_usage}
    );
    EXPECT_TRUE(outcome.incident.deadline->breached);
    EXPECT_EQ(workflow().next_due(outcome.incident), std::nullopt);
    EXPECT_TRUE(workflow().tick(outcome.incident, at(11, 30)).effects.empty());
}

TEST(Workflow, TickPastDeadlineWithoutReminderPostsOnlyBreach) {
    // sitrep was down through the reminder and the deadline.
    const auto outcome = workflow().tick(triaged(), at(11, 25));

    const auto notices = posts_of(outcome, PostKind::notice);
    ASSERT_EQ(outcome.effects.size(), 1U);
    ASSERT_EQ(notices.size(), 1U);
    EXPECT_TRUE(notices[0].text.starts_with("DEADLINE BREACHED: INC-7 (P2)")) << notices[0].text;
    EXPECT_TRUE(outcome.incident.deadline->reminded);
    EXPECT_TRUE(outcome.incident.deadline->breached);
    EXPECT_TRUE(workflow().tick(outcome.incident, at(11, 26)).effects.empty());
}

TEST(Workflow, NoDeadlineActivityAfterContainment) {
    const auto incident = contained();
    EXPECT_EQ(workflow().next_due(incident), std::nullopt);
    EXPECT_TRUE(workflow().tick(incident, at(10, 45)).effects.empty());
    EXPECT_TRUE(workflow().tick(incident, at(11, 5)).effects.empty());
}

TEST(Workflow, NoDeadlineActivityAfterClose) {
    auto incident = closed();
    incident.contained_at.reset();  // even were the record inconsistent
    EXPECT_EQ(workflow().next_due(incident), std::nullopt);
}

TEST(Workflow, DeadlineOutcomeSaysHeldWithTimeTaken) {
    EXPECT_EQ(workflow().prompts().deadline_outcome(contained()), "held: contained after 20 min");
}

TEST(Workflow, DeadlineOutcomeSaysMissedByHowMuch) {
    const auto incident = accepted(containing(), commands::Contained{"ok now"}, at(11, 10));
    EXPECT_EQ(
        workflow().prompts().deadline_outcome(incident),
        "missed: contained after 1 h 10 min, 10 min past the deadline"
    );
}

TEST(Workflow, DeadlineOutcomeOfUncontainedIncident) {
    const auto& prompts = workflow().prompts();
    EXPECT_EQ(prompts.deadline_outcome(declared()), "none: the incident was never triaged");
    EXPECT_EQ(prompts.deadline_outcome(triaged()), "open: not contained yet");
    EXPECT_EQ(
        prompts.deadline_outcome(workflow().tick(triaged(), at(11, 1)).incident),
        "missed: not contained by the deadline"
    );
}

}  // namespace
}  // namespace sitrep::bot
