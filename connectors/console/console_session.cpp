#include "connectors/console/console_session.hpp"

#include <stdexcept>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>

#include <unistd.h>

namespace sitrep::connectors {

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
                *echo << "> " << connector_.current_room() << ' ' << message->user << ": "
                      << message->text << '\n';
            }
            co_await say(connector_.current_room(), message->user, message->text, clock.now());
            continue;
        }

        const auto& webhook = std::get<ScriptWebhook>(line.event);
        if (echo != nullptr) {
            *echo << "> webhook " << webhook.source << ' ' << webhook.path.filename().string()
                  << '\n';
        }
        co_await runtime_.deliver(webhook.notification, std::string{connector_.name()});
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
            out << connector_.current_room() << "> " << std::flush;
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

        if (line == "/quit") {
            break;
        }
        if (line.rfind("/join ", 0) == 0 && line.size() > 6) {
            const auto room = line.substr(6);
            connector_.set_current_room(room.front() == '#' ? room : "#" + room);
            continue;
        }
        if (line.find_first_not_of(" \t") == std::string::npos) {
            continue;
        }
        co_await say(connector_.current_room(), user, line, clock.now());
    }
}

}  // namespace sitrep::connectors
