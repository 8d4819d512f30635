#include "bot/prompts.hpp"

#include <fmt/format.h>

namespace sitrep::bot {

using commands::NoteField;

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += separator;
        }
        out += item;
    }
    return out;
}

namespace {

std::string severity_choices(const WorkflowConfig& config) {
    std::vector<std::string> names;
    for (const auto& level : config.severities) {
        names.push_back(level.name);
    }
    return join(names, "|");
}

}  // namespace

std::string Prompts::escalation() const {
    if (config_.escalation_contacts.empty()) {
        return "(no escalation contacts configured)";
    }
    return join(config_.escalation_contacts, " ");
}

std::string Prompts::next_step(const Incident& incident) const {
    switch (incident.state) {
        case IncidentState::declared:
            return fmt::format("`/incident triage <{}> <impact>`", severity_choices(config_));
        case IncidentState::triaged:
            return fmt::format(
                "`/incident contain <{}> <what was done>`", join(config_.strategies, "|")
            );
        case IncidentState::containing:
            return "`/incident contained <evidence>` once it holds, or "
                   "`/incident failed <what was tried>`";
        case IncidentState::contained: {
            if (!incident.security) {
                return "`/incident security <pass|warn|block> [note]`";
            }
            const auto missing = missing_from_postmortem(incident);
            return missing.empty() ? std::string{"`/incident resolve <summary>`"}
                                   : "add " + missing.front();
        }
        case IncidentState::resolved:
            return "`/incident close` to publish the postmortem";
        case IncidentState::closed:
            return "nothing: the incident is closed";
    }
    return {};
}

std::string Prompts::triage(const Incident& incident) const {
    std::string text = fmt::format(
        "{} declared by {}: {}\n"
        "Triage first: set the severity and the impact in one line:\n"
        "  `/incident triage <{}> <impact>`\n"
        "Severity matrix:",
        incident.reference(),
        incident.declared_by,
        incident.title,
        severity_choices(config_)
    );

    for (const auto& level : config_.severities) {
        text += fmt::format(
            "\n  {} (contain within {}): {}",
            level.name,
            format_duration(level.contain_within),
            level.definition
        );
        if (!level.indicators.empty()) {
            text += fmt::format("\n      indicators: {}", join(level.indicators, "; "));
        }
    }

    if (incident.alert && !incident.alert->suggested_severity.empty()) {
        text += fmt::format(
            "\nSuggested from the alert: {} ({})",
            incident.alert->suggested_severity,
            incident.alert->suggestion_reason
        );
    }
    return text;
}

std::string Prompts::containment(const Incident& incident, Timestamp now) const {
    std::string deadline;
    if (incident.deadline) {
        const auto due = incident.deadline->due;
        deadline = fmt::format(
            " Containment deadline: {} ({} after the declaration){}.",
            time_format_.moment(due, now),
            format_duration(due - incident.declared_at),
            due <= now ? ", already passed" : ""
        );
    }
    return fmt::format(
        "Contain before investigating: stop the impact first, the root cause comes later.{}\n"
        "Apply a strategy: {}",
        deadline,
        next_step(incident)
    );
}

std::string Prompts::security(const Incident& incident) const {
    return fmt::format(
        "Security check for {}: could this involve unauthorised access, leaked data or "
        "credentials, or abuse? Answer before resolving:\n"
        "  `/incident security pass [note]` (no), `/incident security warn [note]` (unsure, "
        "keep watching) or `/incident security block [note]` (yes: it becomes a security "
        "incident)\n"
        "Root-cause work may begin: `/incident rca <root cause>`, `/incident factor <text>`, "
        "`/incident action <text> owner=@<user> due=<YYYY-MM-DD>`",
        incident.reference()
    );
}

std::vector<std::string> Prompts::missing_from_postmortem(const Incident& incident) const {
    std::vector<std::string> missing;
    if (incident.latest_note(NoteField::impact).empty()) {
        missing.emplace_back("an impact statement (`/incident impact <text>`)");
    }
    if (incident.latest_note(NoteField::root_cause).empty()) {
        missing.emplace_back("a root cause (`/incident rca <root cause>`)");
    }
    if (incident.notes_of(NoteField::factor).empty()) {
        missing.emplace_back("a contributing factor (`/incident factor <text>`)");
    }
    if (incident.actions.empty()) {
        missing.emplace_back(
            "a prevention action (`/incident action <text> owner=@<user> due=<YYYY-MM-DD>`)"
        );
    }
    return missing;
}

std::string Prompts::deadline_outcome(const Incident& incident) const {
    if (!incident.deadline) {
        return "none: the incident was never triaged";
    }

    const auto& deadline = *incident.deadline;
    if (deadline.met_at) {
        const auto taken = *deadline.met_at - incident.declared_at;
        if (deadline.held()) {
            return fmt::format("held: contained after {}", format_duration(taken));
        }
        return fmt::format(
            "missed: contained after {}, {} past the deadline",
            format_duration(taken),
            format_duration(*deadline.met_at - deadline.due)
        );
    }
    return deadline.breached ? std::string{"missed: not contained by the deadline"}
                             : std::string{"open: not contained yet"};
}

std::string Prompts::status(const Incident& incident, Timestamp now) const {
    const auto& tf = time_format_;
    std::string text = fmt::format(
        "{} {} — {}, {}",
        incident.reference(),
        incident.title,
        state_name(incident.state),
        incident.severity.empty() ? std::string{"not triaged"} : incident.severity
    );

    if (!incident.impact_summary.empty()) {
        text += "\nImpact: " + incident.impact_summary;
    }
    text += fmt::format(
        "\nDeclared {} by {} ({} ago)",
        tf.date_time(incident.declared_at),
        incident.declared_by,
        format_duration(now - incident.declared_at)
    );

    if (incident.deadline && !incident.deadline->met_at) {
        const auto due = incident.deadline->due;
        text += now < due ? fmt::format(
                                "\nContainment deadline: {} (in {})",
                                tf.moment(due, now),
                                format_duration(due - now)
                            )
                          : fmt::format(
                                "\nContainment deadline: {} (breached {} ago)",
                                tf.moment(due, now),
                                format_duration(now - due)
                            );
    }

    // The roles on one line: who leads, who writes things down, who talks to the outside.
    const auto holder = [&](commands::Role role) {
        const auto it = incident.roles.find(role);
        return it == incident.roles.end() ? std::string{"—"} : it->second;
    };
    text += fmt::format(
        "\nCommander: {} · Scribe: {} · Comms: {}",
        holder(commands::Role::commander),
        holder(commands::Role::scribe),
        holder(commands::Role::comms)
    );

    if (!incident.attempts.empty()) {
        const auto& last = incident.attempts.back();
        text += fmt::format(
            "\nContainment: {} — {} (by {} at {}): {}",
            last.strategy,
            last.what,
            last.by,
            tf.hhmm(last.started_at),
            outcome_name(last.outcome)
        );
    }
    text += incident.security
                ? fmt::format("\nSecurity: {}", commands::verdict_name(incident.security->verdict))
                : std::string{"\nSecurity: not answered"};

    const bool investigating =
        incident.state == IncidentState::contained || incident.state == IncidentState::resolved;
    const auto missing = missing_from_postmortem(incident);
    if (investigating && !missing.empty()) {
        text += "\nPostmortem still needs: " + join(missing, "; ");
    }
    text += "\nNext: " + next_step(incident);
    return text;
}

}  // namespace sitrep::bot
