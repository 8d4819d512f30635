#pragma once

#include <string>
#include <utility>

#include <fmt/format.h>

#include "bot/workflow.hpp"

// Internal to the workflow: not for use outside bot/workflow*.cpp.
namespace sitrep::bot {

/// One event's worth of work: a copy of the incident to change and the effects to emit.
class WorkflowStep {
public:
    WorkflowStep(
        const Workflow& workflow, const Incident& incident, std::string actor, Timestamp now
    )
        : workflow_(workflow), incident_(incident), actor_(std::move(actor)), now_(now) {}

    Outcome finish() && { return Outcome{std::move(incident_), std::move(effects_)}; }

    void post(PostKind kind, std::string text, bool key_event = false) {
        effects_.emplace_back(Post{kind, std::move(text), key_event});
    }

    void accept(std::string gate, std::string detail, std::string context = {}) {
        effects_.emplace_back(GateDecision{
            std::move(gate), true, std::move(detail), std::move(context)});
    }

    /// Refuses the step: records the gate decision and tells the room why and what instead.
    void refuse(std::string gate, const std::string& why, const std::string& instead) {
        effects_.emplace_back(GateDecision{std::move(gate), false, why, {}});
        post(PostKind::reply, fmt::format("Refused: {}. {}", why, instead));
    }

    void emit(Effect effect) { effects_.push_back(std::move(effect)); }

    Incident& incident() { return incident_; }

    const std::string& actor() const { return actor_; }

    Timestamp now() const { return now_; }

    const Prompts& prompts() const { return workflow_.prompts(); }

    const WorkflowConfig& config() const { return workflow_.config(); }

    std::string hhmm(Timestamp t) const { return prompts().time_format().hhmm(t); }

    /// "INC-3 is TRIAGED": where the incident stands, for refusals.
    std::string where() const {
        return fmt::format("{} is {}", incident_.reference(), state_name(incident_.state));
    }

    std::string next() const { return "Next: " + prompts().next_step(incident_); }

private:
    const Workflow& workflow_;
    Incident incident_;
    std::string actor_;
    Timestamp now_;
    Effects effects_;
};

}  // namespace sitrep::bot
