#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "bot/engine.hpp"
#include "bot/prompts.hpp"
#include "commands/command_parser.hpp"
#include "commands/text.hpp"

// The engine's alert intake: grouping notifications into incidents, telling the room what
// changed, remembering every alert of a group.
namespace sitrep::bot {

namespace {

/// Alerts listed one per line in a post; a larger group is counted, not listed.
constexpr std::size_t listed_alerts_limit = 20;

/// "CheckoutErrorRate (instance=checkout-a:8080)": an alert in one line for messages.
std::string describe_alert(const Alert& alert, const Labels& common) {
    const auto name = alert.labels.contains("alertname") ? alert.labels.at("alertname") : "alert";
    std::string distinct;
    for (const auto& [key, value] : alert.labels) {
        if (key == "alertname" || common.contains(key)) {
            continue;
        }
        distinct += fmt::format("{}{}={}", distinct.empty() ? "" : ", ", key, value);
    }
    return distinct.empty() ? name : fmt::format("{} ({})", name, distinct);
}

std::string label_or(const Labels& labels, const std::string& key, std::string fallback) {
    const auto it = labels.find(key);
    return it == labels.end() || it->second.empty() ? std::move(fallback) : it->second;
}

/// The value of a label or annotation shared by the group, else the first alert's.
std::string group_value(
    const AlertNotification& n,
    const Labels AlertNotification::*common,
    const Labels Alert::*own,
    const std::string& key
) {
    auto value = label_or(n.*common, key, "");
    if (value.empty() && !n.alerts.empty()) {
        value = label_or(n.alerts.front().*own, key, "");
    }
    return value;
}

/// What one delivery changes in a group: alerts that started firing, alerts that resolved,
/// and how many are simply repeated.
struct AlertChanges {
    std::vector<const Alert*> started_alerts;
    std::vector<std::string> started;
    std::vector<std::string> resolved;
    std::size_t repeated = 0;
};

AlertChanges classify(
    const AlertNotification& n,
    const std::vector<AlertState>& known,
    bool fresh,
    const TimeFormat& tf,
    Timestamp now
) {
    std::set<std::string> seen;
    std::set<std::string> firing;
    for (const auto& state : known) {
        seen.insert(state.fingerprint);
        if (state.firing && !fresh) {
            firing.insert(state.fingerprint);
        }
    }

    AlertChanges changes;
    for (const auto& alert : n.alerts) {
        const auto line = describe_alert(alert, n.common_labels);
        const bool was_firing = firing.contains(alert.fingerprint);
        if (alert.status == AlertStatus::firing) {
            if (was_firing) {
                ++changes.repeated;
            } else {
                changes.started_alerts.push_back(&alert);
                changes.started.push_back(line);
            }
            continue;
        }
        // A resolution is news unless it was already told.
        if (was_firing || !seen.contains(alert.fingerprint) || fresh) {
            changes.resolved.push_back(fmt::format(
                "{} (resolved at {})", line, tf.hhmm(alert.ends_at ? *alert.ends_at : now)
            ));
        }
    }
    return changes;
}

/// The room's message about a delivery; empty when it only repeats what is known. Its first
/// line says everything in one line (the postmortem's timeline shows only that line); the
/// lines below give the details.
std::string describe_changes(const AlertNotification& n, const AlertChanges& changes) {
    const bool group_resolved = n.status == AlertStatus::resolved;
    if (changes.started.empty() && changes.resolved.empty() && !group_resolved) {
        return {};
    }

    std::vector<std::string> parts;
    if (!changes.started.empty()) {
        parts.push_back(fmt::format(
            "{} alert{} firing", changes.started.size(), changes.started.size() == 1 ? "" : "s"
        ));
    }
    if (!changes.resolved.empty()) {
        parts.push_back(fmt::format("{} resolved", changes.resolved.size()));
    }
    if (group_resolved) {
        parts.emplace_back("the whole group is resolved");
    }
    if (n.truncated > 0) {
        parts.push_back(fmt::format("{} more not sent", n.truncated));
    }
    const auto summary =
        group_value(n, &AlertNotification::common_annotations, &Alert::annotations, "summary");
    std::string text = fmt::format(
        "{}: {}{}", n.source, join(parts, ", "), summary.empty() ? "" : " — " + summary
    );

    for (std::size_t i = 0; i < changes.started.size() && i < listed_alerts_limit; ++i) {
        text += "\n  firing: " + changes.started[i];
    }
    if (changes.started.size() > listed_alerts_limit) {
        text +=
            fmt::format("\n  … and {} more firing", changes.started.size() - listed_alerts_limit);
    }
    for (std::size_t i = 0; i < changes.resolved.size() && i < listed_alerts_limit; ++i) {
        text += "\n  resolved: " + changes.resolved[i];
    }
    if (changes.resolved.size() > listed_alerts_limit) {
        text += fmt::format(
            "\n  … and {} more resolved", changes.resolved.size() - listed_alerts_limit
        );
    }

    // What the group shares, else what the first alert that started says.
    if (!changes.started_alerts.empty()) {
        const auto& first = *changes.started_alerts.front();
        const auto annotation = [&](const std::string& key) {
            const auto shared = label_or(n.common_annotations, key, "");
            return shared.empty() ? label_or(first.annotations, key, "") : shared;
        };
        if (const auto description = annotation("description"); !description.empty()) {
            text += "\n  description: " + description;
        }
        if (const auto runbook = annotation("runbook_url"); !runbook.empty()) {
            text += "\n  runbook: " + runbook;
        }
        if (!first.generator_url.empty()) {
            text += "\n  source: " + first.generator_url;
        }
    }

    if (group_resolved) {
        text += "\n  The incident stays open: it closes through its gates.";
    }
    // Alerts the sender left out are said, never hidden.
    if (n.truncated > 0) {
        text += fmt::format(
            "\n  {} more alert{} of this group {} not sent (the sender's max_alerts limit); see {}",
            n.truncated,
            n.truncated == 1 ? "" : "s",
            n.truncated == 1 ? "was" : "were",
            n.external_url.empty() ? n.source : n.external_url
        );
    }
    return text;
}

/// A resolved incident whose alerts fire again: how to reopen it.
std::string firing_again(const Incident& incident, const AlertChanges& changes) {
    if (incident.state != IncidentState::resolved || changes.started.empty()) {
        return {};
    }
    return fmt::format(
        "\n{} is RESOLVED but its alerts fire again. If the impact is back, "
        "`/incident failed <what came back>` reopens containment.",
        incident.reference()
    );
}

}  // namespace

void Engine::on_alert(const AlertNotification& notification, std::string_view connector) {
    store_.transaction([&] {
        const auto now = clock_.now();
        auto group = store_.find_alert_group(notification.source, notification.group_key);
        if (!group) {
            group = AlertGroupState{
                notification.source, notification.group_key, std::nullopt, false, now, now};
        }

        // A group belongs to its incident while that incident is open; once it is closed, the
        // group firing again is a new incident.
        std::optional<Incident> incident;
        if (group->incident_id) {
            incident = store_.find_incident(*group->incident_id);
            if (incident && !incident->is_open()) {
                incident.reset();
            }
        }

        const bool opens = !incident && notification.status == AlertStatus::firing;
        const auto known = store_.alerts_of_group(notification.source, notification.group_key);
        const auto changes = classify(notification, known, opens, time_format_, now);
        const auto said = describe_changes(notification, changes);

        if (opens) {
            incident = open_incident(declaration_for(notification, connector, now), said);
            group->incident_id = incident->id;
        } else if (incident) {
            // The alert first, then what sitrep says about it. A repeat changes nothing: it
            // goes in the timeline only, so the room is not flooded.
            const auto entry =
                !said.empty() ? said
                              : fmt::format(
                                    "{}: {} alert{} still firing (a repeat){}",
                                    notification.source,
                                    changes.repeated,
                                    changes.repeated == 1 ? "" : "s",
                                    notification.truncated
                                        ? fmt::format(", {} more not sent", notification.truncated)
                                        : ""
                                );
            record(*incident, EntryKind::alert, notification.source, entry, !said.empty());
            if (!said.empty()) {
                post(
                    *incident,
                    Post{PostKind::notice, said + firing_again(*incident, changes), false}
                );
            }
        } else {
            log_.info(
                "alert_without_incident source={} status=resolved alerts={}",
                notification.source,
                notification.alerts.size()
            );
        }

        // Remember every alert of the group, so repeats and resolutions are told apart.
        group->firing = notification.status == AlertStatus::firing;
        group->last_seen = now;
        store_.save_alert_group(*group);
        for (const auto& alert : notification.alerts) {
            store_.save_alert(AlertState{
                notification.source,
                notification.group_key,
                alert.fingerprint,
                alert.status == AlertStatus::firing,
                label_or(alert.labels, "alertname", "alert"),
                describe_alert(alert, notification.common_labels),
                now,
                now,
            });
        }
    });
}

Declaration Engine::declaration_for(
    const AlertNotification& n, std::string_view connector, Timestamp now
) const {
    const auto& workflow = config_.workflow;
    const auto common = [&](const std::string& key) {
        return group_value(n, &AlertNotification::common_labels, &Alert::labels, key);
    };

    const auto name = common("alertname");
    const auto summary =
        group_value(n, &AlertNotification::common_annotations, &Alert::annotations, "summary");

    Declaration declaration;
    // An alert's text is the sender's: held to the same limit as a typed title.
    declaration.title = commands::text::cut_utf8(
        summary.empty() ? name : fmt::format("{}: {}", name, summary), commands::max_title_bytes
    );
    if (declaration.title.empty()) {
        declaration.title = "Alert from " + n.source;
    }
    declaration.declared_by = n.source;
    declaration.at = now;
    declaration.origin_connector = std::string{connector};
    declaration.origin_room = config_.announce_room;
    declaration.service = common(workflow.service_label);

    // The severity label suggests a severity; triage stays a person's decision.
    AlertOrigin origin{n.source, n.group_key, {}, {}};
    // Label values are matched ignoring case: "critical" and "CRITICAL" suggest the same.
    const auto label = common(workflow.severity_label);
    const auto it = std::find_if(
        workflow.severity_map.begin(),
        workflow.severity_map.end(),
        [&](const auto& entry) { return commands::text::iequals(entry.first, label); }
    );
    if (it != workflow.severity_map.end()) {
        origin.suggested_severity = it->second;
        origin.suggestion_reason = fmt::format("{}={}", workflow.severity_label, label);
    }
    declaration.alert = std::move(origin);
    return declaration;
}

}  // namespace sitrep::bot
