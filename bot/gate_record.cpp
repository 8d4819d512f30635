#include "bot/gate_record.hpp"

#include <fmt/format.h>

namespace sitrep::bot {

namespace {

constexpr std::string_view accepted_marker = " accepted: ";
constexpr std::string_view refused_marker = " refused: ";

}  // namespace

std::string gate_record_text(const GateDecision& decision) {
    // The decision on the first line; the responder's own words, if any, below it.
    return fmt::format(
        "{}{}{}{}{}",
        decision.gate,
        decision.accepted ? accepted_marker : refused_marker,
        decision.detail,
        decision.context.empty() ? "" : "\n",
        decision.context
    );
}

std::optional<GateDecision> parse_gate_record(std::string_view text) {
    const auto newline = text.find('\n');
    const auto first_line = text.substr(0, newline);
    const auto context =
        newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);

    for (const auto marker : {accepted_marker, refused_marker}) {
        const auto at = first_line.find(marker);
        const auto gate = first_line.substr(0, at);
        if (at == std::string_view::npos || gate.find(' ') != std::string_view::npos) {
            continue;
        }
        return GateDecision{
            std::string{gate},
            marker == accepted_marker,
            std::string{first_line.substr(at + marker.size())},
            std::string{context}};
    }
    return std::nullopt;
}

}  // namespace sitrep::bot
