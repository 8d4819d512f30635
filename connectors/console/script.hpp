#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bot/alert.hpp"
#include "bot/clock.hpp"

namespace sitrep::connectors {

/// A line of a script that cannot be read; what() names the line.
class ScriptError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// `[HH:MM] alice: text` or `[YYYY-MM-DD HH:MM] #room alice: text`.
struct ScriptMessage {
    std::string user;
    std::string text;
};

/// `[HH:MM] webhook alertmanager payload.json`: the payload, already parsed.
struct ScriptWebhook {
    std::string source;
    std::filesystem::path path;
    bot::AlertNotification notification;
};

struct ScriptLine {
    int number = 0;  ///< 1-based line number in the file
    bot::Timestamp at;
    std::string room;  ///< empty: the current room
    std::variant<ScriptMessage, ScriptWebhook> event;
};

/// Reads a whole script before anything runs, so a mistake on line 40 is reported before line
/// 1 has changed anything. Times are UTC; a time without a date takes the date of the line
/// before (today's, for the first); time never goes backwards. Payload paths are relative to
/// the script's folder. `#` starts a comment line; blank lines are ignored.
[[nodiscard]] std::vector<ScriptLine> parse_script(
    std::string_view text, const std::filesystem::path& base_dir, bot::Timestamp today
);

/// The largest script read: a day of a busy incident is well under 1 MiB; a larger file is
/// not a script.
inline constexpr std::size_t max_script_bytes = 16 * 1024 * 1024;

/// parse_script() on a file, which must be a regular file of at most max_script_bytes; a byte
/// order mark at its start is skipped. Payload files must be regular files of at most
/// max_webhook_body_bytes. Every error names the file: "<file>: line 4: ...",
/// "<file>: not a regular file".
[[nodiscard]] std::vector<ScriptLine> read_script(
    const std::filesystem::path& file, bot::Timestamp today
);

}  // namespace sitrep::connectors
