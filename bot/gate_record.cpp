#include "bot/gate_record.hpp"

#include <fmt/format.h>

namespace sitrep::bot {

namespace {

constexpr std::string_view accepted_marker = " accepted: ";
constexpr std::string_view refused_marker = " refused: ";

}  // namespace

std::string gate_record_text(const GateDecision& decision) {
    return fmt::format(
        "{}{}{}",
        decision.gate,
        decision.accepted ? accepted_marker : refused_marker,
        decision.detail
    );
}

std::optional<GateDecision> parse_gate_record(std::string_view text) {
    for (const auto marker : {accepted_marker, refused_marker}) {
        const auto at = text.find(marker);
        const auto gate = text.substr(0, at);
        if (at == std::string_view::npos || gate.find(' ') != std::string_view::npos) {
            continue;
        }
        return GateDecision{
            std::string{gate},
            marker == accepted_marker,
            std::string{text.substr(at + marker.size())}};
    }
    return std::nullopt;
}

}  // namespace sitrep::bot
