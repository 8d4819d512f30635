#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "bot/clock.hpp"
#include "bot/net.hpp"
#include "bot/runtime.hpp"
#include "connectors/console/console_connector.hpp"
#include "connectors/console/script.hpp"

namespace sitrep::connectors {

/// A room name the console accepts from `/join`: '#' and then ASCII letters, digits, '-' and
/// '_' (at least one).
[[nodiscard]] bool is_room_name(std::string_view room);

/// Drives the engine from the terminal: typed lines in real time, or a script in simulated
/// time.
class ConsoleSession {
public:
    ConsoleSession(bot::Runtime& runtime, ConsoleConnector& connector, std::string bot_name)
        : runtime_(runtime), connector_(connector), bot_name_(std::move(bot_name)) {}

    /// Replays a parsed script: each line's time moves the manual clock (deadlines fire on
    /// the way), then its message or webhook is delivered and the outbox drained. With
    /// `echo`, each script line is printed before what sitrep says about it.
    net::awaitable<void> replay(
        const std::vector<ScriptLine>& script, bot::ManualClock& clock, std::ostream* echo
    );

    /// Reads lines typed by `user` from a terminal or pipe until end of input, `/quit` or
    /// `/exit`. `/join #room` changes the current room and says so on one line starting with
    /// "-- "; a malformed `/join` gets a one-line hint. Every other line, `/anything` included,
    /// is said in the current room.
    net::awaitable<void> interact(
        int input_fd, std::ostream& out, std::string user, const bot::Clock& clock, bool show_prompt
    );

private:
    /// What a typed line means to the console itself.
    struct ConsoleCommand {
        bool handled = false;  ///< the console answered it; it is not chat
        bool quits = false;
        std::string answer;  ///< the one line to print, when handled and not quitting
    };

    ConsoleCommand console_command(std::string_view line);

    net::awaitable<void> say(
        const std::string& room, const std::string& user, const std::string& text, bot::Timestamp at
    );

    bot::Runtime& runtime_;
    ConsoleConnector& connector_;
    std::string bot_name_;
    std::int64_t next_id_ = 1;
};

}  // namespace sitrep::connectors
