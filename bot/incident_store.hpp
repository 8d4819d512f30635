#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bot/clock.hpp"
#include "bot/effect.hpp"
#include "bot/incident.hpp"

namespace sitrep::bot {

/// What a timeline row records.
enum class EntryKind {
    message,   ///< a responder's chat message
    command,   ///< a responder's `/incident` command, as typed
    bot,       ///< one of sitrep's own posts
    status,    ///< one of sitrep's status lines ("TRIAGE: P2 — ...")
    alert,     ///< an alert notification for the incident
    gate,      ///< a gate decision: a step accepted or refused, and why
    edit,      ///< a message was edited (the new text)
    deletion,  ///< a message was deleted
};

[[nodiscard]] std::string_view entry_kind_name(EntryKind kind);
[[nodiscard]] std::optional<EntryKind> parse_entry_kind(std::string_view name);

/// One thing that happened in or to an incident, in the order it happened.
struct TimelineEntry {
    std::int64_t seq = 0;  ///< assigned by the store; orders the timeline
    std::int64_t incident_id = 0;
    Timestamp at;
    EntryKind kind = EntryKind::message;
    std::string author;
    std::string text;
    std::string connector;
    std::string room;
    std::string source_id;   ///< the connector's id of the message, when it has one
    std::string thread;      ///< the thread's root message, for a thread reply
    bool key_event = false;  ///< shown in the postmortem's timeline
};

enum class OutboxKind { create_room, post, set_topic, upload };

[[nodiscard]] std::string_view outbox_kind_name(OutboxKind kind);
[[nodiscard]] std::optional<OutboxKind> parse_outbox_kind(std::string_view name);

/// Something to send to a chat server, kept until the server confirms it.
struct OutboxItem {
    std::int64_t id = 0;  ///< assigned by the store; also the idempotency key of the send
    std::optional<std::int64_t> incident_id;
    std::string connector;
    OutboxKind kind = OutboxKind::post;
    std::string room;  ///< empty: the incident's room, looked up when sending
    PostKind post_kind = PostKind::reply;
    std::string text;  ///< the message, the topic, or the file's content
    std::string name;  ///< the room's name (create_room) or the file's name (upload)
    Timestamp created_at;
    int attempts = 0;
    Timestamp not_before;
    std::string last_error;
};

/// What sitrep knows of one alert group of one source.
struct AlertGroupState {
    std::string source;
    std::string group_key;
    std::optional<std::int64_t> incident_id;  ///< none for a group that never opened one
    bool firing = false;
    Timestamp first_seen;
    Timestamp last_seen;
};

/// What sitrep knows of one alert of a group.
struct AlertState {
    std::string source;
    std::string group_key;
    std::string fingerprint;
    bool firing = false;
    std::string name;     ///< alertname
    std::string summary;  ///< the labels in one line, for messages
    Timestamp first_seen;
    Timestamp last_seen;
};

/// A failure of the store itself (disk full, corrupt database): a bug or an operator's
/// problem, never a user's. The transaction it happened in was rolled back.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The database was locked by another connection for longer than the store waits (a backup,
/// an operator's sqlite3 session). Nothing was written; the same work can be tried again.
class StoreBusy : public StoreError {
public:
    using StoreError::StoreError;
};

/// Where incidents, their timelines, the outbox and alert state are kept. All calls happen on
/// one thread (the store thread); work that must be atomic runs inside transaction().
class IncidentStore {
public:
    virtual ~IncidentStore() = default;

    /// Runs `work` in one transaction: everything it stored is kept, or, if it throws,
    /// nothing. Nested calls join the outer transaction.
    virtual void transaction(const std::function<void()>& work) = 0;

    // Incidents

    /// Stores a new incident; assigns its id and a slug unique among all incidents.
    virtual void create_incident(Incident& incident) = 0;
    virtual void save_incident(const Incident& incident) = 0;
    [[nodiscard]] virtual std::optional<Incident> find_incident(std::int64_t id) = 0;
    [[nodiscard]] virtual std::optional<Incident> find_incident_by_slug(std::string_view slug) = 0;
    [[nodiscard]] virtual std::optional<Incident> find_incident_by_room(
        std::string_view connector, std::string_view room
    ) = 0;

    /// The open incident declared since `since` whose title matches, ignoring case and
    /// spacing; the newest when several do.
    [[nodiscard]] virtual std::optional<Incident> find_open_incident_titled(
        std::string_view title, Timestamp since
    ) = 0;

    [[nodiscard]] virtual std::vector<Incident> open_incidents() = 0;
    [[nodiscard]] virtual std::vector<Incident> recent_incidents(std::size_t limit) = 0;

    // Timeline

    /// Appends an entry; assigns its seq.
    virtual void append(TimelineEntry& entry) = 0;
    [[nodiscard]] virtual std::vector<TimelineEntry> timeline(std::int64_t incident_id) = 0;

    /// Remembers an inbound event by its connector's id. False when it was seen before: the
    /// connector delivered it twice and it must not be processed again.
    [[nodiscard]] virtual bool remember_inbound(
        std::string_view connector, std::string_view source_id, Timestamp at
    ) = 0;

    /// The time of the latest thing recorded, if any: a replay must not start before it.
    [[nodiscard]] virtual std::optional<Timestamp> latest_record() = 0;

    // Outbox

    virtual void enqueue(OutboxItem& item) = 0;
    /// Items whose time has come, oldest first.
    [[nodiscard]] virtual std::vector<OutboxItem> due_outbox(Timestamp now, std::size_t limit) = 0;
    [[nodiscard]] virtual std::optional<Timestamp> next_outbox_attempt() = 0;
    virtual void complete_outbox(std::int64_t id) = 0;
    virtual void retry_outbox(std::int64_t id, std::string_view error, Timestamp not_before) = 0;
    [[nodiscard]] virtual std::size_t outbox_depth() = 0;

    // Alerts

    [[nodiscard]] virtual std::optional<AlertGroupState> find_alert_group(
        std::string_view source, std::string_view group_key
    ) = 0;
    virtual void save_alert_group(const AlertGroupState& group) = 0;
    [[nodiscard]] virtual std::vector<AlertState> alerts_of_group(
        std::string_view source, std::string_view group_key
    ) = 0;
    virtual void save_alert(const AlertState& alert) = 0;
};

}  // namespace sitrep::bot
