#include "bot/time_format.hpp"

#include <charconv>
#include <stdexcept>

#include <date/tz.h>
#include <fmt/format.h>

namespace sitrep::bot {

namespace {

date::zoned_time<std::chrono::milliseconds> zoned(const date::time_zone* zone, Timestamp t) {
    return date::zoned_time<std::chrono::milliseconds>{zone, t};
}

}  // namespace

TimeFormat::TimeFormat(std::string_view zone_name) : zone_name_(zone_name) {
    try {
        zone_ = date::locate_zone(zone_name_);
    } catch (const std::exception& e) {
        throw std::runtime_error(fmt::format("unknown time zone \"{}\": {}", zone_name_, e.what()));
    }
}

std::string TimeFormat::hhmm(Timestamp t) const {
    return date::format("%H:%M", zoned(zone_, t));
}

std::string TimeFormat::date(Timestamp t) const {
    return date::format("%Y-%m-%d", zoned(zone_, t));
}

std::string TimeFormat::date_time(Timestamp t) const {
    return date::format("%Y-%m-%d %H:%M", zoned(zone_, t));
}

std::string TimeFormat::date_time_zone(Timestamp t) const {
    return date::format("%Y-%m-%d %H:%M %Z", zoned(zone_, t));
}

std::string TimeFormat::abbreviation(Timestamp t) const {
    return date::format("%Z", zoned(zone_, t));
}

std::string TimeFormat::moment(Timestamp t, Timestamp now) const {
    return local_day(t) == local_day(now) ? hhmm(t) : date_time(t);
}

std::chrono::year_month_day TimeFormat::local_day(Timestamp t) const {
    const auto local = zoned(zone_, t).get_local_time();
    const auto day = date::floor<date::days>(local);
    return std::chrono::year_month_day{std::chrono::local_days{day.time_since_epoch()}};
}

std::string format_date(std::chrono::year_month_day day) {
    return fmt::format(
        "{:04}-{:02}-{:02}",
        static_cast<int>(day.year()),
        static_cast<unsigned>(day.month()),
        static_cast<unsigned>(day.day())
    );
}

std::string format_duration(std::chrono::milliseconds span) {
    using namespace std::chrono;

    if (span < minutes{1}) {
        return fmt::format("{} s", duration_cast<seconds>(span).count());
    }

    const auto total_minutes = duration_cast<minutes>(span).count();
    const auto days = total_minutes / (24 * 60);
    const auto hours = (total_minutes / 60) % 24;
    const auto mins = total_minutes % 60;

    if (days > 0) {
        return hours > 0 ? fmt::format("{} d {} h", days, hours) : fmt::format("{} d", days);
    }
    if (hours > 0) {
        return mins > 0 ? fmt::format("{} h {} min", hours, mins) : fmt::format("{} h", hours);
    }
    return fmt::format("{} min", mins);
}

bool parse_duration(std::string_view text, std::chrono::milliseconds& out) {
    using namespace std::chrono;

    milliseconds total{0};
    const char* p = text.data();
    const char* end = text.data() + text.size();
    if (p == end) {
        return false;
    }

    // A sequence of <number><unit> parts: "4h30m".
    while (p != end) {
        long long amount = 0;
        const auto [next, ec] = std::from_chars(p, end, amount);
        if (ec != std::errc{} || next == end || amount < 0) {
            return false;
        }
        milliseconds unit{0};
        switch (*next) {
            case 's':
                unit = seconds{1};
                break;
            case 'm':
                unit = minutes{1};
                break;
            case 'h':
                unit = hours{1};
                break;
            case 'd':
                unit = days{1};
                break;
            default:
                return false;
        }

        // A sum beyond what milliseconds hold is a typo, not a duration; refuse it rather
        // than overflow.
        if (amount > (milliseconds::max() - total) / unit) {
            return false;
        }
        total += amount * unit;
        p = next + 1;
    }

    out = total;
    return true;
}

}  // namespace sitrep::bot
