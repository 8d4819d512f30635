#include "store/sqlite_incident_store.hpp"

#include <cctype>

#include <fmt/format.h>

#include "bot/time_format.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/row_codec.hpp"

namespace sitrep::store {

using bot::Incident;
using bot::Timestamp;

std::string title_key(std::string_view title) {
    std::string key;
    bool space = false;
    for (const char c : title) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isspace(u) != 0) {
            space = !key.empty();
            continue;
        }
        if (space) {
            key += ' ';
            space = false;
        }
        key += static_cast<char>(std::tolower(u));
    }
    return key;
}

SqliteIncidentStore::SqliteIncidentStore(const std::filesystem::path& file, bool synchronous_full)
    : db_(std::make_unique<Database>(file, synchronous_full)) {
    migrate(*db_);
}

SqliteIncidentStore::SqliteIncidentStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}

std::unique_ptr<SqliteIncidentStore> SqliteIncidentStore::open_read_only(
    const std::filesystem::path& file
) {
    if (!std::filesystem::is_regular_file(file)) {
        throw bot::StoreError(fmt::format("there is no sitrep database at {}", file.string()));
    }
    auto db = std::make_unique<Database>(file, false, AccessMode::read_only);

    auto version = db->prepare("PRAGMA user_version");
    const auto found = version.step() ? version.integer(0) : 0;
    if (found != schema_version()) {
        throw bot::StoreError(fmt::format(
            "{} has schema version {}, this sitrep reads {}; open it read-write with the sitrep "
            "that matches it",
            file.string(),
            found,
            schema_version()
        ));
    }
    return std::unique_ptr<SqliteIncidentStore>{new SqliteIncidentStore{std::move(db)}};
}

SqliteIncidentStore::~SqliteIncidentStore() = default;

void SqliteIncidentStore::transaction(const std::function<void()>& work) {
    if (transaction_depth_ > 0) {
        work();
        return;
    }

    // IMMEDIATE takes the write lock at once, so a transaction never fails half-way on a lock
    // held by a `sitrep` command running beside the service.
    db_->exec("BEGIN IMMEDIATE");
    ++transaction_depth_;
    try {
        work();
        --transaction_depth_;
        db_->exec("COMMIT");
    } catch (...) {
        transaction_depth_ = 0;
        if (db_->in_transaction()) {
            db_->exec("ROLLBACK");
        }
        throw;
    }
}

// ---------------------------------------------------------------------------------------------
// Incidents

void SqliteIncidentStore::create_incident(Incident& incident) {
    transaction([&] {
        // The slug names files and rooms, so it is unique: a second "db-down" is "db-down-2".
        // A title with nothing usable for a slug (emoji, another script) is named after the
        // id the incident is about to get: the next rowid, as the write lock is held.
        auto base = incident.slug;
        if (base.empty()) {
            auto next = db_->prepare("SELECT coalesce(max(id), 0) + 1 FROM incidents");
            base = fmt::format("incident-{}", next.step() ? next.integer(0) : 1);
        }
        auto candidate = base;
        for (int n = 2; slug_taken(candidate); ++n) {
            candidate = fmt::format("{}-{}", base, n);
        }
        incident.slug = candidate;

        static const auto insert_sql = incident_insert_sql();
        auto insert = db_->prepare(insert_sql);
        bind_incident(insert, incident);
        insert.run();
        incident.id = db_->last_insert_id();
        save_details(incident);
    });
}

void SqliteIncidentStore::save_incident(const Incident& incident) {
    transaction([&] {
        static const auto update_sql = incident_update_sql();
        auto update = db_->prepare(update_sql);
        const int next = bind_incident(update, incident);
        update.bind(next, incident.id);
        update.run();
        if (db_->changes() != 1) {
            throw bot::StoreError(fmt::format("incident {} does not exist", incident.id));
        }
        save_details(incident);
    });
}

bool SqliteIncidentStore::slug_taken(const std::string& slug) {
    return db_->prepare("SELECT 1 FROM incidents WHERE slug = ?").bind(1, slug).step();
}

