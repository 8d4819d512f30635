#include "bot/workflow.hpp"

#include <fmt/format.h>

#include "bot/workflow_commands.hpp"
#include "bot/workflow_step.hpp"

namespace sitrep::bot {

namespace {

/// The checks every command passes first: nothing after close, nothing but triage before it.
bool passes_order_gate(WorkflowStep& step, const commands::Command& command) {
    const auto& incident = step.incident();
    const auto verb = commands::verb_of(command);
    const bool always_allowed = verb == commands::Verb::status || verb == commands::Verb::role;

    if (incident.state == IncidentState::closed && verb != commands::Verb::status) {
        step.refuse(
            "order",
            step.where(),
            "Nothing more can change; `/incident declare <title>` opens a new incident"
        );
        return false;
    }

    // Triage before anything else: the refusal shows the severity matrix again.
    if (incident.state == IncidentState::declared && verb != commands::Verb::triage &&
        !always_allowed) {
        step.refuse(
            "triage",
            fmt::format(
                "triage comes before anything else ({} is not triaged yet)", incident.reference()
            ),
            step.prompts().triage(incident)
        );
        return false;
    }
    return true;
}

}  // namespace

Workflow::Workflow(const WorkflowConfig& config, const TimeFormat& time_format)
    : config_(config), prompts_(config, time_format) {}

Incident Workflow::declare(const Declaration& declaration) const {
    Incident incident;
    incident.title = declaration.title;
    incident.declared_by = declaration.declared_by;
    incident.declared_at = declaration.at;
    incident.origin_connector = declaration.origin_connector;
    incident.origin_room = declaration.origin_room;
    incident.service = declaration.service;
    incident.alert = declaration.alert;
    return incident;
}

Outcome Workflow::opened(const Incident& incident, std::string_view alert_details) const {
    WorkflowStep step{*this, incident, incident.declared_by, incident.declared_at};
    step.accept("order", fmt::format("declared by {}", incident.declared_by), incident.title);

    // The prompt's first line, "INC-3 declared by alice: <title>", opens the key events.
    std::string prompt = prompts_.triage(incident);
    if (!alert_details.empty()) {
        prompt += "\n";
        prompt += alert_details;
    }
    step.post(PostKind::prompt, std::move(prompt), true);
    return std::move(step).finish();
}

Outcome Workflow::handle(
    const Incident& incident,
    const commands::Command& command,
    const std::string& actor,
    Timestamp now
) const {
    WorkflowStep step{*this, incident, actor, now};
    if (passes_order_gate(step, command)) {
        apply_command(step, command);
    }
    return std::move(step).finish();
}

Outcome Workflow::verify(const Incident& incident, const VerificationReport& report, Timestamp now)
    const {
    WorkflowStep step{*this, incident, report.by, now};
    apply_verification(step, report);
    return std::move(step).finish();
}

std::optional<Timestamp> Workflow::next_due(const Incident& incident) const {
    if (incident.state == IncidentState::declared && !incident.triage_reminded) {
        return incident.declared_at + config_.triage_remind_after;
    }
    if (!incident.deadline || incident.deadline->met_at || !incident.is_open()) {
        return std::nullopt;
    }
    const auto& deadline = *incident.deadline;
    if (!deadline.reminded && deadline.remind_at < deadline.due) {
        return deadline.remind_at;
    }
    if (!deadline.breached) {
        // Contained at the due minute is in time: the breach is the first moment after it.
        return deadline.due + std::chrono::milliseconds{1};
    }
    return std::nullopt;
}

Outcome Workflow::tick(const Incident& incident, Timestamp now) const {
    WorkflowStep step{*this, incident, config_.bot_name, now};
    if (!next_due(incident) || now < *next_due(incident)) {
        return std::move(step).finish();
    }

    // Nobody has triaged it yet: nudge once, and bring in the escalation contacts.
    if (incident.state == IncidentState::declared) {
        step.incident().triage_reminded = true;
        step.post(
            PostKind::notice,
            fmt::format(
                "Reminder: {} is still not triaged, {} after it was declared. Escalating to "
                "{}. {}",
                incident.reference(),
                format_duration(now - incident.declared_at),
                prompts_.escalation(),
                step.next()
            ),
            true
        );
        return std::move(step).finish();
    }

    auto& deadline = *step.incident().deadline;
    if (now > deadline.due) {
        // A reminder falling due together with the breach (sitrep was down) is moot.
        deadline.breached = true;
        deadline.reminded = true;
        step.post(
            PostKind::notice,
            fmt::format(
                "DEADLINE BREACHED: {} ({}) was to be contained by {}, {} after the "
                "declaration. Escalating to {}. {}",
                incident.reference(),
                incident.severity,
                prompts_.time_format().moment(deadline.due, now),
                format_duration(deadline.due - incident.declared_at),
                prompts_.escalation(),
                step.next()
            ),
            true
        );
        return std::move(step).finish();
    }

    deadline.reminded = true;
    deadline.last_reminder = now;
    step.post(
        PostKind::notice,
        fmt::format(
            "Reminder: {} ({}) must be contained by {}, in {}. {}",
            incident.reference(),
            incident.severity,
            prompts_.time_format().moment(deadline.due, now),
            format_duration(deadline.due - now),
            step.next()
        ),
        true
    );
    return std::move(step).finish();
}

}  // namespace sitrep::bot
