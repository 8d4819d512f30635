#include "connectors/console/script.hpp"

#include <set>
#include <sstream>

#include <date/date.h>
#include <fmt/format.h>

#include "bot/read_regular_file.hpp"
#include "connectors/webhooks/alertmanager_parser.hpp"
#include "connectors/webhooks/webhook_limits.hpp"

namespace sitrep::connectors {

namespace {

/// The payloads a script names that have been read and parsed while checking it. Only the
/// paths are remembered, so the check holds one parsed payload at a time, and a payload named
/// on 200 lines is parsed once.
using CheckedPayloads = std::set<std::filesystem::path>;

/// Editors on Windows start UTF-8 files with a byte order mark; it is not part of the content.
std::string_view skip_byte_order_mark(std::string_view content) {
    constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";
    if (content.starts_with(byte_order_mark)) {
        content.remove_prefix(byte_order_mark.size());
    }
    return content;
}

std::string_view trim(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) {
        return {};
    }
    const auto end = text.find_last_not_of(" \t\r");
    return text.substr(begin, end - begin + 1);
}

/// Reads a time stamp's inside: "HH:MM", "HH:MM:SS", or either after "YYYY-MM-DD ".
bot::Timestamp read_time(std::string_view stamp, std::optional<date::sys_days>& day) {
    std::istringstream in{std::string{stamp}};
    date::sys_seconds at;
    if (stamp.size() > 8) {
        in >> date::parse(stamp.size() > 16 ? "%F %T" : "%F %R", at);
        if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
            throw ScriptError(fmt::format("\"[{}]\" is not a time: write [YYYY-MM-DD HH:MM]", stamp)
            );
        }
        day = date::floor<date::days>(at);
        return bot::Timestamp{at.time_since_epoch()};
    }

    // Read as a time on the current day: parsing into a duration would take "10:60" as 11:00.
    std::istringstream on_day{date::format("%F ", *day) + std::string{stamp}};
    on_day >> date::parse(stamp.size() > 5 ? "%F %T" : "%F %R", at);
    if (on_day.fail() || on_day.peek() != std::char_traits<char>::eof()) {
        throw ScriptError(fmt::format("\"[{}]\" is not a time: write [HH:MM]", stamp));
    }
    return bot::Timestamp{at.time_since_epoch()};
}

ScriptWebhook read_webhook(
    std::string_view rest, const std::filesystem::path& base_dir, CheckedPayloads& checked
) {
    const auto space = rest.find(' ');
    const auto source = rest.substr(0, space);
    const auto file =
        space == std::string_view::npos ? std::string_view{} : trim(rest.substr(space));
    if (source.empty()) {
        throw ScriptError(
            "a webhook line names its source and payload file: webhook alertmanager <path>"
        );
    }
    if (source != "alertmanager") {
        throw ScriptError(fmt::format(
            "webhook source \"{}\" is not known; the console replays \"alertmanager\" payloads",
            source
        ));
    }
    if (file.empty()) {
        throw ScriptError("a webhook line names a payload file: webhook alertmanager <path>");
    }

    // Checked now, so that a bad payload stops the script before it starts; what it holds is
    // read again when the line runs.
    ScriptWebhook webhook{std::string{source}, base_dir / std::string{file}};
    if (checked.insert(webhook.path).second) {
        (void)read_webhook_payload(webhook);
    }
    return webhook;
}

