#include <string>

#include <gtest/gtest.h>

#include "templates/template_set.hpp"

// The default templates rendered for one fixed incident. A change to a template shows up here
// as a diff to review; update the expected text on purpose, never to make the test pass.
namespace sitrep::templates {
namespace {

PostmortemView golden_postmortem_view() {
    PostmortemView view;
    view.draft = false;
    view.reference = "INCIDENT-2026-12-03-checkout-errors";
    view.title = "Checkout returns 503";
    view.severity = "P2";
    view.severity_definition = "Significant degradation for many users";
    view.date = "2026-12-03";
    view.started = "2026-12-03 14:02";
    view.ended = "2026-12-03 15:14";
    view.duration = "1 h 12 min";
    view.timezone = "Europe/Berlin";
    view.state = "CLOSED";
    view.declared_by = "Alertmanager";
    view.commander = "@alice";
    view.scribe = "@erin";
    view.comms = "";
    view.deadline = "1 h";
    view.deadline_outcome = "held: contained after 38 min";
    view.deadline_held = true;
    view.security = "PASS — no customer data involved";
    view.summary =
        "A bad config in checkout-api v1.5.0 sent payments to a retired pool; rollback fixed it.";
    view.impact_summary = "checkout returns 503 for ~30% of users";
    view.impact = "About 1,800 orders failed between 14:02 and 14:40; no data was lost.";
    view.timeline = {
        {"2026-12-03",
         {{"14:02", "Alert CheckoutErrorRate fired (5xx > 5%)"},
          {"14:05", "@alice took command; severity P2"},
          {"14:20", "Rollback of checkout-api to v1.4.2 started"},
          {"14:40", "Health checks ALL_HEALTHY; containment verified"},
          {"15:14", "Resolved"}}},
    };
    view.containment = {
        {"14:20",
         "rollback",
         "checkout-api v1.5.0 -> v1.4.2",
         "@bob",
         "verified: health checks ALL_HEALTHY"},
    };
    view.root_cause = "payment_pool_url in v1.5.0 still pointed at the retired pool.";
    view.contributing_factors = {
        "The config change had no staging soak",
        "The retired pool answered with 503 instead of refusing connections",
    };
    view.went_well = {"Alert fired within 1 min", "Rollback took 20 min"};
    view.went_wrong = {};
    view.actions = {
        {"Validate pool URLs at start-up", "@bob", "2026-12-10", "high"},
        {"Shut down the retired pool", "@dave", "2026-12-17", "medium"},
    };
    view.lessons = {"A *retired* service should fail loudly"};
    return view;
}

const char* const golden_postmortem = R"md(# Postmortem: Checkout returns 503

| Reference | INCIDENT-2026-12-03-checkout-errors |
| --- | --- |
| Severity | P2 — Significant degradation for many users |
| Date | 2026-12-03 |
| Started | 2026-12-03 14:02 |
| Ended | 2026-12-03 15:14 |
| Duration | 1 h 12 min |
| Time zone | Europe/Berlin |
| State | CLOSED |
| Declared by | Alertmanager |
| Commander | @alice |
| Scribe | @erin |
| Comms | nobody took the role |
| Containment deadline | 1 h — held: contained after 38 min |
| Security check | PASS — no customer data involved |

## Summary

A bad config in checkout-api v1.5.0 sent payments to a retired pool; rollback fixed it.

## Impact

Stated at triage: checkout returns 503 for \~30% of users

About 1,800 orders failed between 14:02 and 14:40; no data was lost.

## Timeline

Times are in Europe/Berlin.

### 2026-12-03

- 14:02 Alert CheckoutErrorRate fired (5xx > 5%)
- 14:05 @alice took command; severity P2
- 14:20 Rollback of checkout-api to v1.4.2 started
- 14:40 Health checks ALL_HEALTHY; containment verified
- 15:14 Resolved

## Containment

| Started | Strategy | What was done | By | Outcome |
| --- | --- | --- | --- | --- |
| 14:20 | rollback | checkout-api v1.5.0 -> v1.4.2 | @bob | verified: health checks ALL_HEALTHY |

## Root cause

payment_pool_url in v1.5.0 still pointed at the retired pool.

## Contributing factors

- The config change had no staging soak
- The retired pool answered with 503 instead of refusing connections

## What went well

- Alert fired within 1 min
- Rollback took 20 min

## What went wrong

None recorded.

## Prevention actions

| Action | Owner | Due | Priority |
| --- | --- | --- | --- |
| Validate pool URLs at start-up | @bob | 2026-12-10 | high |
| Shut down the retired pool | @dave | 2026-12-17 | medium |

## Lessons learned

- A \*retired\* service should fail loudly
)md";

TEST(TemplateSetGolden, RendersDefaultPostmortemExactly) {
    EXPECT_EQ(TemplateSet::load().render_postmortem(golden_postmortem_view()), golden_postmortem);
}

DecisionRecordView golden_decision_record_view() {
    DecisionRecordView view;
    view.reference = "INCIDENT-2026-12-03-checkout-errors";
    view.title = "Checkout returns 503";
    view.date = "2026-12-03";
    view.status = "CLOSED";
    view.timezone = "Europe/Berlin";
    view.decisions = {
        {"2026-12-03 14:05", "Severity P2", "@alice", "checkout returns 503 for ~30% of users"},
        {"2026-12-03 14:20",
         "Contain by rollback to v1.4.2",
         "@bob",
         "errors began with the v1.5.0 deploy at 13:58"},
        {"2026-12-03 14:40", "Containment verified", "@alice", ""},
    };
    return view;
}

const char* const golden_decision_record = R"md(# Decision record: Checkout returns 503

| Reference | INCIDENT-2026-12-03-checkout-errors |
| --- | --- |
| Date | 2026-12-03 |
| Status | CLOSED |
| Time zone | Europe/Berlin |

## Context

These are the decisions taken while responding to the incident above: how severe it was and
how it was contained. Each is recorded with the time it was made, who made it, and the reason
or evidence given at the time. Times are in Europe/Berlin.

## Decisions

### 1. Severity P2

- When: 2026-12-03 14:05
- By: @alice
- Context: checkout returns 503 for \~30% of users

### 2. Contain by rollback to v1.4.2

- When: 2026-12-03 14:20
- By: @bob
- Context: errors began with the v1.5.0 deploy at 13:58

### 3. Containment verified

- When: 2026-12-03 14:40
- By: @alice
- Context: none given
)md";

TEST(TemplateSetGolden, RendersDefaultDecisionRecordExactly) {
    EXPECT_EQ(
        TemplateSet::load().render_decision_record(golden_decision_record_view()),
        golden_decision_record
    );
}

}  // namespace
}  // namespace sitrep::templates
