#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "bot/alert.hpp"
#include "bot/clock.hpp"
#include "bot/config.hpp"
#include "bot/inbound_message.hpp"
#include "bot/incident_store.hpp"
#include "bot/time_format.hpp"
#include "bot/workflow.hpp"

namespace spdlog {
class logger;
}

namespace sitrep::templates {
class TemplateSet;
}

namespace sitrep::bot {

/// Joins the workflow, the commands and the store: each inbound event becomes one transaction
/// that records it in the timeline, runs the gates and queues what must be said in the outbox.
/// Nothing here waits on a network; the runtime delivers the outbox. All calls happen on the
/// store thread.
class Engine {
public:
    Engine(
        const Config& config,
        IncidentStore& store,
        const templates::TemplateSet& templates,
        const Clock& clock,
        spdlog::logger& log
    );

    /// A message said in a room: recorded when the room is an incident's, run when it is a
    /// command. A message whose source id was seen before is ignored (a redelivery). Returns
    /// whether anything was queued in the outbox. Throws StoreError when the store fails.
    bool on_message(const InboundMessage& message);

    /// An alerting system's notification: opens an incident for a new firing group, adds
    /// everything else to the group's incident. `connector` is where a new incident's room
    /// opens and where it is announced.
    void on_alert(const AlertNotification& notification, std::string_view connector);

    /// Deadline reminders and breach notices due by now.
    void on_tick();

    /// The connector created the room an outbox item asked for.
    void on_room_created(const OutboxItem& item, std::string_view room, std::string_view mention);

    /// When on_tick() next has something to do.
    [[nodiscard]] std::optional<Timestamp> next_deadline();

    /// The postmortem of an incident as it stands now (a draft until it is complete), without
    /// writing anything. Throws std::runtime_error when the incident does not exist.
    [[nodiscard]] std::string render_postmortem(std::int64_t incident_id);

    /// Renders the postmortem and the decision record into the data directory, both or
    /// neither. Returns the postmortem's path. Throws std::runtime_error when the incident does
    /// not exist or a file cannot be written.
    std::filesystem::path write_artifacts(std::int64_t incident_id);

    [[nodiscard]] const Workflow& workflow() const { return workflow_; }

    [[nodiscard]] const TimeFormat& time_format() const { return time_format_; }

private:
    struct Origin;

    /// The two artifacts of an incident and the file name they share.
    struct Artifacts {
        std::string file_name;
        std::string postmortem;
        std::string decision_record;
    };

    Artifacts render_artifacts(std::int64_t incident_id);
    std::filesystem::path write(Artifacts artifacts);

    void handle_message(const InboundMessage& message);
    void answer_failure(const InboundMessage& message, std::string_view error);
    void run_command(
        const Origin& origin, std::optional<Incident> incident, const InboundMessage& m
    );
    void declare(const Origin& origin, const std::string& title);
    Incident open_incident(const Declaration& declaration, std::string_view alert_details);
    void apply(const Outcome& outcome, const std::string& actor);
    void publish(const Incident& incident);

    void record(
        const Incident& incident,
        EntryKind kind,
        std::string author,
        std::string text,
        bool key_event = false
    );
    void record_message(const Incident& incident, const InboundMessage& message, EntryKind kind);
    void post(const Incident& incident, const Post& post);
    void reply(const Origin& origin, std::string text);
    void enqueue(OutboxItem item);

    [[nodiscard]] Declaration declaration_for(
        const AlertNotification& notification, std::string_view connector, Timestamp now
    ) const;

    const Config& config_;
    IncidentStore& store_;
    const templates::TemplateSet& templates_;
    const Clock& clock_;
    spdlog::logger& log_;
    TimeFormat time_format_;
    Workflow workflow_;
    commands::Grammar grammar_;
    std::uint64_t queued_ = 0;  ///< outbox items queued so far, to tell callers what changed
};

}  // namespace sitrep::bot
