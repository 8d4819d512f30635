#pragma once

#include <ostream>
#include <string>

#include "bot/connector.hpp"

namespace sitrep::connectors {

/// The local terminal as a chat platform: rooms are names ("#ops", "#inc-db-down"), the bot's
/// posts print as `[HH:MM] #room sitrep: text` (UTC), and a room sitrep opens becomes the
/// current one. Lines of a multi-line post are indented by two spaces; a file is printed
/// whole between marker lines. Control characters in posts and files are printed as visible
/// escapes (terminal_safe), never sent to the terminal.
class ConsoleConnector final : public bot::Connector {
public:
    ConsoleConnector(std::ostream& out, std::string home_room, std::string bot_name);

    [[nodiscard]] std::string_view name() const override { return "console"; }

    net::awaitable<bot::Delivery> create_room(bot::RoomRequest request) override;
    net::awaitable<bot::Delivery> post(bot::OutboundPost post) override;
    net::awaitable<bot::Delivery> set_topic(std::string room, std::string topic) override;
    net::awaitable<bot::Delivery> upload(bot::FileUpload file) override;
    [[nodiscard]] std::string room_mention(std::string_view room) const override;

    /// The room typed lines go to.
    [[nodiscard]] const std::string& current_room() const { return current_room_; }

    void set_current_room(std::string room) { current_room_ = std::move(room); }

private:
    void print(bot::Timestamp at, const std::string& room, std::string_view raw);

    std::ostream& out_;
    std::string current_room_;
    std::string bot_name_;
    std::int64_t next_message_id_ = 1;
};

}  // namespace sitrep::connectors