void SqliteIncidentStore::save_details(const Incident& incident) {
    // The details are small lists; writing them whole keeps the store free of diffing logic.
    for (const auto* table : {"containment_attempts", "postmortem_notes", "actions", "roles"}) {
        db_->prepare(fmt::format("DELETE FROM {} WHERE incident_id = ?", table))
            .bind(1, incident.id)
            .run();
    }

    std::int64_t position = 0;
    for (const auto& a : incident.attempts) {
        db_->prepare(
               "INSERT INTO containment_attempts (incident_id, position, strategy, what, "
               "by_user, started_at, outcome, outcome_note, outcome_by, ended_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
            .bind(1, incident.id)
            .bind(2, position++)
            .bind(3, a.strategy)
            .bind(4, a.what)
            .bind(5, a.by)
            .bind(6, to_ms(a.started_at))
            .bind(7, bot::outcome_name(a.outcome))
            .bind(8, a.outcome_note)
            .bind(9, a.outcome_by)
            .bind(10, to_ms(a.ended_at))
            .run();
    }

    position = 0;
    for (const auto& n : incident.notes) {
        db_->prepare(
               "INSERT INTO postmortem_notes (incident_id, position, field, text, by_user, at) "
               "VALUES (?, ?, ?, ?, ?, ?)"
        )
            .bind(1, incident.id)
            .bind(2, position++)
            .bind(3, field_name(n.field))
            .bind(4, n.text)
            .bind(5, n.by)
            .bind(6, to_ms(n.at))
            .run();
    }

    position = 0;
    for (const auto& a : incident.actions) {
        db_->prepare(
               "INSERT INTO actions (incident_id, position, text, owner, due, priority, "
               "added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )
            .bind(1, incident.id)
            .bind(2, position++)
            .bind(3, a.text)
            .bind(4, a.owner)
            .bind(5, bot::format_date(a.due))
            .bind(6, a.priority)
            .bind(7, a.added_by)
            .bind(8, to_ms(a.added_at))
            .run();
    }

    for (const auto& [role, user] : incident.roles) {
        db_->prepare("INSERT INTO roles (incident_id, role, user) VALUES (?, ?, ?)")
            .bind(1, incident.id)
            .bind(2, commands::role_name(role))
            .bind(3, user)
            .run();
    }

    // The incident's own room is found through incident_rooms, like any other room.
    if (!incident.room.empty()) {
        db_->prepare(
               "INSERT OR IGNORE INTO incident_rooms (connector, room, incident_id) "
               "VALUES (?, ?, ?)"
        )
            .bind(1, incident.connector)
            .bind(2, incident.room)
            .bind(3, incident.id)
            .run();
    }
}

void SqliteIncidentStore::load_details(Incident& incident) {
    auto attempts = db_->prepare(
        "SELECT strategy, what, by_user, started_at, outcome, outcome_note, outcome_by, ended_at "
        "FROM containment_attempts WHERE incident_id = ? ORDER BY position"
    );
    attempts.bind(1, incident.id);
    while (attempts.step()) {
        const auto outcome = attempts.text(4);
        incident.attempts.push_back(bot::ContainmentAttempt{
            attempts.text(0),
            attempts.text(1),
            attempts.text(2),
            from_ms(attempts.integer(3)),
            parse_stored(bot::parse_outcome(outcome), "attempt outcome", outcome),
            attempts.text(5),
            attempts.text(6),
            from_ms(attempts.optional_integer(7)),
        });
    }

    auto notes = db_->prepare(
        "SELECT field, text, by_user, at FROM postmortem_notes WHERE incident_id = ? "
        "ORDER BY position"
    );
    notes.bind(1, incident.id);
    while (notes.step()) {
        const auto field = notes.text(0);
        incident.notes.push_back(bot::PostmortemNote{
            parse_stored(parse_field(field), "note field", field),
            notes.text(1),
            notes.text(2),
            from_ms(notes.integer(3)),
        });
    }

    auto actions = db_->prepare(
        "SELECT text, owner, due, priority, added_by, added_at FROM actions "
        "WHERE incident_id = ? ORDER BY position"
    );
    actions.bind(1, incident.id);
    while (actions.step()) {
        incident.actions.push_back(bot::PreventionAction{
            actions.text(0),
            actions.text(1),
            parse_day(actions.text(2)),
            actions.text(3),
            actions.text(4),
            from_ms(actions.integer(5)),
        });
    }

    auto roles = db_->prepare("SELECT role, user FROM roles WHERE incident_id = ?");
    roles.bind(1, incident.id);
    while (roles.step()) {
        const auto role = roles.text(0);
        incident.roles[parse_stored(parse_role(role), "role", role)] = roles.text(1);
    }
}

std::vector<Incident> SqliteIncidentStore::load_incidents(std::string_view where_sql, auto&& bind) {
    auto query = db_->prepare(fmt::format("{} {}", incident_select_sql(), where_sql));
    bind(query);

    std::vector<Incident> incidents;
    while (query.step()) {
        incidents.push_back(read_incident(query));
    }
    for (auto& incident : incidents) {
        load_details(incident);
    }
    return incidents;
}

std::optional<Incident> SqliteIncidentStore::find_incident(std::int64_t id) {
    auto found = load_incidents("WHERE id = ?", [&](Statement& q) { q.bind(1, id); });
    return found.empty() ? std::nullopt : std::optional{std::move(found.front())};
}

std::optional<Incident> SqliteIncidentStore::find_incident_by_slug(std::string_view slug) {
    auto found = load_incidents("WHERE slug = ?", [&](Statement& q) { q.bind(1, slug); });
    return found.empty() ? std::nullopt : std::optional{std::move(found.front())};
}

std::optional<Incident> SqliteIncidentStore::find_incident_by_room(
    std::string_view connector, std::string_view room
) {
    auto found = load_incidents(
        "WHERE id = (SELECT incident_id FROM incident_rooms WHERE connector = ? AND room = ?)",
        [&](Statement& q) { q.bind(1, connector).bind(2, room); }
    );
    return found.empty() ? std::nullopt : std::optional{std::move(found.front())};
}

std::optional<Incident> SqliteIncidentStore::find_open_incident_titled(
    std::string_view title, Timestamp since
) {
    auto found = load_incidents(
        "WHERE title_key = ? AND declared_at >= ? AND state <> 'CLOSED' "
        "ORDER BY declared_at DESC LIMIT 1",
        [&](Statement& q) { q.bind(1, title_key(title)).bind(2, to_ms(since)); }
    );
    return found.empty() ? std::nullopt : std::optional{std::move(found.front())};
}

std::vector<Incident> SqliteIncidentStore::open_incidents() {
    return load_incidents("WHERE state <> 'CLOSED' ORDER BY id", [](Statement&) {});
}

std::vector<Incident> SqliteIncidentStore::recent_incidents(std::size_t limit) {
    return load_incidents("ORDER BY id DESC LIMIT ?", [&](Statement& q) {
        q.bind(1, static_cast<std::int64_t>(limit));
    });
}

// ---------------------------------------------------------------------------------------------
// Timeline

void SqliteIncidentStore::append(bot::TimelineEntry& entry) {
    db_->prepare(
           "INSERT INTO timeline (incident_id, at, kind, author, text, connector, room, "
           "source_id, thread, key_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
        .bind(1, entry.incident_id)
        .bind(2, to_ms(entry.at))
        .bind(3, bot::entry_kind_name(entry.kind))
        .bind(4, entry.author)
        .bind(5, entry.text)
        .bind(6, entry.connector)
        .bind(7, entry.room)
        .bind(8, entry.source_id)
        .bind(9, entry.thread)
        .bind(10, std::int64_t{entry.key_event})
        .run();
    entry.seq = db_->last_insert_id();
}

std::vector<bot::TimelineEntry> SqliteIncidentStore::timeline(std::int64_t incident_id) {
    auto query = db_->prepare(
        "SELECT seq, incident_id, at, kind, author, text, connector, room, source_id, thread, "
        "key_event FROM timeline WHERE incident_id = ? ORDER BY seq"
    );
    query.bind(1, incident_id);

    std::vector<bot::TimelineEntry> entries;
    while (query.step()) {
        entries.push_back(read_entry(query));
    }
    return entries;
}

// TODO: prune inbound_events older than the platforms' redelivery window (Slack retries for
// hours, Matrix never after a stored since-token); until then the table grows by one small row
// per message with a source id.
bool SqliteIncidentStore::remember_inbound(
    std::string_view connector, std::string_view source_id, Timestamp at
) {
    db_->prepare(
           "INSERT OR IGNORE INTO inbound_events (connector, source_id, received_at) "
           "VALUES (?, ?, ?)"
    )
        .bind(1, connector)
        .bind(2, source_id)
        .bind(3, to_ms(at))
        .run();
    return db_->changes() == 1;
}

std::optional<Timestamp> SqliteIncidentStore::latest_record() {
    auto query = db_->prepare(
        "SELECT max(at) FROM (SELECT max(at) AS at FROM timeline "
        "UNION ALL SELECT max(declared_at) FROM incidents)"
    );
    if (query.step() && !query.is_null(0)) {
        return from_ms(query.integer(0));
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Outbox

void SqliteIncidentStore::enqueue(bot::OutboxItem& item) {
    db_->prepare(
           "INSERT INTO outbox (incident_id, connector, kind, room, post_kind, text, name, "
           "created_at, attempts, not_before, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
        .bind(1, item.incident_id)
        .bind(2, item.connector)
        .bind(3, bot::outbox_kind_name(item.kind))
        .bind(4, item.room)
        .bind(5, bot::post_kind_name(item.post_kind))
        .bind(6, item.text)
        .bind(7, item.name)
        .bind(8, to_ms(item.created_at))
        .bind(9, std::int64_t{item.attempts})
        .bind(10, to_ms(item.not_before))
        .bind(11, item.last_error)
        .run();
    item.id = db_->last_insert_id();
}

std::vector<bot::OutboxItem> SqliteIncidentStore::due_outbox(Timestamp now, std::size_t limit) {
    auto query = db_->prepare(
        "SELECT id, incident_id, connector, kind, room, post_kind, text, name, created_at, "
        "attempts, not_before, last_error FROM outbox WHERE not_before <= ? ORDER BY id LIMIT ?"
    );
    query.bind(1, to_ms(now)).bind(2, static_cast<std::int64_t>(limit));

    std::vector<bot::OutboxItem> items;
    while (query.step()) {
        items.push_back(read_outbox(query));
    }
    return items;
}

std::optional<Timestamp> SqliteIncidentStore::next_outbox_attempt() {
    auto query = db_->prepare("SELECT min(not_before) FROM outbox");
    if (query.step() && !query.is_null(0)) {
        return from_ms(query.integer(0));
    }
    return std::nullopt;
}

void SqliteIncidentStore::complete_outbox(std::int64_t id) {
    db_->prepare("DELETE FROM outbox WHERE id = ?").bind(1, id).run();
}

void SqliteIncidentStore::retry_outbox(
    std::int64_t id, std::string_view error, Timestamp not_before
) {
    db_->prepare(
           "UPDATE outbox SET attempts = attempts + 1, last_error = ?, not_before = ? WHERE id = ?"
    )
        .bind(1, error)
        .bind(2, to_ms(not_before))
        .bind(3, id)
        .run();
}

std::size_t SqliteIncidentStore::outbox_depth() {
    auto query = db_->prepare("SELECT count(*) FROM outbox");
    return query.step() ? static_cast<std::size_t>(query.integer(0)) : 0;
}

// ---------------------------------------------------------------------------------------------
// Alerts

std::optional<bot::AlertGroupState> SqliteIncidentStore::find_alert_group(
    std::string_view source, std::string_view group_key
) {
    auto query = db_->prepare(
        "SELECT incident_id, firing, first_seen, last_seen FROM alert_groups "
        "WHERE source = ? AND group_key = ?"
    );
    query.bind(1, source).bind(2, group_key);
    if (!query.step()) {
        return std::nullopt;
    }
    return bot::AlertGroupState{
        std::string{source},
        std::string{group_key},
        query.optional_integer(0),
        query.integer(1) != 0,
        from_ms(query.integer(2)),
        from_ms(query.integer(3)),
    };
}

void SqliteIncidentStore::save_alert_group(const bot::AlertGroupState& group) {
    db_->prepare(
           "INSERT INTO alert_groups (source, group_key, incident_id, firing, first_seen, "
           "last_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, group_key) DO UPDATE SET "
           "incident_id = excluded.incident_id, firing = excluded.firing, "
           "last_seen = excluded.last_seen"
    )
        .bind(1, group.source)
        .bind(2, group.group_key)
        .bind(3, group.incident_id)
        .bind(4, std::int64_t{group.firing})
        .bind(5, to_ms(group.first_seen))
        .bind(6, to_ms(group.last_seen))
        .run();
}

std::vector<bot::AlertState> SqliteIncidentStore::alerts_of_group(
    std::string_view source, std::string_view group_key
) {
    auto query = db_->prepare(
        "SELECT fingerprint, firing, name, summary, first_seen, last_seen FROM alerts "
        "WHERE source = ? AND group_key = ? ORDER BY first_seen, fingerprint"
    );
    query.bind(1, source).bind(2, group_key);

    std::vector<bot::AlertState> alerts;
    while (query.step()) {
        alerts.push_back(bot::AlertState{
            std::string{source},
            std::string{group_key},
            query.text(0),
            query.integer(1) != 0,
            query.text(2),
            query.text(3),
            from_ms(query.integer(4)),
            from_ms(query.integer(5)),
        });
    }
    return alerts;
}

void SqliteIncidentStore::save_alert(const bot::AlertState& alert) {
    db_->prepare(
           "INSERT INTO alerts (source, group_key, fingerprint, firing, name, summary, "
           "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT (source, group_key, fingerprint) DO UPDATE SET firing = excluded.firing, "
           "name = excluded.name, summary = excluded.summary, last_seen = excluded.last_seen"
    )
        .bind(1, alert.source)
        .bind(2, alert.group_key)
        .bind(3, alert.fingerprint)
        .bind(4, std::int64_t{alert.firing})
        .bind(5, alert.name)
        .bind(6, alert.summary)
        .bind(7, to_ms(alert.first_seen))
        .bind(8, to_ms(alert.last_seen))
        .run();
}

}  // namespace sitrep::store
