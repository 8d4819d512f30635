#include "connectors/console/console_connector.hpp"

#include <fmt/format.h>

#include "connectors/console/terminal_safe.hpp"

namespace sitrep::connectors {

namespace {

std::string hhmm_utc(bot::Timestamp at) {
    const auto minutes = std::chrono::floor<std::chrono::minutes>(at);
    const auto of_day = minutes - std::chrono::floor<std::chrono::days>(minutes);
    const auto hours = std::chrono::duration_cast<std::chrono::hours>(of_day);
    return fmt::format("{:02}:{:02}", hours.count(), (of_day - hours).count());
}

}  // namespace

ConsoleConnector::ConsoleConnector(std::ostream& out, std::string home_room, std::string bot_name)
    : out_(out), current_room_(std::move(home_room)), bot_name_(std::move(bot_name)) {}

net::awaitable<bot::Delivery> ConsoleConnector::create_room(bot::RoomRequest request) {
    // A room sitrep opens becomes the current one, as if the user had joined it.
    current_room_ = "#" + request.name;
    co_return bot::Delivery{current_room_, std::nullopt};
}

net::awaitable<bot::Delivery> ConsoleConnector::post(bot::OutboundPost post) {
    print(post.at, post.room, post.text);
    co_return bot::Delivery{fmt::format("console-{}", next_message_id_++), std::nullopt};
}

net::awaitable<bot::Delivery> ConsoleConnector::set_topic(std::string room, std::string) {
    // A terminal has no topic line to show; the status answer says the same.
    co_return bot::Delivery{std::move(room), std::nullopt};
}

net::awaitable<bot::Delivery> ConsoleConnector::upload(bot::FileUpload file) {
    print(
        file.at,
        file.room,
        fmt::format("posted file {} ({} bytes):", file.filename, file.content.size())
    );
    const auto filename = terminal_safe(file.filename);
    out_ << terminal_safe(file.content);
    if (!file.content.empty() && file.content.back() != '\n') {
        out_ << '\n';
    }
    out_ << "[end of " << filename << "]\n";
    out_.flush();
    co_return bot::Delivery{file.filename, std::nullopt};
}

std::string ConsoleConnector::room_mention(std::string_view room) const {
    return std::string{room};
}

void ConsoleConnector::print(bot::Timestamp at, const std::string& room, std::string_view raw) {
    // What others typed reaches the terminal inside these posts; it must not drive it.
    const auto safe = terminal_safe(raw);
    std::string_view text = safe;
    out_ << '[' << hhmm_utc(at) << "] " << terminal_safe(room) << ' ' << terminal_safe(bot_name_)
         << ": ";

    // Continuation lines are indented, so every post starts with its time stamp.
    bool first = true;
    while (true) {
        const auto newline = text.find('\n');
        out_ << (first ? "" : "  ") << text.substr(0, newline) << '\n';
        first = false;
        if (newline == std::string_view::npos) {
            break;
        }
        text.remove_prefix(newline + 1);
    }
    out_.flush();
}

}  // namespace sitrep::connectors
