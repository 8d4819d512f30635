#pragma once

#include <vector>

#include "bot/clock.hpp"
#include "bot/incident.hpp"
#include "bot/incident_store.hpp"
#include "bot/prompts.hpp"
#include "bot/workflow_config.hpp"
#include "templates/postmortem_view.hpp"

namespace sitrep::bot {

/// Turns an incident and its timeline into what the artifact templates are filled with:
/// times in the display zone, the timeline's key events grouped by day, the gaps that keep
/// the postmortem a draft.
class PostmortemBuilder {
public:
    PostmortemBuilder(const WorkflowConfig& config, const Prompts& prompts)
        : config_(config), prompts_(prompts) {}

    [[nodiscard]] templates::PostmortemView postmortem(
        const Incident& incident, const std::vector<TimelineEntry>& timeline, Timestamp now
    ) const;

    /// The severity, containment, security and lifecycle decisions: what, who, when.
    [[nodiscard]] templates::DecisionRecordView decision_record(
        const Incident& incident, const std::vector<TimelineEntry>& timeline
    ) const;

private:
    const WorkflowConfig& config_;
    const Prompts& prompts_;
};

}  // namespace sitrep::bot
