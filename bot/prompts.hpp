#pragma once

#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "bot/incident.hpp"
#include "bot/time_format.hpp"
#include "bot/workflow_config.hpp"

namespace sitrep::bot {

/// The texts sitrep posts about an incident's progress: prompts, hints, the status answer.
// TODO: render these from mustache templates an operator can replace, as the postmortem is;
// until then changing their wording means changing this code.
/// Commands in them are quoted in backticks; sitrep never runs its own posts as commands.
class Prompts {
public:
    Prompts(const WorkflowConfig& config, const TimeFormat& time_format)
        : config_(config), time_format_(time_format) {}

    /// The command that moves the incident forward from where it stands.
    [[nodiscard]] std::string next_step(const Incident& incident) const;

    /// The triage prompt with the severity matrix (and the suggestion of an alert).
    [[nodiscard]] std::string triage(const Incident& incident) const;

    /// After triage: contain first, the deadline, the strategies.
    [[nodiscard]] std::string containment(const Incident& incident, Timestamp now) const;

    /// Once contained: the security question; root-cause work may begin.
    [[nodiscard]] std::string security(const Incident& incident) const;

    /// The answer to `/incident status`.
    [[nodiscard]] std::string status(const Incident& incident, Timestamp now) const;

    /// What the postmortem still lacks, each with the command that adds it. Empty when it is
    /// complete; while not, a rendered postmortem says DRAFT and resolve is refused.
    [[nodiscard]] std::vector<std::string> missing_from_postmortem(const Incident& incident) const;

    /// Whether the containment deadline held, for the postmortem: "held: contained after 38 min".
    [[nodiscard]] std::string deadline_outcome(const Incident& incident) const;

    /// The escalation contacts as mentions, for failure and breach notices.
    [[nodiscard]] std::string escalation() const;

    [[nodiscard]] const TimeFormat& time_format() const { return time_format_; }

private:
    const WorkflowConfig& config_;
    const TimeFormat& time_format_;
};

/// Items joined with a separator: {"a", "b"} → "a, b".
[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view separator);

}  // namespace sitrep::bot
