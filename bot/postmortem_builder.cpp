#include "bot/postmortem_builder.hpp"

#include <set>

#include <fmt/format.h>

#include "bot/gate_record.hpp"

namespace sitrep::bot {

using commands::NoteField;

namespace {

std::vector<templates::TimelineDayView> key_events_by_day(
    const std::vector<TimelineEntry>& timeline, const TimeFormat& tf
) {
    // Across a daylight-saving change the same clock times happen twice: then each group also
    // names the zone's abbreviation, so 01:20 EDT and 01:05 EST read in their true order.
    std::set<std::string> abbreviations;
    for (const auto& entry : timeline) {
        if (entry.key_event) {
            abbreviations.insert(tf.abbreviation(entry.at));
        }
    }
    const bool name_the_zone = abbreviations.size() > 1;

    std::vector<templates::TimelineDayView> days;
    for (const auto& entry : timeline) {
        if (!entry.key_event) {
            continue;
        }
        // A new day starts a new group, so a timeline crossing midnight shows each date.
        auto day = tf.date(entry.at);
        if (name_the_zone) {
            day += " " + tf.abbreviation(entry.at);
        }
        if (days.empty() || days.back().date != day) {
            days.push_back(templates::TimelineDayView{day, {}});
        }

        // A key event is one line; the details of a long post stay in the full timeline.
        const auto first_line = entry.text.substr(0, entry.text.find('\n'));
        days.back().entries.push_back(templates::TimelineEntryView{tf.hhmm(entry.at), first_line});
    }
    return days;
}

std::string attempt_outcome(const ContainmentAttempt& attempt) {
    switch (attempt.outcome) {
        case AttemptOutcome::pending:
            return "pending: not verified";
        case AttemptOutcome::verified:
            return fmt::format("verified by {}: {}", attempt.outcome_by, attempt.outcome_note);
        case AttemptOutcome::failed:
            return fmt::format(
                "failed (reported by {}): {}", attempt.outcome_by, attempt.outcome_note
            );
        case AttemptOutcome::down:
            return fmt::format("verification found the service down: {}", attempt.outcome_note);
        case AttemptOutcome::superseded:
            return "superseded by another strategy";
    }
    return {};
}

std::string role_holder(const Incident& incident, commands::Role role) {
    const auto it = incident.roles.find(role);
    return it == incident.roles.end() ? std::string{} : it->second;
}

}  // namespace

templates::PostmortemView PostmortemBuilder::postmortem(
    const Incident& incident, const std::vector<TimelineEntry>& timeline, Timestamp now
) const {
    const auto& tf = prompts_.time_format();
    templates::PostmortemView view;

    view.missing = prompts_.missing_from_postmortem(incident);
    view.draft = !view.missing.empty();
    view.reference = incident.artifact_name();
    view.title = incident.title;
    view.state = std::string{state_name(incident.state)};
    view.declared_by = incident.declared_by;
    view.timezone = tf.zone_name();

    // Severity and its definition from the matrix in force when the postmortem is written.
    view.severity = incident.severity.empty() ? std::string{"untriaged"} : incident.severity;
    if (const auto* level = config_.severity(incident.severity)) {
        view.severity_definition = level->definition;
    }

    // The deadline the incident was held to, which a breach fixes even if severity changed.
    if (incident.deadline) {
        view.deadline = format_duration(incident.deadline->due - incident.declared_at);
    }
    view.deadline_outcome = prompts_.deadline_outcome(incident);
    view.deadline_held = incident.deadline && incident.deadline->held();

    // The incident lasts from its declaration to its resolution.
    view.date = tf.date(incident.declared_at);
    view.started = tf.date_time_zone(incident.declared_at);
    const auto end = incident.resolved_at ? incident.resolved_at : incident.closed_at;
    view.ended = end ? tf.date_time_zone(*end) : std::string{"ongoing"};
    view.duration = format_duration((end ? *end : now) - incident.declared_at);
    if (!end) {
        view.duration += " so far";
    }

    view.commander = role_holder(incident, commands::Role::commander);
    view.scribe = role_holder(incident, commands::Role::scribe);
    view.comms = role_holder(incident, commands::Role::comms);

    if (incident.security) {
        const auto& check = *incident.security;
        view.security = fmt::format(
            "{} — {}",
            commands::verdict_name(check.verdict),
            check.note.empty() ? fmt::format("checked by {}", check.by) : check.note
        );
    } else {
        view.security = "not answered";
    }
    view.security_incident = incident.security_incident;

    view.summary = incident.resolution_summary;
    view.impact_summary = incident.impact_summary;
    view.impact = incident.latest_note(NoteField::impact);
    view.timeline = key_events_by_day(timeline, tf);
    for (const auto& attempt : incident.attempts) {
        const bool same_day = tf.date(attempt.started_at) == view.date;
        view.containment.push_back(templates::ContainmentView{
            same_day ? tf.hhmm(attempt.started_at) : tf.date_time(attempt.started_at),
            attempt.strategy,
            attempt.what,
            attempt.by,
            attempt_outcome(attempt),
        });
    }

    view.root_cause = incident.latest_note(NoteField::root_cause);
    view.contributing_factors = incident.notes_of(NoteField::factor);
    view.went_well = incident.notes_of(NoteField::went_well);
    view.went_wrong = incident.notes_of(NoteField::went_wrong);
    view.lessons = incident.notes_of(NoteField::lesson);
    for (const auto& action : incident.actions) {
        view.actions.push_back(templates::ActionView{
            action.text, action.owner, format_date(action.due), action.priority});
    }
    return view;
}

templates::DecisionRecordView PostmortemBuilder::decision_record(
    const Incident& incident, const std::vector<TimelineEntry>& timeline
) const {
    const auto& tf = prompts_.time_format();
    templates::DecisionRecordView view;
    view.reference = incident.artifact_name();
    view.title = incident.title;
    view.date = tf.date(incident.declared_at);
    view.status = std::string{state_name(incident.state)};
    view.timezone = tf.zone_name();

    for (const auto& entry : timeline) {
        if (entry.kind != EntryKind::gate) {
            continue;
        }
        const auto decision = parse_gate_record(entry.text);
        const bool relevant = decision && decision->accepted &&
                              (decision->gate == "triage" || decision->gate == "containment" ||
                               decision->gate == "security" || decision->gate == "order");
        if (!relevant) {
            continue;
        }
        view.decisions.push_back(templates::DecisionView{
            tf.date_time(entry.at),
            decision->gate + ": " + decision->detail,
            entry.author,
            decision->context});
    }
    return view;
}

}  // namespace sitrep::bot
