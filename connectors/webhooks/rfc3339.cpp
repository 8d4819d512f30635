#include "connectors/webhooks/rfc3339.hpp"

#include <sstream>
#include <string>

#include <date/date.h>

namespace sitrep::connectors {

std::optional<bot::Timestamp> parse_rfc3339(std::string_view text) {
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
    if (date::year_month_day{date::floor<date::days>(at)}.year() <= date::year{1}) {
        return std::nullopt;
    }
    return bot::Timestamp{at.time_since_epoch()};
}

}  // namespace sitrep::connectors
