#include "connectors/webhooks/rfc3339.hpp"

#include <charconv>
#include <sstream>
#include <string>

#include <date/date.h>

namespace sitrep::connectors {

namespace {

/// The years a nanosecond time point holds (it overflows outside 1677-09-21 .. 2262-04-11).
/// Go's zero time, year 1, is outside: parsed as nanoseconds it would wrap to 1754.
constexpr int first_year = 1678;
constexpr int last_year = 2261;

bool year_in_range(std::string_view text) {
    constexpr std::size_t year_digits = 4;
    if (text.size() < year_digits) {
        return false;
    }
    int year = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + year_digits, year);
    return error == std::errc{} && end == text.data() + year_digits && year >= first_year &&
           year <= last_year;
}

}  // namespace

std::optional<bot::Timestamp> parse_rfc3339(std::string_view text) {
    if (!year_in_range(text)) {
        return std::nullopt;
    }

    // date's %z does not take "Z", so UTC is spelled as an offset before parsing.
    std::string normalized{text};
    if (!normalized.empty() && (normalized.back() == 'Z' || normalized.back() == 'z')) {
        normalized.back() = '+';
        normalized += "00:00";
    }

    std::istringstream in{normalized};
    date::sys_time<std::chrono::nanoseconds> parsed;
    in >> date::parse("%FT%T%Ez", parsed);
    if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
        return std::nullopt;
    }

    const auto at = std::chrono::floor<std::chrono::milliseconds>(parsed);
    return bot::Timestamp{at.time_since_epoch()};
}

}  // namespace sitrep::connectors
