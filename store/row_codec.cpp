#include "store/row_codec.hpp"

#include <charconv>
#include <initializer_list>

#include <fmt/format.h>

#include "bot/time_format.hpp"
#include "store/sqlite_incident_store.hpp"

namespace sitrep::store {

using bot::Incident;
using bot::Timestamp;

std::int64_t to_ms(Timestamp t) {
    return t.time_since_epoch().count();
}

Timestamp from_ms(std::int64_t ms) {
    return Timestamp{std::chrono::milliseconds{ms}};
}

std::optional<std::int64_t> to_ms(const std::optional<Timestamp>& t) {
    return t ? std::optional{to_ms(*t)} : std::nullopt;
}

std::optional<Timestamp> from_ms(const std::optional<std::int64_t>& ms) {
    return ms ? std::optional{from_ms(*ms)} : std::nullopt;
}

std::chrono::year_month_day parse_day(std::string_view text) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    if (text.size() == 10) {
        std::from_chars(text.data(), text.data() + 4, year);
        std::from_chars(text.data() + 5, text.data() + 7, month);
        std::from_chars(text.data() + 8, text.data() + 10, day);
    }
    const std::chrono::year_month_day ymd{
        std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
    if (!ymd.ok()) {
        throw bot::StoreError(fmt::format("stored date \"{}\" is not a date", text));
    }
    return ymd;
}

namespace {

/// The value among `values` whose name is `text`, if any.
template <typename Enum, typename NameOf>
std::optional<Enum> named(
    std::string_view text, std::initializer_list<Enum> values, NameOf name_of
) {
    for (const auto value : values) {
        if (name_of(value) == text) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<commands::SecurityVerdict> parse_verdict(std::string_view text) {
    using commands::SecurityVerdict;
    return named(
        text,
        {SecurityVerdict::pass, SecurityVerdict::warn, SecurityVerdict::block},
        commands::verdict_name
    );
}

std::optional<commands::Role> parse_role(std::string_view text) {
    using commands::Role;
    return named(text, {Role::commander, Role::scribe, Role::comms}, commands::role_name);
}

std::string_view field_name(commands::NoteField field) {
    switch (field) {
        case commands::NoteField::impact:
            return "impact";
        case commands::NoteField::root_cause:
            return "root_cause";
        case commands::NoteField::factor:
            return "factor";
        case commands::NoteField::went_well:
            return "went_well";
        case commands::NoteField::went_wrong:
            return "went_wrong";
        case commands::NoteField::lesson:
            return "lesson";
    }
    return "?";
}

std::optional<commands::NoteField> parse_field(std::string_view text) {
    using commands::NoteField;
    return named(
        text,
        {NoteField::impact,
         NoteField::root_cause,
         NoteField::factor,
         NoteField::went_well,
         NoteField::went_wrong,
         NoteField::lesson},
        field_name
    );
}

std::optional<bot::PostKind> parse_post_kind(std::string_view text) {
    using bot::PostKind;
    return named(
        text,
        {PostKind::reply, PostKind::prompt, PostKind::status, PostKind::notice},
        bot::post_kind_name
    );
}

namespace {

// The incident row, in the order read_incident() expects.
constexpr std::string_view incident_columns =
    "id, slug, title, state, declared_by, declared_at, declared_on, origin_connector, origin_room, "
    "connector, room, service, alert_source, alert_group_key, suggested_severity, "
    "suggestion_reason, severity, impact_summary, triaged_at, triage_reminded, deadline_due, "
    "deadline_remind_at, deadline_reminded, deadline_breached, deadline_met_at, "
    "deadline_last_reminder, contained_at, "
    "security_verdict, security_note, security_by, security_at, security_incident, "
    "resolution_summary, resolved_at, closed_at";

}  // namespace

Incident read_incident(const Statement& row) {
    Incident incident;
    int c = 0;
    incident.id = row.integer(c++);
    incident.slug = row.text(c++);
    incident.title = row.text(c++);
    const auto state = row.text(c++);
    incident.state = parse_stored(bot::parse_state(state), "state", state);
    incident.declared_by = row.text(c++);
    incident.declared_at = from_ms(row.integer(c++));
    incident.declared_on = row.text(c++);
    incident.origin_connector = row.text(c++);
    incident.origin_room = row.text(c++);
    incident.connector = row.text(c++);
    incident.room = row.text(c++);
    incident.service = row.text(c++);

    if (!row.is_null(c)) {
        bot::AlertOrigin alert;
        alert.source = row.text(c);
        alert.group_key = row.text(c + 1);
        alert.suggested_severity = row.text(c + 2);
        alert.suggestion_reason = row.text(c + 3);
        incident.alert = std::move(alert);
    }
    c += 4;

    incident.severity = row.text(c++);
    incident.impact_summary = row.text(c++);
    incident.triaged_at = from_ms(row.optional_integer(c++));
    incident.triage_reminded = row.integer(c++) != 0;
    if (!row.is_null(c)) {
        incident.deadline = bot::Deadline{
            from_ms(row.integer(c)),
            from_ms(row.integer(c + 1)),
            row.integer(c + 2) != 0,
            row.integer(c + 3) != 0,
            from_ms(row.optional_integer(c + 4)),
            from_ms(row.optional_integer(c + 5)),
        };
    }
    c += 6;
    incident.contained_at = from_ms(row.optional_integer(c++));

    if (!row.is_null(c)) {
        const auto verdict = row.text(c);
        incident.security = bot::SecurityCheck{
            parse_stored(parse_verdict(verdict), "security verdict", verdict),
            row.text(c + 1),
            row.text(c + 2),
            from_ms(row.integer(c + 3)),
        };
    }
    c += 4;
    incident.security_incident = row.integer(c++) != 0;
    incident.resolution_summary = row.text(c++);
    incident.resolved_at = from_ms(row.optional_integer(c++));
    incident.closed_at = from_ms(row.optional_integer(c++));
    return incident;
}

/// Binds every incident column but the id, from parameter 1 on, in incident_columns order.
int bind_incident(Statement& stmt, const Incident& incident) {
    int p = 1;
    stmt.bind(p++, incident.slug);
    stmt.bind(p++, incident.title);
    stmt.bind(p++, title_key(incident.title));
    stmt.bind(p++, bot::state_name(incident.state));
    stmt.bind(p++, incident.declared_by);
    stmt.bind(p++, to_ms(incident.declared_at));
    stmt.bind(p++, incident.declared_on);
    stmt.bind(p++, incident.origin_connector);
    stmt.bind(p++, incident.origin_room);
    stmt.bind(p++, incident.connector);
    stmt.bind(p++, incident.room);
    stmt.bind(p++, incident.service);

    if (incident.alert) {
        stmt.bind(p++, incident.alert->source);
        stmt.bind(p++, incident.alert->group_key);
        stmt.bind(p++, incident.alert->suggested_severity);
        stmt.bind(p++, incident.alert->suggestion_reason);
    } else {
        for (int i = 0; i < 2; ++i) {
            stmt.bind_null(p++);
        }
        for (int i = 0; i < 2; ++i) {
            stmt.bind(p++, std::string_view{});
        }
    }

    stmt.bind(p++, incident.severity);
    stmt.bind(p++, incident.impact_summary);
    stmt.bind(p++, to_ms(incident.triaged_at));
    stmt.bind(p++, std::int64_t{incident.triage_reminded});
    if (incident.deadline) {
        stmt.bind(p++, to_ms(incident.deadline->due));
        stmt.bind(p++, to_ms(incident.deadline->remind_at));
        stmt.bind(p++, std::int64_t{incident.deadline->reminded});
        stmt.bind(p++, std::int64_t{incident.deadline->breached});
        stmt.bind(p++, to_ms(incident.deadline->met_at));
        stmt.bind(p++, to_ms(incident.deadline->last_reminder));
    } else {
        for (int i = 0; i < 2; ++i) {
            stmt.bind_null(p++);
        }
        for (int i = 0; i < 2; ++i) {
            stmt.bind(p++, std::int64_t{0});
        }
        stmt.bind_null(p++);
        stmt.bind_null(p++);
    }
    stmt.bind(p++, to_ms(incident.contained_at));

    if (incident.security) {
        stmt.bind(p++, commands::verdict_name(incident.security->verdict));
        stmt.bind(p++, incident.security->note);
        stmt.bind(p++, incident.security->by);
        stmt.bind(p++, to_ms(incident.security->at));
    } else {
        stmt.bind_null(p++);
        stmt.bind(p++, std::string_view{});
        stmt.bind(p++, std::string_view{});
        stmt.bind_null(p++);
    }
    stmt.bind(p++, std::int64_t{incident.security_incident});
    stmt.bind(p++, incident.resolution_summary);
    stmt.bind(p++, to_ms(incident.resolved_at));
    stmt.bind(p++, to_ms(incident.closed_at));
    return p;
}

namespace {

constexpr std::string_view incident_write_columns =
    "slug, title, title_key, state, declared_by, declared_at, declared_on, origin_connector, "
    "origin_room, "
    "connector, room, service, alert_source, alert_group_key, suggested_severity, "
    "suggestion_reason, severity, impact_summary, triaged_at, triage_reminded, deadline_due, "
    "deadline_remind_at, deadline_reminded, deadline_breached, deadline_met_at, "
    "deadline_last_reminder, contained_at, "
    "security_verdict, security_note, security_by, security_at, security_incident, "
    "resolution_summary, resolved_at, closed_at";

constexpr int incident_write_count = 35;

/// "slug = ?, title = ?, ..." for the UPDATE of an incident.
std::string column_assignments() {
    std::string assignments;
    std::string_view columns = incident_write_columns;
    while (!columns.empty()) {
        const auto comma = columns.find(", ");
        assignments += assignments.empty() ? "" : ", ";
        assignments += std::string{columns.substr(0, comma)} + " = ?";
        columns = comma == std::string_view::npos ? std::string_view{} : columns.substr(comma + 2);
    }
    return assignments;
}

std::string placeholders(int count) {
    std::string out;
    for (int i = 0; i < count; ++i) {
        out += i == 0 ? "?" : ", ?";
    }
    return out;
}

}  // namespace

bot::TimelineEntry read_entry(const Statement& row) {
    bot::TimelineEntry entry;
    entry.seq = row.integer(0);
    entry.incident_id = row.integer(1);
    entry.at = from_ms(row.integer(2));
    const auto kind = row.text(3);
    entry.kind = parse_stored(bot::parse_entry_kind(kind), "timeline kind", kind);
    entry.author = row.text(4);
    entry.text = row.text(5);
    entry.connector = row.text(6);
    entry.room = row.text(7);
    entry.source_id = row.text(8);
    entry.thread = row.text(9);
    entry.key_event = row.integer(10) != 0;
    return entry;
}

bot::OutboxItem read_outbox(const Statement& row) {
    bot::OutboxItem item;
    item.id = row.integer(0);
    item.incident_id = row.optional_integer(1);
    item.connector = row.text(2);
    const auto kind = row.text(3);
    item.kind = parse_stored(bot::parse_outbox_kind(kind), "outbox kind", kind);
    item.room = row.text(4);
    const auto post_kind = row.text(5);
    item.post_kind = parse_stored(parse_post_kind(post_kind), "post kind", post_kind);
    item.text = row.text(6);
    item.name = row.text(7);
    item.created_at = from_ms(row.integer(8));
    item.attempts = static_cast<int>(row.integer(9));
    item.not_before = from_ms(row.integer(10));
    item.last_error = row.text(11);
    return item;
}

std::string incident_select_sql() {
    return fmt::format("SELECT {} FROM incidents", incident_columns);
}

std::string incident_insert_sql() {
    return fmt::format(
        "INSERT INTO incidents ({}) VALUES ({})",
        incident_write_columns,
        placeholders(incident_write_count)
    );
}

std::string incident_update_sql() {
    return fmt::format("UPDATE incidents SET {} WHERE id = ?", column_assignments());
}

}  // namespace sitrep::store
