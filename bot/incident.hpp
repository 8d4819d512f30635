#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/clock.hpp"
#include "commands/command.hpp"

namespace sitrep::bot {

/// The gates in order. An incident only moves forward, except that a failed containment
/// returns it to TRIAGED to choose another strategy.
enum class IncidentState { declared, triaged, containing, contained, resolved, closed };

[[nodiscard]] std::string_view state_name(IncidentState state);  ///< "TRIAGED"
[[nodiscard]] std::optional<IncidentState> parse_state(std::string_view name);

enum class AttemptOutcome {
    pending,     ///< applied, not yet verified
    verified,    ///< verification passed: the incident is contained
    failed,      ///< a responder reported that it did not work
    down,        ///< verification found the service down
    superseded,  ///< replaced by another strategy before a verdict
};

[[nodiscard]] std::string_view outcome_name(AttemptOutcome outcome);
[[nodiscard]] std::optional<AttemptOutcome> parse_outcome(std::string_view name);

/// One containment strategy applied, and what came of it.
struct ContainmentAttempt {
    std::string strategy;
    std::string what;
    std::string by;
    Timestamp started_at;
    AttemptOutcome outcome = AttemptOutcome::pending;
    std::string outcome_note;  ///< evidence, what was tried, or the health-check summary
    std::string outcome_by;    ///< who confirmed or reported it
    std::optional<Timestamp> ended_at;
};

/// The containment deadline of the incident's severity, counted from the declaration. It
/// moves with the severity until it is met or breached, then stays. It is met by a verified
/// containment; a containment that stops holding before the deadline reopens it.
struct Deadline {
    Timestamp due;
    Timestamp remind_at;
    bool reminded = false;
    bool breached = false;
    std::optional<Timestamp> met_at = {};         ///< when a verified containment met it
    std::optional<Timestamp> last_reminder = {};  ///< when a reminder was last posted, any severity

    [[nodiscard]] bool held() const { return met_at && *met_at <= due; }
};

struct SecurityCheck {
    commands::SecurityVerdict verdict = commands::SecurityVerdict::pass;
    std::string note;
    std::string by;
    Timestamp at;
};

/// A text a responder contributed to the postmortem. For the single-valued fields (impact,
/// root cause) the latest one counts; earlier ones stay as history.
struct PostmortemNote {
    commands::NoteField field = commands::NoteField::root_cause;
    std::string text;
    std::string by;
    Timestamp at;
};

struct PreventionAction {
    std::string text;
    std::string owner;
    std::chrono::year_month_day due;
    std::string priority;
    std::string added_by;
    Timestamp added_at;
};

/// Where an incident came from, when an alert opened it.
struct AlertOrigin {
    std::string source;  ///< "alertmanager"
    std::string group_key;
    std::string suggested_severity;  ///< empty when the labels suggest none
    std::string suggestion_reason;   ///< "severity=critical"
};

struct Incident {
    std::int64_t id = 0;
    std::string slug;  ///< unique; names the artifacts
    std::string title;
    IncidentState state = IncidentState::declared;

    std::string declared_by;
    Timestamp declared_at;
    std::string declared_on;       ///< "YYYY-MM-DD", the declaration's date in the zone then shown
    std::string origin_connector;  ///< where it was declared or announced
    std::string origin_room;
    std::string connector;  ///< the incident room; empty until the connector created it
    std::string room;
    std::string service;  ///< the affected service, when known (alert label)
    std::optional<AlertOrigin> alert;

    std::string severity;  ///< empty until triage
    std::string impact_summary;
    std::optional<Timestamp> triaged_at;
    bool triage_reminded = false;  ///< the room was reminded that triage is still missing
    std::optional<Deadline> deadline;

    std::vector<ContainmentAttempt> attempts;
    std::optional<Timestamp> contained_at;

    std::optional<SecurityCheck> security;
    bool security_incident = false;

    std::vector<PostmortemNote> notes;
    std::vector<PreventionAction> actions;
    std::map<commands::Role, std::string> roles;

    std::string resolution_summary;
    std::optional<Timestamp> resolved_at;
    std::optional<Timestamp> closed_at;

    [[nodiscard]] bool is_open() const { return state != IncidentState::closed; }

    /// "INC-7": how chat refers to an incident.
    [[nodiscard]] std::string reference() const;

    /// "INCIDENT-2026-12-03-checkout-errors": names the postmortem file, by the local date of
    /// the declaration, fixed when the incident was opened.
    [[nodiscard]] std::string artifact_name() const;

    /// The latest text of a single-valued field, or empty.
    [[nodiscard]] std::string latest_note(commands::NoteField field) const;

    /// Every text of a list field (factors, went well, ...), oldest first.
    [[nodiscard]] std::vector<std::string> notes_of(commands::NoteField field) const;

    [[nodiscard]] const ContainmentAttempt* current_attempt() const;
    [[nodiscard]] ContainmentAttempt* current_attempt();
};

/// A slug for artifact and room names: lower-case ASCII letters, digits and single dashes,
/// at most 40 characters; empty when the title has no usable character.
[[nodiscard]] std::string slugify(std::string_view title);

}  // namespace sitrep::bot
