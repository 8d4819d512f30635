#include "bot/workflow_config.hpp"

namespace sitrep::bot {

const SeverityLevel* WorkflowConfig::severity(std::string_view name) const {
    for (const auto& level : severities) {
        if (level.name == name) {
            return &level;
        }
    }
    return nullptr;
}

commands::Grammar WorkflowConfig::grammar() const {
    commands::Grammar grammar;
    for (const auto& level : severities) {
        grammar.severities.push_back(level.name);
    }
    grammar.strategies = strategies;
    return grammar;
}

}  // namespace sitrep::bot
