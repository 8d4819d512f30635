#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bot/clock.hpp"
#include "bot/effect.hpp"
#include "bot/net.hpp"

namespace sitrep::bot {

/// Why a chat server did not take an outbound item.
struct DeliveryError {
    std::string code;     ///< the platform's own code ("ratelimited", "M_FORBIDDEN") or ours
    std::string message;  ///< for the log and for the person whose action failed
    std::optional<std::chrono::milliseconds> retry_after;  ///< when the server said so
};

/// The chat server's id of what was created or posted, or why it failed.
struct Delivery {
    std::string id;
    std::optional<DeliveryError> error;

    [[nodiscard]] bool ok() const { return !error; }
};

struct RoomRequest {
    std::int64_t incident_id = 0;
    std::string name;  ///< a suggestion; the connector makes it valid for its platform
    std::string topic;
};

struct OutboundPost {
    std::string room;
    std::string text;
    PostKind kind = PostKind::reply;
    Timestamp at;          ///< when sitrep said it
    std::int64_t key = 0;  ///< the outbox id: the same key is the same message
};

struct FileUpload {
    std::string room;
    std::string filename;
    std::string content;
    Timestamp at;
    std::int64_t key = 0;
};

/// A chat platform as the engine sees it. Slack, Matrix and the console implement it; the
/// engine does not know which one it has. Every call is a coroutine on the I/O context;
/// failures come back as values, never as exceptions.
class Connector {
public:
    virtual ~Connector() = default;

    [[nodiscard]] virtual std::string_view name() const = 0;

    virtual net::awaitable<Delivery> create_room(RoomRequest request) = 0;
    virtual net::awaitable<Delivery> post(OutboundPost post) = 0;
    virtual net::awaitable<Delivery> set_topic(std::string room, std::string topic) = 0;
    virtual net::awaitable<Delivery> upload(FileUpload file) = 0;

    /// How a message on this platform links to a room: "#inc-x", "<#C123>".
    [[nodiscard]] virtual std::string room_mention(std::string_view room) const = 0;
};

}  // namespace sitrep::bot
