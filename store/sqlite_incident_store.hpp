#pragma once

#include <filesystem>
#include <memory>

#include "bot/incident_store.hpp"

namespace sitrep::store {

class Database;

/// The incident store on SQLite: one file, WAL, foreign keys on, the schema migrated forward
/// when opened. Owned and used by one thread (the store thread).
class SqliteIncidentStore final : public bot::IncidentStore {
public:
    /// Opens or creates the database file and migrates it. Throws bot::StoreError.
    SqliteIncidentStore(const std::filesystem::path& file, bool synchronous_full = false);

    /// Opens an existing database for reading only (an operator's look, a backup, a read-only
    /// mount): nothing is created or migrated. Throws bot::StoreError when the file is missing
    /// or its schema is not this build's.
    [[nodiscard]] static std::unique_ptr<SqliteIncidentStore> open_read_only(
        const std::filesystem::path& file
    );
    ~SqliteIncidentStore() override;

    void transaction(const std::function<void()>& work) override;

    void create_incident(bot::Incident& incident) override;
    void save_incident(const bot::Incident& incident) override;
    std::optional<bot::Incident> find_incident(std::int64_t id) override;
    std::optional<bot::Incident> find_incident_by_slug(std::string_view slug) override;
    std::optional<bot::Incident> find_incident_by_room(
        std::string_view connector, std::string_view room
    ) override;
    std::optional<bot::Incident> find_open_incident_titled(
        std::string_view title, bot::Timestamp since
    ) override;
    std::vector<bot::Incident> open_incidents() override;
    std::vector<bot::Incident> recent_incidents(std::size_t limit) override;

    void append(bot::TimelineEntry& entry) override;
    std::vector<bot::TimelineEntry> timeline(std::int64_t incident_id) override;
    bool remember_inbound(std::string_view connector, std::string_view source_id, bot::Timestamp at)
        override;

    std::optional<bot::Timestamp> latest_record() override;

    void enqueue(bot::OutboxItem& item) override;
    std::vector<bot::OutboxItem> due_outbox(bot::Timestamp now, std::size_t limit) override;
    std::optional<bot::Timestamp> next_outbox_attempt() override;
    void complete_outbox(std::int64_t id) override;
    void retry_outbox(std::int64_t id, std::string_view error, bot::Timestamp not_before) override;
    std::size_t outbox_depth() override;

    std::optional<bot::AlertGroupState> find_alert_group(
        std::string_view source, std::string_view group_key
    ) override;
    void save_alert_group(const bot::AlertGroupState& group) override;
    std::vector<bot::AlertState> alerts_of_group(
        std::string_view source, std::string_view group_key
    ) override;
    void save_alert(const bot::AlertState& alert) override;

private:
    explicit SqliteIncidentStore(std::unique_ptr<Database> db);

    std::vector<bot::Incident> load_incidents(std::string_view where_sql, auto&& bind);
    void load_details(bot::Incident& incident);
    void save_details(const bot::Incident& incident);
    bool slug_taken(const std::string& slug);

    std::unique_ptr<Database> db_;
    int transaction_depth_ = 0;
};

/// Titles compare ignoring case and spacing: "Checkout  errors" matches "checkout errors".
[[nodiscard]] std::string title_key(std::string_view title);

}  // namespace sitrep::store
