#include "bot/incident_store.hpp"

#include "bot/enum_names.hpp"

namespace sitrep::bot {

namespace {

constexpr EnumNames<EntryKind, 8> entry_kind_names{
    std::pair{EntryKind::message, std::string_view{"message"}},
    std::pair{EntryKind::command, std::string_view{"command"}},
    std::pair{EntryKind::bot, std::string_view{"bot"}},
    std::pair{EntryKind::status, std::string_view{"status"}},
    std::pair{EntryKind::alert, std::string_view{"alert"}},
    std::pair{EntryKind::gate, std::string_view{"gate"}},
    std::pair{EntryKind::edit, std::string_view{"edit"}},
    std::pair{EntryKind::deletion, std::string_view{"deletion"}},
};

constexpr EnumNames<OutboxKind, 4> outbox_kind_names{
    std::pair{OutboxKind::create_room, std::string_view{"create_room"}},
    std::pair{OutboxKind::post, std::string_view{"post"}},
    std::pair{OutboxKind::set_topic, std::string_view{"set_topic"}},
    std::pair{OutboxKind::upload, std::string_view{"upload"}},
};

}  // namespace

std::string_view entry_kind_name(EntryKind kind) {
    return name_in(entry_kind_names, kind);
}

std::optional<EntryKind> parse_entry_kind(std::string_view name) {
    return value_in(entry_kind_names, name);
}

std::string_view outbox_kind_name(OutboxKind kind) {
    return name_in(outbox_kind_names, kind);
}

std::optional<OutboxKind> parse_outbox_kind(std::string_view name) {
    return value_in(outbox_kind_names, name);
}

}  // namespace sitrep::bot
