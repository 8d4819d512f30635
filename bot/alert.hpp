#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"

namespace sitrep::bot {

using Labels = std::map<std::string, std::string>;

enum class AlertStatus { firing, resolved };

/// One alert, in the form every source's parser produces.
struct Alert {
    AlertStatus status = AlertStatus::firing;
    Labels labels;
    Labels annotations;
    std::optional<Timestamp> starts_at;
    std::optional<Timestamp> ends_at;  ///< set when resolved; a firing alert's is meaningless
    std::string fingerprint;           ///< stable id of the label set
    std::string generator_url;         ///< the rule or query that fired
    std::string silence_url;
    std::string dashboard_url;
    std::string panel_url;
};

/// One delivery of an alerting system about one group of alerts.
struct AlertNotification {
    std::string source;     ///< "alertmanager"
    std::string group_key;  ///< stable per group; follow-ups of a group carry the same key
    AlertStatus status = AlertStatus::firing;  ///< firing while any alert of the group fires
    std::string receiver;
    Labels group_labels;
    Labels common_labels;
    Labels common_annotations;
    std::string external_url;
    std::vector<Alert> alerts;
    std::size_t truncated = 0;  ///< alerts of the group the sender left out (max_alerts)
};

}  // namespace sitrep::bot
