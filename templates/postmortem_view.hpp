#pragma once

#include <string>
#include <vector>

/// What the postmortem and decision-record templates are filled with. Every string is final
/// text: times are already formatted in the configured time zone, names already resolved.
/// Strings that responders typed are escaped by the renderer, never here.
namespace sitrep::templates {

struct TimelineEntryView {
    std::string time;  ///< "HH:MM"
    std::string text;
};

/// Entries of one calendar day (in the display time zone), so a timeline that crosses midnight
/// shows the date where it changes.
struct TimelineDayView {
    std::string date;  ///< "YYYY-MM-DD"
    std::vector<TimelineEntryView> entries;
};

struct ActionView {
    std::string text;
    std::string owner;
    std::string due;  ///< "YYYY-MM-DD"
    std::string priority;
};

struct ContainmentView {
    std::string started;  ///< "HH:MM" (with the date when it differs from the incident's)
    std::string strategy;
    std::string what;
    std::string by;
    std::string outcome;  ///< "verified by @alice: error rate back to 0.1%", "failed: ..."
};

struct PostmortemView {
    bool draft = true;
    std::vector<std::string> missing;  ///< what keeps it a draft: "root cause", ...

    std::string reference;  ///< "INCIDENT-2026-12-03-checkout-errors"
    std::string title;
    std::string severity;             ///< "P2", or "untriaged"
    std::string severity_definition;  ///< the configured definition of that severity
    std::string date;                 ///< "YYYY-MM-DD" of the start, display time zone
    std::string started;              ///< "YYYY-MM-DD HH:MM"
    std::string ended;                ///< "YYYY-MM-DD HH:MM", or "ongoing"
    std::string duration;             ///< "1 h 12 min"
    std::string timezone;             ///< "UTC", "Europe/Berlin"
    std::string state;                ///< "CLOSED", "RESOLVED", ...
    std::string declared_by;
    std::string commander;  ///< empty when no one took the role
    std::string scribe;
    std::string comms;

    std::string deadline;          ///< "1 h", or empty when the incident was never triaged
    std::string deadline_outcome;  ///< "held: contained after 38 min", "missed by 12 min", ...
    bool deadline_held = false;

    std::string security;  ///< "PASS — no customer data involved", or "not answered"
    bool security_incident = false;

    std::string summary;         ///< the resolve summary
    std::string impact_summary;  ///< the one-line impact given at triage
    std::string impact;          ///< the fuller impact statement, may be empty
    std::vector<TimelineDayView> timeline;
    std::vector<ContainmentView> containment;
    std::string root_cause;
    std::vector<std::string> contributing_factors;
    std::vector<std::string> went_well;
    std::vector<std::string> went_wrong;
    std::vector<ActionView> actions;
    std::vector<std::string> lessons;
};

struct DecisionView {
    std::string when;  ///< "YYYY-MM-DD HH:MM"
    std::string decision;
    std::string by;
    std::string context;  ///< why, or the evidence given; may be empty
};

/// The decision record of one incident: severity and containment decisions, who, when.
struct DecisionRecordView {
    std::string reference;
    std::string title;
    std::string date;
    std::string status;  ///< the incident's state when written
    std::string timezone;
    std::vector<DecisionView> decisions;
};

}  // namespace sitrep::templates
