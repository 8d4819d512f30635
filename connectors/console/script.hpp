#pragma once

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

/// parse_script() on a file.
[[nodiscard]] std::vector<ScriptLine> read_script(
    const std::filesystem::path& file, bot::Timestamp today
);

}  // namespace sitrep::connectors
