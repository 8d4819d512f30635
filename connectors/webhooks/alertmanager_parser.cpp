#include "connectors/webhooks/alertmanager_parser.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "connectors/webhooks/rfc3339.hpp"

namespace sitrep::connectors {

namespace json = boost::json;

namespace {

/// The fields the parser needs, with the path of the object for precise messages.
class Fields {
public:
    Fields(const json::object& object, std::string path)
        : object_(object), path_(std::move(path)) {}

    /// A required string field.
    std::string text(std::string_view name) const {
        const auto* value = object_.if_contains(name);
        if (value == nullptr) {
            throw PayloadError{fmt::format("missing field \"{}{}\"", path_, name)};
        }
        if (!value->is_string()) {
            throw PayloadError{fmt::format("field \"{}{}\" must be a string", path_, name)};
        }
        return std::string{value->get_string()};
    }

    /// An optional string field: empty when absent or null.
    std::string optional_text(std::string_view name) const {
        const auto* value = object_.if_contains(name);
        if (value == nullptr || value->is_null()) {
            return {};
        }
        if (!value->is_string()) {
            throw PayloadError{fmt::format("field \"{}{}\" must be a string", path_, name)};
        }
        return std::string{value->get_string()};
    }

    /// An optional map of string to string (labels, annotations).
    bot::Labels labels(std::string_view name) const {
        bot::Labels labels;
        const auto* value = object_.if_contains(name);
        if (value == nullptr || value->is_null()) {
            return labels;
        }
        if (!value->is_object()) {
            throw PayloadError{fmt::format("field \"{}{}\" must be an object", path_, name)};
        }
        for (const auto& [key, item] : value->get_object()) {
            if (!item.is_string()) {
                throw PayloadError{fmt::format(
                    "field \"{}{}.{}\" must be a string", path_, name, std::string_view{key}
                )};
            }
            labels.emplace(std::string{key}, std::string{item.get_string()});
        }
        return labels;
    }

    std::size_t count(std::string_view name) const {
        const auto* value = object_.if_contains(name);
        if (value == nullptr || value->is_null()) {
            return 0;
        }
        if (value->is_int64() && value->get_int64() >= 0) {
            return static_cast<std::size_t>(value->get_int64());
        }
        if (value->is_uint64()) {
            return static_cast<std::size_t>(value->get_uint64());
        }
        throw PayloadError{
            fmt::format("field \"{}{}\" must be a non-negative number", path_, name)};
    }

    std::optional<bot::Timestamp> time(std::string_view name) const {
        const auto text_value = optional_text(name);
        if (text_value.empty()) {
            return std::nullopt;
        }
        const auto parsed = parse_rfc3339(text_value);
        if (!parsed && text_value.rfind("0001-01-01", 0) != 0) {
            throw PayloadError{fmt::format(
                "field \"{}{}\" is \"{}\", not an RFC 3339 time", path_, name, text_value
            )};
        }
        return parsed;
    }

    bot::AlertStatus status(std::string_view name) const {
        const auto value = text(name);
        if (value == "firing") {
            return bot::AlertStatus::firing;
        }
        if (value == "resolved") {
            return bot::AlertStatus::resolved;
        }
        throw PayloadError{fmt::format(
            "field \"{}{}\" is \"{}\"; expected \"firing\" or \"resolved\"", path_, name, value
        )};
    }

private:
    const json::object& object_;
    std::string path_;
};

json::value parse_json(std::string_view body) {
    json::stream_parser parser;
    boost::system::error_code ec;
    // write() rather than write_some(): text after the value is "extra data", not "incomplete".
    const auto consumed = parser.write(body.data(), body.size(), ec);
    if (!ec) {
        parser.finish(ec);
    }
    if (ec) {
        throw PayloadError{fmt::format("malformed JSON at byte {}: {}", consumed, ec.message())};
    }
    return parser.release();
}

bot::Alert parse_alert(const json::value& value, std::size_t index) {
    const auto path = fmt::format("alerts[{}].", index);
    if (!value.is_object()) {
        throw PayloadError{fmt::format("\"alerts[{}]\" must be an object", index)};
    }
    const Fields fields{value.get_object(), path};

    bot::Alert alert;
    alert.status = fields.status("status");
    alert.labels = fields.labels("labels");
    alert.annotations = fields.labels("annotations");
    alert.starts_at = fields.time("startsAt");
    alert.ends_at = fields.time("endsAt");
    alert.generator_url = fields.optional_text("generatorURL");
    alert.fingerprint = fields.optional_text("fingerprint");
    if (alert.fingerprint.empty()) {
        alert.fingerprint = label_fingerprint(alert.labels);  // senders before Alertmanager 0.19
    }
    if (alert.labels.empty()) {
        throw PayloadError{fmt::format("\"{}labels\" must name the alert", path)};
    }
    return alert;
}

bot::AlertNotification parse_notification(std::string_view body) {
    const auto root = parse_json(body);
    if (!root.is_object()) {
        throw PayloadError{"the body must be a JSON object"};
    }
    const Fields fields{root.get_object(), ""};

    const auto version = fields.text("version");
    if (version != "4") {
        throw PayloadError{fmt::format(
            "payload version \"{}\" is not supported; sitrep reads Alertmanager's version \"4\"",
            version
        )};
    }

    bot::AlertNotification notification;
    notification.source = "alertmanager";
    notification.group_key = fields.text("groupKey");
    if (notification.group_key.empty()) {
        // Repeats and resolutions find their incident by it: an empty key would join every
        // such sender's alerts into one incident.
        throw PayloadError{"groupKey is empty; sitrep groups alerts by it"};
    }
    notification.status = fields.status("status");
    notification.receiver = fields.optional_text("receiver");
    notification.group_labels = fields.labels("groupLabels");
    notification.common_labels = fields.labels("commonLabels");
    notification.common_annotations = fields.labels("commonAnnotations");
    notification.external_url = fields.optional_text("externalURL");
    notification.truncated = fields.count("truncatedAlerts");

    const auto* alerts = root.get_object().if_contains("alerts");
    if (alerts == nullptr) {
        throw PayloadError{"missing field \"alerts\""};
    }
    if (!alerts->is_array()) {
        throw PayloadError{"field \"alerts\" must be an array"};
    }
    for (std::size_t i = 0; i < alerts->get_array().size(); ++i) {
        notification.alerts.push_back(parse_alert(alerts->get_array()[i], i));
    }
    if (notification.alerts.empty()) {
        throw PayloadError{"field \"alerts\" is empty; a notification carries at least one alert"};
    }
    return notification;
}

}  // namespace

PayloadResult<bot::AlertNotification> parse_alertmanager(std::string_view body) {
    try {
        return parse_notification(body);
    } catch (PayloadError& error) {
        return error;
    }
}

std::string label_fingerprint(const bot::Labels& labels) {
    constexpr std::uint64_t offset_basis = 14695981039346656037ULL;
    constexpr std::uint64_t prime = 1099511628211ULL;
    constexpr unsigned char separator = 0xFF;

    std::uint64_t hash = offset_basis;
    auto add = [&hash](unsigned char byte) {
        hash ^= byte;
        hash *= prime;
    };

    // std::map keeps the labels sorted by name, as the algorithm needs.
    for (const auto& [name, value] : labels) {
        for (const char c : name) {
            add(static_cast<unsigned char>(c));
        }
        add(separator);
        for (const char c : value) {
            add(static_cast<unsigned char>(c));
        }
        add(separator);
    }
    return fmt::format("{:016x}", hash);
}

}  // namespace sitrep::connectors
