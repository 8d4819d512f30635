#pragma once

#include <string_view>

#include "bot/alert.hpp"
#include "connectors/webhooks/payload_error.hpp"

namespace sitrep::connectors {

/// Parses a Prometheus Alertmanager webhook body (payload version 4). Fields that older
/// Alertmanagers do not send (fingerprint, truncatedAlerts) are optional; a missing
/// fingerprint is computed from the labels the way Prometheus does.
[[nodiscard]] PayloadResult<bot::AlertNotification> parse_alertmanager(std::string_view body);

/// The fingerprint Prometheus gives a label set: FNV-1a (64 bit) over the names and values
/// sorted by name, each followed by the byte 0xFF, as 16 hex digits.
[[nodiscard]] std::string label_fingerprint(const bot::Labels& labels);

}  // namespace sitrep::connectors
