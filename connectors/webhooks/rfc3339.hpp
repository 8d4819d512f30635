#pragma once

#include <optional>
#include <string_view>

#include "bot/clock.hpp"

namespace sitrep::connectors {

/// Parses an RFC 3339 time ("2026-12-03T16:01:15.432618603Z", "...+02:00") to UTC, truncated
/// to the millisecond. Returns nullopt for anything else, for Go's zero time
/// ("0001-01-01T00:00:00Z"), which senders use to mean "not set", and for years outside
/// 1678..2261, which the nanosecond parse cannot hold.
[[nodiscard]] std::optional<bot::Timestamp> parse_rfc3339(std::string_view text);

}  // namespace sitrep::connectors
