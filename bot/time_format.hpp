#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "bot/clock.hpp"

namespace date {
class time_zone;
}

namespace sitrep::bot {

/// Shows UTC timestamps in the configured time zone, using the system's time zone database
/// (so daylight-saving changes are applied as they happened).
class TimeFormat {
public:
    /// Throws std::runtime_error when the zone is unknown.
    explicit TimeFormat(std::string_view zone_name = "UTC");

    [[nodiscard]] const std::string& zone_name() const { return zone_name_; }

    [[nodiscard]] std::string hhmm(Timestamp t) const;       ///< "15:07"
    [[nodiscard]] std::string date(Timestamp t) const;       ///< "2026-12-03"
    [[nodiscard]] std::string date_time(Timestamp t) const;  ///< "2026-12-03 15:07"

    /// "2026-10-25 02:50 CEST": unambiguous across a daylight-saving change.
    [[nodiscard]] std::string date_time_zone(Timestamp t) const;

    /// "CET", "CEST", "UTC": the zone's abbreviation at t, which a daylight-saving change moves.
    [[nodiscard]] std::string abbreviation(Timestamp t) const;

    /// "15:07" when t falls on the same local day as `now`, else "2026-12-04 15:07".
    [[nodiscard]] std::string moment(Timestamp t, Timestamp now) const;

    /// The local calendar day of t, for grouping a timeline by day.
    [[nodiscard]] std::chrono::year_month_day local_day(Timestamp t) const;

private:
    std::string zone_name_;
    const date::time_zone* zone_;
};

/// "2026-12-10": a calendar date as ISO 8601 writes it.
[[nodiscard]] std::string format_date(std::chrono::year_month_day day);

/// "45 s", "12 min", "1 h", "1 h 12 min", "2 d 3 h": a span as a responder would say it.
[[nodiscard]] std::string format_duration(std::chrono::milliseconds span);

/// Parses "90s", "15m", "1h", "4h30m", "2d" into a duration. Returns false on anything else.
[[nodiscard]] bool parse_duration(std::string_view text, std::chrono::milliseconds& out);

}  // namespace sitrep::bot