ScriptLine read_line(
    std::string_view line,
    const std::filesystem::path& base_dir,
    std::optional<date::sys_days>& day,
    CheckedPayloads& checked
) {
    if (line.front() != '[') {
        throw ScriptError("a line starts with its time: [HH:MM] <user>: <text>");
    }
    const auto close = line.find(']');
    if (close == std::string_view::npos) {
        throw ScriptError("the time stamp has no closing ']'");
    }

    ScriptLine parsed;
    parsed.at = read_time(trim(line.substr(1, close - 1)), day);
    auto rest = trim(line.substr(close + 1));

    // An optional room: "#ops alice: ..."
    if (!rest.empty() && rest.front() == '#') {
        const auto space = rest.find(' ');
        parsed.room = std::string{rest.substr(0, space)};
        if (parsed.room.size() < 2 || space == std::string_view::npos) {
            throw ScriptError("a room is written #name and followed by <user>: <text>");
        }
        rest = trim(rest.substr(space));
    }

    // "webhook <source> <file>" has no colon after its first word; "<user>: <text>" does.
    const auto first_space = rest.find(' ');
    const auto colon = rest.find(':');
    if (rest.substr(0, first_space) == "webhook" &&
        (colon == std::string_view::npos || colon > first_space)) {
        // A bare "webhook" has nothing after it; read_webhook() says what is missing.
        const auto arguments = first_space == std::string_view::npos
                                   ? std::string_view{}
                                   : trim(rest.substr(first_space));
        parsed.event = read_webhook(arguments, base_dir, checked);
        return parsed;
    }

    if (colon == std::string_view::npos || colon == 0) {
        throw ScriptError("expected <user>: <text> after the time");
    }
    const auto user = rest.substr(0, colon);
    if (user.find_first_of(" \t") != std::string_view::npos) {
        throw ScriptError(fmt::format("\"{}\" is not a user name: names have no spaces", user));
    }
    const auto text = trim(rest.substr(colon + 1));
    if (text.empty()) {
        throw ScriptError(fmt::format("{} says nothing: write <user>: <text>", user));
    }
    parsed.event = ScriptMessage{std::string{user}, std::string{text}};
    return parsed;
}

}  // namespace

std::vector<ScriptLine> parse_script(
    std::string_view text, const std::filesystem::path& base_dir, bot::Timestamp today
) {
    std::optional<date::sys_days> day =
        date::floor<date::days>(date::sys_time<std::chrono::milliseconds>{today.time_since_epoch()}
        );
    std::vector<ScriptLine> lines;
    std::optional<bot::Timestamp> previous;
    CheckedPayloads checked;
    int number = 0;

    while (!text.empty()) {
        ++number;
        const auto newline = text.find('\n');
        const auto raw = trim(text.substr(0, newline));
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        if (raw.empty() || raw.front() == '#') {
            continue;
        }

        try {
            auto line = read_line(raw, base_dir, day, checked);
            line.number = number;
            if (previous && line.at < *previous) {
                throw ScriptError(fmt::format(
                    "time goes backwards ({} is before {}); give the date to cross midnight",
                    date::format("%F %R", line.at),
                    date::format("%F %R", *previous)
                ));
            }
            previous = line.at;
            lines.push_back(std::move(line));
        } catch (const ScriptError& e) {
            throw ScriptError(fmt::format("line {}: {}", number, e.what()));
        }
    }
    return lines;
}

std::vector<ScriptLine> read_script(const std::filesystem::path& file, bot::Timestamp today) {
    std::string text;
    try {
        text = bot::read_regular_file(file, max_script_bytes);
    } catch (const bot::FileReadError& e) {
        throw ScriptError(fmt::format("{}: {}", file.string(), e.what()));
    }

    try {
        return parse_script(skip_byte_order_mark(text), file.parent_path(), today);
    } catch (const ScriptError& e) {
        throw ScriptError(fmt::format("{}: {}", file.string(), e.what()));
    }
}

bot::AlertNotification read_webhook_payload(const ScriptWebhook& webhook) {
    std::string body;
    try {
        body = bot::read_regular_file(webhook.path, max_webhook_body_bytes);
    } catch (const bot::FileReadError& e) {
        throw ScriptError(fmt::format("{}: {}", webhook.path.string(), e.what()));
    }

    auto parsed = parse_alertmanager(skip_byte_order_mark(body));
    if (!parsed) {
        throw ScriptError(fmt::format("{}: {}", webhook.path.string(), parsed.error().message));
    }
    return std::move(*parsed);
}

}  // namespace sitrep::connectors
