#include "store/migrations.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>

#include "bot/incident_store.hpp"
#include "store/database.hpp"

namespace sitrep::store {

namespace {

// Times are milliseconds since the Unix epoch, UTC. Dates without a time are YYYY-MM-DD text.
// Enums are stored by name. Migrations are only ever appended: a released one never changes.
constexpr std::array<std::string_view, 1> migrations{
    // 1: the first schema.
    R"sql(
CREATE TABLE incidents (
    id                  INTEGER PRIMARY KEY,
    slug                TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    title_key           TEXT NOT NULL,
    state               TEXT NOT NULL,
    declared_by         TEXT NOT NULL,
    declared_at         INTEGER NOT NULL,
    declared_on         TEXT NOT NULL,
    origin_connector    TEXT NOT NULL,
    origin_room         TEXT NOT NULL,
    connector           TEXT NOT NULL DEFAULT '',
    room                TEXT NOT NULL DEFAULT '',
    service             TEXT NOT NULL DEFAULT '',
    alert_source        TEXT,
    alert_group_key     TEXT,
    suggested_severity  TEXT NOT NULL DEFAULT '',
    suggestion_reason   TEXT NOT NULL DEFAULT '',
    severity            TEXT NOT NULL DEFAULT '',
    impact_summary      TEXT NOT NULL DEFAULT '',
    triaged_at          INTEGER,
    triage_reminded     INTEGER NOT NULL DEFAULT 0,
    deadline_due        INTEGER,
    deadline_remind_at  INTEGER,
    deadline_reminded   INTEGER NOT NULL DEFAULT 0,
    deadline_breached   INTEGER NOT NULL DEFAULT 0,
    deadline_met_at     INTEGER,
    deadline_last_reminder INTEGER,
    contained_at        INTEGER,
    security_verdict    TEXT,
    security_note       TEXT NOT NULL DEFAULT '',
    security_by         TEXT NOT NULL DEFAULT '',
    security_at         INTEGER,
    security_incident   INTEGER NOT NULL DEFAULT 0,
    resolution_summary  TEXT NOT NULL DEFAULT '',
    resolved_at         INTEGER,
    closed_at           INTEGER
);
CREATE INDEX incidents_open ON incidents (state) WHERE state <> 'CLOSED';
CREATE INDEX incidents_title ON incidents (title_key, declared_at);

CREATE TABLE incident_rooms (
    connector    TEXT NOT NULL,
    room         TEXT NOT NULL,
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    PRIMARY KEY (connector, room)
);

CREATE TABLE containment_attempts (
    incident_id   INTEGER NOT NULL REFERENCES incidents (id),
    position      INTEGER NOT NULL,
    strategy      TEXT NOT NULL,
    what          TEXT NOT NULL,
    by_user       TEXT NOT NULL,
    started_at    INTEGER NOT NULL,
    outcome       TEXT NOT NULL,
    outcome_note  TEXT NOT NULL,
    outcome_by    TEXT NOT NULL,
    ended_at      INTEGER,
    PRIMARY KEY (incident_id, position)
);

CREATE TABLE postmortem_notes (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    position     INTEGER NOT NULL,
    field        TEXT NOT NULL,
    text         TEXT NOT NULL,
    by_user      TEXT NOT NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (incident_id, position)
);

CREATE TABLE actions (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    position     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    owner        TEXT NOT NULL,
    due          TEXT NOT NULL,
    priority     TEXT NOT NULL,
    added_by     TEXT NOT NULL,
    added_at     INTEGER NOT NULL,
    PRIMARY KEY (incident_id, position)
);

CREATE TABLE roles (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    role         TEXT NOT NULL,
    user         TEXT NOT NULL,
    PRIMARY KEY (incident_id, role)
);

CREATE TABLE timeline (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    at           INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    author       TEXT NOT NULL,
    text         TEXT NOT NULL,
    connector    TEXT NOT NULL,
    room         TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    thread       TEXT NOT NULL,
    key_event    INTEGER NOT NULL
);
CREATE INDEX timeline_incident ON timeline (incident_id, seq);

CREATE TABLE inbound_events (
    connector    TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (connector, source_id)
);

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  INTEGER REFERENCES incidents (id),
    connector    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    room         TEXT NOT NULL,
    post_kind    TEXT NOT NULL,
    text         TEXT NOT NULL,
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    not_before   INTEGER NOT NULL,
    last_error   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE alert_groups (
    source       TEXT NOT NULL,
    group_key    TEXT NOT NULL,
    incident_id  INTEGER REFERENCES incidents (id),
    firing       INTEGER NOT NULL,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    PRIMARY KEY (source, group_key)
);

CREATE TABLE alerts (
    source       TEXT NOT NULL,
    group_key    TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    firing       INTEGER NOT NULL,
    name         TEXT NOT NULL,
    summary      TEXT NOT NULL,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    PRIMARY KEY (source, group_key, fingerprint),
    FOREIGN KEY (source, group_key) REFERENCES alert_groups (source, group_key)
);
)sql",
};

int current_version(Database& db) {
    auto query = db.prepare("PRAGMA user_version");
    return query.step() ? static_cast<int>(query.integer(0)) : 0;
}

}  // namespace

int schema_version() {
    return static_cast<int>(migrations.size());
}

void migrate(Database& db) {
    const int found = current_version(db);
    if (found > schema_version()) {
        throw bot::StoreError(fmt::format(
            "the database has schema version {}, newer than this sitrep knows ({}); run the "
            "sitrep that wrote it, or a newer one",
            found,
            schema_version()
        ));
    }

    for (int version = found; version < schema_version(); ++version) {
        db.exec("BEGIN IMMEDIATE");
        try {
            // Another process (a `sitrep` command started beside the service on a new data
            // directory) may have run this migration while we waited for the write lock.
            if (current_version(db) > version) {
                db.exec("COMMIT");
                continue;
            }
            db.exec(migrations[static_cast<std::size_t>(version)]);
            db.exec(fmt::format("PRAGMA user_version = {}", version + 1));
            db.exec("COMMIT");
        } catch (...) {
            if (db.in_transaction()) {
                db.exec("ROLLBACK");
            }
            throw;
        }
    }
}

}  // namespace sitrep::store
