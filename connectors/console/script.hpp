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

/// `[HH:MM] webhook alertmanager payload.json`: where the payload is. It was checked when the
/// script was read, but only its path is kept: a script may replay a large payload hundreds of
/// times, and read_webhook_payload() reads it again when its line runs.
struct ScriptWebhook {
    std::string source;
    std::filesystem::path path;
};

struct ScriptLine {
    int number = 0;  ///< 1-based line number in the file
    bot::Timestamp at;
    std::string room;  ///< empty: the current room
    std::variant<ScriptMessage, ScriptWebhook> event;
};

/// Reads a whole script before anything runs, so a mistake on line 40 is reported before line
/// 1 has changed anything: every payload is read and parsed here too (a file named on several
/// lines only once), then let go. Times are UTC; a time without a date takes the date of the
/// line before (today's, for the first); time never goes backwards. Payload paths are relative
/// to the script's folder. `#` starts a comment line; blank lines are ignored.
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

/// The payload of a webhook line, read and parsed: a regular file of at most
/// max_webhook_body_bytes, a byte order mark at its start skipped (editors on Windows write
/// one; HTTP bodies never carry one, so the parser does not skip it). Throws ScriptError
/// naming the file: "<file>: larger than 1 MiB", "<file>: missing field \"groupKey\"".
[[nodiscard]] bot::AlertNotification read_webhook_payload(const ScriptWebhook& webhook);

}  // namespace sitrep::connectors
