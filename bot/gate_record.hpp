#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bot/effect.hpp"

namespace sitrep::bot {

/// How a gate decision reads in the timeline: "triage accepted: severity P2 by alice".
[[nodiscard]] std::string gate_record_text(const GateDecision& decision);

/// The decision back from its timeline text; nullopt for text in another form.
[[nodiscard]] std::optional<GateDecision> parse_gate_record(std::string_view text);

}  // namespace sitrep::bot
