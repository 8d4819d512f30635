#pragma once

#include "bot/verification.hpp"
#include "bot/workflow_step.hpp"
#include "commands/command.hpp"

// Internal to the workflow: each command's gate and its effect on the incident.
namespace sitrep::bot {

/// Runs one command on the step: checks its gate, then changes the incident and says what
/// happened, or refuses it saying why and what to type instead.
void apply_command(WorkflowStep& step, const commands::Command& command);

/// The result of a verification, manual or from health checks, on a containing incident.
void apply_verification(WorkflowStep& step, const VerificationReport& report);

}  // namespace sitrep::bot
