#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "commands/command_parser.hpp"

namespace sitrep::bot {

/// One row of the severity matrix shown in the triage prompt.
struct SeverityLevel {
    std::string name;        ///< "P1"
    std::string definition;  ///< what the level means
    std::vector<std::string> indicators;
    std::chrono::milliseconds contain_within{0};  ///< the containment deadline from declaration
    std::chrono::milliseconds remind_before{0};   ///< when to remind, before that deadline
};

/// Everything the workflow's gates and messages depend on. Loaded from the configuration.
struct WorkflowConfig {
    std::string bot_name = "sitrep";
    std::vector<SeverityLevel> severities;
    std::vector<std::string> strategies;
    std::vector<std::string> escalation_contacts;  ///< mentions, e.g. "@sre-lead"
    std::chrono::milliseconds declare_dedup_window{std::chrono::minutes{10}};

    /// An incident still untriaged this long after its declaration gets one reminder.
    std::chrono::milliseconds triage_remind_after{std::chrono::minutes{5}};

    /// Alert label → severity suggested for triage ("critical" → "P1").
    std::string severity_label = "severity";
    std::map<std::string, std::string> severity_map;
    std::string service_label = "service";

    [[nodiscard]] const SeverityLevel* severity(std::string_view name) const;
    [[nodiscard]] commands::Grammar grammar() const;
};

}  // namespace sitrep::bot
