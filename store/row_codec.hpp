#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "bot/incident_store.hpp"
#include "store/database.hpp"

// Internal to the store: how its rows map to the bot's types and back. Times are stored as
// milliseconds since the Unix epoch, dates as YYYY-MM-DD text, enums by name.
namespace sitrep::store {

[[nodiscard]] std::int64_t to_ms(bot::Timestamp t);
[[nodiscard]] bot::Timestamp from_ms(std::int64_t ms);
[[nodiscard]] std::optional<std::int64_t> to_ms(const std::optional<bot::Timestamp>& t);
[[nodiscard]] std::optional<bot::Timestamp> from_ms(const std::optional<std::int64_t>& ms);

/// A stored date; StoreError when it is not one.
[[nodiscard]] std::chrono::year_month_day parse_day(std::string_view text);

/// A stored enum's value; StoreError naming the column's meaning when the name is unknown.
template <typename Enum>
[[nodiscard]] Enum parse_stored(
    std::optional<Enum> value, std::string_view what, std::string_view text
) {
    if (!value) {
        throw bot::StoreError(fmt::format("stored {} \"{}\" is unknown", what, text));
    }
    return *value;
}

[[nodiscard]] std::optional<commands::SecurityVerdict> parse_verdict(std::string_view text);
[[nodiscard]] std::optional<commands::Role> parse_role(std::string_view text);
[[nodiscard]] std::string_view field_name(commands::NoteField field);
[[nodiscard]] std::optional<commands::NoteField> parse_field(std::string_view text);
[[nodiscard]] std::optional<bot::PostKind> parse_post_kind(std::string_view text);

/// "SELECT <every incident column> FROM incidents", for read_incident().
[[nodiscard]] std::string incident_select_sql();
/// The INSERT and UPDATE (by id, the last parameter) of every column bind_incident() binds.
[[nodiscard]] std::string incident_insert_sql();
[[nodiscard]] std::string incident_update_sql();

/// The incident row's columns; the details (attempts, notes, ...) are the store's to load.
[[nodiscard]] bot::Incident read_incident(const Statement& row);

/// Binds every incident column but the id, from parameter 1 on; returns the next parameter.
int bind_incident(Statement& stmt, const bot::Incident& incident);

[[nodiscard]] bot::TimelineEntry read_entry(const Statement& row);
[[nodiscard]] bot::OutboxItem read_outbox(const Statement& row);

}  // namespace sitrep::store
