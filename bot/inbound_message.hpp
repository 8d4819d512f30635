#pragma once

#include <string>

#include "bot/clock.hpp"

namespace sitrep::bot {

/// A message said in a room, as a connector saw it.
struct InboundMessage {
    std::string connector;  ///< "console", "slack", "matrix"
    std::string room;       ///< the connector's id of the room
    std::string author;     ///< the connector's id of the person
    std::string text;
    Timestamp at;
    std::string source_id;   ///< the connector's id of the message, for de-duplication
    std::string thread;      ///< the thread's root message, for a thread reply
    bool from_self = false;  ///< one of sitrep's own posts: recorded, never run
};

}  // namespace sitrep::bot
