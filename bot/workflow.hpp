#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bot/clock.hpp"
#include "bot/effect.hpp"
#include "bot/incident.hpp"
#include "bot/prompts.hpp"
#include "bot/verification.hpp"
#include "bot/workflow_config.hpp"
#include "commands/command.hpp"

namespace sitrep::bot {

/// The incident after a step, and what the engine must do about it.
struct Outcome {
    Incident incident;
    Effects effects;
};

/// What a new incident starts from.
struct Declaration {
    std::string title;
    std::string declared_by;
    Timestamp at;
    std::string origin_connector;
    std::string origin_room;
    std::string service;
    std::optional<AlertOrigin> alert;
};

/// The gates of an incident as a pure function: (incident, event) → (incident, effects).
/// No I/O happens here; the engine stores the result and carries out the effects. Every
/// refusal says why and what to type instead.
class Workflow {
public:
    Workflow(const WorkflowConfig& config, const TimeFormat& time_format);

    /// A new incident; its id and slug are the store's to assign.
    [[nodiscard]] Incident declare(const Declaration& declaration) const;

    /// What is posted when a stored incident's room opens: the triage prompt with the
    /// severity matrix, and the alert's details when an alert opened it.
    [[nodiscard]] Outcome opened(const Incident& incident, std::string_view alert_details) const;

    /// A `/incident` command typed in the incident's room by `actor`. Declare, timeline and
    /// help are the engine's; they never reach this function.
    [[nodiscard]] Outcome handle(
        const Incident& incident,
        const commands::Command& command,
        const std::string& actor,
        Timestamp now
    ) const;

    /// The result of the health checks that RunHealthChecks asked for.
    [[nodiscard]] Outcome verify(
        const Incident& incident, const VerificationReport& report, Timestamp now
    ) const;

    /// Deadline reminders and breach notices due at `now`.
    [[nodiscard]] Outcome tick(const Incident& incident, Timestamp now) const;

    /// When tick() next has something to do for this incident, if ever.
    [[nodiscard]] std::optional<Timestamp> next_due(const Incident& incident) const;

    [[nodiscard]] const Prompts& prompts() const { return prompts_; }

    [[nodiscard]] const WorkflowConfig& config() const { return config_; }

private:
    const WorkflowConfig& config_;
    Prompts prompts_;
};

}  // namespace sitrep::bot
