#include "connectors/console/console_session.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include "connectors/console/terminal_safe.hpp"

#include <unistd.h>

namespace sitrep::connectors {

namespace {

constexpr std::string_view join_hint =
    "-- /join takes one room name: /join #room (letters, digits, - and _)";

/// The words of a typed line, split at spaces and tabs.
std::vector<std::string_view> split_words(std::string_view line) {
    std::vector<std::string_view> words;
    std::size_t at = 0;
    while ((at = line.find_first_not_of(" \t", at)) != std::string_view::npos) {
        const auto end = std::min(line.find_first_of(" \t", at), line.size());
        words.push_back(line.substr(at, end - at));
        at = end;
    }
    return words;
}

/// The payload of a webhook line, read again as the line runs: only its path was kept when the
/// script was checked. A payload that no longer reads or parses (the file changed meanwhile)
/// stops the replay here, naming the line; the lines before it have run.
bot::AlertNotification payload_of(const ScriptLine& line, const ScriptWebhook& webhook) {
    try {
        return read_webhook_payload(webhook);
    } catch (const ScriptError& e) {
        throw ScriptError(fmt::format(
            "line {}: {} (the payload changed after the script was checked; the replay stopped "
            "before this line)",
            line.number,
            e.what()
        ));
    }
}

bool is_room_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

}  // namespace

bool is_room_name(std::string_view room) {
    return room.size() >= 2 && room.front() == '#' &&
           std::all_of(room.begin() + 1, room.end(), is_room_character);
}

net::awaitable<void> ConsoleSession::say(
    const std::string& room, const std::string& user, const std::string& text, bot::Timestamp at
) {
    bot::InboundMessage message;
    message.connector = std::string{connector_.name()};
    message.room = room;
    message.author = user;
    message.text = text;
    message.at = at;
    message.from_self = user == bot_name_;
    co_await runtime_.deliver(std::move(message));
}

net::awaitable<void> ConsoleSession::replay(
    const std::vector<ScriptLine>& script, bot::ManualClock& clock, std::ostream* echo
) {
    for (const auto& line : script) {
        co_await runtime_.advance_to(line.at, clock);
        if (!line.room.empty()) {
            connector_.set_current_room(line.room);
        }

        if (const auto* message = std::get_if<ScriptMessage>(&line.event)) {
            if (echo != nullptr) {
                *echo << terminal_safe(
                             "> " + connector_.current_room() + ' ' + message->user + ": " +
                             message->text
                         )
                      << '\n';
            }
            co_await say(connector_.current_room(), message->user, message->text, clock.now());
            continue;
        }

        const auto& webhook = std::get<ScriptWebhook>(line.event);
        auto notification = payload_of(line, webhook);
        if (echo != nullptr) {
            *echo << terminal_safe(
                         "> webhook " + webhook.source + ' ' + webhook.path.filename().string()
                     )
                  << '\n';
        }
        co_await runtime_.deliver(std::move(notification), std::string{connector_.name()});
    }
}

net::awaitable<void> ConsoleSession::interact(
    int input_fd, std::ostream& out, std::string user, const bot::Clock& clock, bool show_prompt
) {
    auto executor = co_await net::this_coro::executor;
    net::posix::stream_descriptor input{executor};
    boost::system::error_code ec;
    input.assign(::dup(input_fd), ec);
    if (ec) {
        throw std::runtime_error("cannot read standard input: " + ec.message());
    }

    std::string buffer;
    for (;;) {
        if (show_prompt) {
            out << terminal_safe(connector_.current_room()) << "> " << std::flush;
        }

        auto [read_error, size] =
            co_await net::async_read_until(input, net::dynamic_buffer(buffer), '\n', as_result);
        if (read_error && buffer.empty()) {
            break;  // end of input
        }
        const auto take = read_error ? buffer.size() : size;
        std::string line = buffer.substr(0, take);
        buffer.erase(0, take);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
            line.pop_back();
        }

        // The console's own commands; anything else, other slash words included, is chat.
        const auto command = console_command(line);
        if (command.quits) {
            break;
        }
        if (command.handled) {
            out << command.answer << '\n' << std::flush;
            continue;
        }
        if (line.find_first_not_of(" \t") == std::string::npos) {
            continue;
        }
        co_await say(connector_.current_room(), user, line, clock.now());
    }
}

ConsoleSession::ConsoleCommand ConsoleSession::console_command(std::string_view line) {
    const auto words = split_words(line);
    if (words.empty()) {
        return {};
    }
    if (words.front() == "/quit" || words.front() == "/exit") {
        return {true, true, {}};
    }
    if (words.front() != "/join") {
        return {};
    }

    if (words.size() != 2) {
        return {true, false, std::string(join_hint)};
    }
    auto room = std::string(words[1]);
    if (room.front() != '#') {
        room.insert(0, 1, '#');
    }
    if (!is_room_name(room)) {
        return {true, false, std::string(join_hint)};
    }
    connector_.set_current_room(room);
    return {true, false, "-- you are in " + room};
}

}  // namespace sitrep::connectors
