#include "store/sqlite_incident_store.hpp"

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/migrations.hpp"
#include "tests/store/raw_sqlite.hpp"
#include "tests/support/temp_dir.hpp"

namespace sitrep::store {
namespace {

using namespace std::chrono_literals;

using bot::AlertGroupState;
using bot::AlertState;
using bot::EntryKind;
using bot::Incident;
using bot::IncidentState;
using bot::OutboxItem;
using bot::OutboxKind;
using bot::PostKind;
using bot::StoreError;
using bot::TimelineEntry;
using bot::Timestamp;
using commands::NoteField;
using commands::Role;
using commands::SecurityVerdict;

/// 2026-12-03 at hh:mm UTC.
Timestamp at(int hour, int minute, int second = 0) {
    return Timestamp{std::chrono::sys_days{2026y / std::chrono::December / 3}} +
           std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
}

std::int64_t ms(Timestamp t) {
    return t.time_since_epoch().count();
}

std::optional<std::int64_t> ms(const std::optional<Timestamp>& t) {
    return t ? std::optional{ms(*t)} : std::nullopt;
}

/// Text that would break careless SQL or encoding: quotes, SQL, a newline, non-ASCII.
constexpr auto awkward_text = "it's \"quoted\"; DROP TABLE incidents; --\nline two — ünïcode";

Incident minimal_incident(const std::string& slug, const std::string& title) {
    Incident incident;
    incident.slug = slug;
    incident.title = title;
    incident.declared_by = "@alice";
    incident.declared_at = at(10, 0);
    incident.origin_connector = "slack";
    incident.origin_room = "#ops";
    return incident;
}

/// An incident with every field the store keeps set to something other than its default.
Incident full_incident() {
    auto incident = minimal_incident("checkout-errors", "Checkout errors");
    incident.state = IncidentState::resolved;
    incident.connector = "slack";
    incident.room = "C0INCIDENT";
    incident.service = "checkout";
    incident.alert = bot::AlertOrigin{
        "alertmanager", "{}:{alertname=\"CheckoutErrorRate\"}", "P1", "severity=critical"};

    incident.severity = "P1";
    incident.impact_summary = awkward_text;
    incident.triaged_at = at(10, 2, 30);
    incident.deadline = bot::Deadline{at(10, 15), at(10, 10), true, true, at(10, 12), at(10, 10)};

    // Every outcome an attempt can have, each with its own times.
    using bot::AttemptOutcome;
    const std::vector<AttemptOutcome> outcomes{
        AttemptOutcome::superseded,
        AttemptOutcome::failed,
        AttemptOutcome::down,
        AttemptOutcome::verified,
        AttemptOutcome::pending};
    int minute = 3;
    for (const auto outcome : outcomes) {
        bot::ContainmentAttempt attempt{
            "rollback",
            "rolled back to v" + std::to_string(minute),
            "@bob",
            at(10, minute),
            outcome,
            "note " + std::to_string(minute),
            "@carol",
            std::nullopt};
        if (outcome != AttemptOutcome::pending) {
            attempt.ended_at = at(10, minute + 1);
        }
        incident.attempts.push_back(std::move(attempt));
        minute += 2;
    }
    incident.contained_at = at(10, 40, 1);

    incident.security =
        bot::SecurityCheck{SecurityVerdict::warn, awkward_text, "@dave", at(10, 45)};
    incident.security_incident = true;

    // Every note field, and a second root cause after the first.
    minute = 50;
    for (const auto field :
         {NoteField::impact,
          NoteField::root_cause,
          NoteField::factor,
          NoteField::went_well,
          NoteField::went_wrong,
          NoteField::lesson,
          NoteField::root_cause}) {
        incident.notes.push_back(bot::PostmortemNote{
            field, "text at " + std::to_string(minute), "@erin", at(10, minute)});
        ++minute;
    }

    incident.actions.push_back(bot::PreventionAction{
        "Alert on checkout error rate",
        "@frank",
        2026y / std::chrono::December / 10,
        "P1",
        "@erin",
        at(11, 0)});
    incident.actions.push_back(bot::PreventionAction{
        "Canary deploys",
        "<@U024BE7LH>",
        2027y / std::chrono::January / 31,
        "P3",
        "@bob",
        at(11, 5, 59)});

    incident.roles = {{Role::commander, "@alice"}, {Role::scribe, "@bob"}, {Role::comms, "@carol"}};
    incident.resolution_summary = "Rolled back; error rate normal.";
    incident.resolved_at = at(11, 30);
    incident.closed_at = at(12, 0);
    return incident;
}

/// Field by field, so a failure names the field that did not survive.
void expect_same_incident(const Incident& expected, const Incident& actual) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.slug, expected.slug);
    EXPECT_EQ(actual.title, expected.title);
    EXPECT_EQ(actual.state, expected.state);
    EXPECT_EQ(actual.declared_by, expected.declared_by);
    EXPECT_EQ(ms(actual.declared_at), ms(expected.declared_at));
    EXPECT_EQ(actual.origin_connector, expected.origin_connector);
    EXPECT_EQ(actual.origin_room, expected.origin_room);
    EXPECT_EQ(actual.connector, expected.connector);
    EXPECT_EQ(actual.room, expected.room);
    EXPECT_EQ(actual.service, expected.service);

    ASSERT_EQ(actual.alert.has_value(), expected.alert.has_value());
    if (expected.alert) {
        EXPECT_EQ(actual.alert->source, expected.alert->source);
        EXPECT_EQ(actual.alert->group_key, expected.alert->group_key);
        EXPECT_EQ(actual.alert->suggested_severity, expected.alert->suggested_severity);
        EXPECT_EQ(actual.alert->suggestion_reason, expected.alert->suggestion_reason);
    }

    EXPECT_EQ(actual.severity, expected.severity);
    EXPECT_EQ(actual.impact_summary, expected.impact_summary);
    EXPECT_EQ(ms(actual.triaged_at), ms(expected.triaged_at));
    ASSERT_EQ(actual.deadline.has_value(), expected.deadline.has_value());
    if (expected.deadline) {
        EXPECT_EQ(ms(actual.deadline->due), ms(expected.deadline->due));
        EXPECT_EQ(ms(actual.deadline->remind_at), ms(expected.deadline->remind_at));
        EXPECT_EQ(actual.deadline->reminded, expected.deadline->reminded);
        EXPECT_EQ(actual.deadline->breached, expected.deadline->breached);
    }

    ASSERT_EQ(actual.attempts.size(), expected.attempts.size());
    for (std::size_t i = 0; i < expected.attempts.size(); ++i) {
        const auto& a = actual.attempts[i];
        const auto& e = expected.attempts[i];
        EXPECT_EQ(a.strategy, e.strategy) << "attempt " << i;
        EXPECT_EQ(a.what, e.what) << "attempt " << i;
        EXPECT_EQ(a.by, e.by) << "attempt " << i;
        EXPECT_EQ(ms(a.started_at), ms(e.started_at)) << "attempt " << i;
        EXPECT_EQ(a.outcome, e.outcome) << "attempt " << i;
        EXPECT_EQ(a.outcome_note, e.outcome_note) << "attempt " << i;
        EXPECT_EQ(a.outcome_by, e.outcome_by) << "attempt " << i;
        EXPECT_EQ(ms(a.ended_at), ms(e.ended_at)) << "attempt " << i;
    }
    EXPECT_EQ(ms(actual.contained_at), ms(expected.contained_at));

    ASSERT_EQ(actual.security.has_value(), expected.security.has_value());
    if (expected.security) {
        EXPECT_EQ(actual.security->verdict, expected.security->verdict);
        EXPECT_EQ(actual.security->note, expected.security->note);
        EXPECT_EQ(actual.security->by, expected.security->by);
        EXPECT_EQ(ms(actual.security->at), ms(expected.security->at));
    }
    EXPECT_EQ(actual.security_incident, expected.security_incident);

    ASSERT_EQ(actual.notes.size(), expected.notes.size());
    for (std::size_t i = 0; i < expected.notes.size(); ++i) {
        EXPECT_EQ(actual.notes[i].field, expected.notes[i].field) << "note " << i;
        EXPECT_EQ(actual.notes[i].text, expected.notes[i].text) << "note " << i;
        EXPECT_EQ(actual.notes[i].by, expected.notes[i].by) << "note " << i;
        EXPECT_EQ(ms(actual.notes[i].at), ms(expected.notes[i].at)) << "note " << i;
    }

    ASSERT_EQ(actual.actions.size(), expected.actions.size());
    for (std::size_t i = 0; i < expected.actions.size(); ++i) {
        EXPECT_EQ(actual.actions[i].text, expected.actions[i].text) << "action " << i;
        EXPECT_EQ(actual.actions[i].owner, expected.actions[i].owner) << "action " << i;
        EXPECT_TRUE(actual.actions[i].due == expected.actions[i].due) << "action " << i;
        EXPECT_EQ(actual.actions[i].priority, expected.actions[i].priority) << "action " << i;
        EXPECT_EQ(actual.actions[i].added_by, expected.actions[i].added_by) << "action " << i;
        EXPECT_EQ(ms(actual.actions[i].added_at), ms(expected.actions[i].added_at))
            << "action " << i;
    }

    EXPECT_EQ(actual.roles, expected.roles);
    EXPECT_EQ(actual.resolution_summary, expected.resolution_summary);
    EXPECT_EQ(ms(actual.resolved_at), ms(expected.resolved_at));
    EXPECT_EQ(ms(actual.closed_at), ms(expected.closed_at));
}

TimelineEntry entry_for(std::int64_t incident_id, EntryKind kind, const std::string& text) {
    TimelineEntry entry;
    entry.incident_id = incident_id;
    entry.at = at(10, 5);
    entry.kind = kind;
    entry.author = "@alice";
    entry.text = text;
    entry.connector = "slack";
    entry.room = "C0INCIDENT";
    return entry;
}

OutboxItem post_item(const std::string& text, Timestamp not_before) {
    OutboxItem item;
    item.connector = "slack";
    item.kind = OutboxKind::post;
    item.room = "#ops";
    item.post_kind = PostKind::notice;
    item.text = text;
    item.created_at = at(10, 0);
    item.not_before = not_before;
    return item;
}

std::vector<std::string> texts_of(const std::vector<OutboxItem>& items) {
    std::vector<std::string> texts;
    for (const auto& item : items) {
        texts.push_back(item.text);
    }
    return texts;
}

class SqliteIncidentStoreTest : public ::testing::Test {
protected:
    SqliteIncidentStoreTest() : file_(dir_.path() / "sitrep.db") { reopen(); }

    /// Closes the store and opens the same file again, as a restart would.
    void reopen() {
        store_.reset();
        store_ = std::make_unique<SqliteIncidentStore>(file_);
    }

    Incident create(Incident incident) {
        store_->create_incident(incident);
        return incident;
    }

    SqliteIncidentStore& store() { return *store_; }

    test::TempDir dir_;
    std::filesystem::path file_;
    std::unique_ptr<SqliteIncidentStore> store_;
};

// ---------------------------------------------------------------------------------------------
// The file

TEST_F(SqliteIncidentStoreTest, CreatesDatabaseFileInWalMode) {
    ASSERT_TRUE(std::filesystem::is_regular_file(file_));

    test::RawSqlite raw{file_};
    EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteIncidentStoreTest, SchemaVersionIsCurrentAfterOpen) {
    test::RawSqlite raw{file_};
    EXPECT_EQ(raw.integer("PRAGMA user_version"), schema_version());
}

TEST_F(SqliteIncidentStoreTest, SecondConnectionReadsDuringWrite) {
    // A `sitrep incidents` beside the service is a second connection to the same file.
    SqliteIncidentStore reader{file_};

    store().transaction([&] {
        (void)create(minimal_incident("db-down", "DB down"));

        // WAL: the reader is not blocked by the write, and does not see it before the commit.
        EXPECT_TRUE(reader.open_incidents().empty());
    });
    ASSERT_EQ(reader.open_incidents().size(), 1U);
    EXPECT_EQ(reader.open_incidents().front().slug, "db-down");
}

TEST_F(SqliteIncidentStoreTest, RefusesRowsOfUnknownIncidentBecauseForeignKeysAreOn) {
    auto entry = entry_for(999, EntryKind::message, "orphan");
    EXPECT_THROW(store().append(entry), StoreError);

    auto item = post_item("orphan", at(10, 0));
    item.incident_id = 999;
    EXPECT_THROW(store().enqueue(item), StoreError);

    EXPECT_TRUE(store().timeline(999).empty());
    EXPECT_EQ(store().outbox_depth(), 0U);
}

// ---------------------------------------------------------------------------------------------
// Incidents

TEST_F(SqliteIncidentStoreTest, IncidentWithEveryFieldRoundTrips) {
    auto incident = full_incident();
    store().create_incident(incident);
    ASSERT_GT(incident.id, 0);
    EXPECT_EQ(incident.slug, "checkout-errors");

    const auto found = store().find_incident(incident.id);
    ASSERT_TRUE(found);
    expect_same_incident(incident, *found);

    // And from the file, by a store that did not write it.
    reopen();
    const auto reread = store().find_incident(incident.id);
    ASSERT_TRUE(reread);
    expect_same_incident(incident, *reread);
}

TEST_F(SqliteIncidentStoreTest, SavedChangesRoundTrip) {
    auto incident = create(minimal_incident("db-down", "DB down"));
    const auto stored = store().find_incident(incident.id);
    ASSERT_TRUE(stored);
    expect_same_incident(incident, *stored);

    // Fill everything in, as the workflow does over an incident's life.
    auto full = full_incident();
    full.id = incident.id;
    full.slug = incident.slug;
    store().save_incident(full);
    reopen();
    const auto filled = store().find_incident(incident.id);
    ASSERT_TRUE(filled);
    expect_same_incident(full, *filled);

    // Lists that shrink and optionals that empty again are written whole, not merged.
    full.attempts.resize(1);
    full.notes.clear();
    full.actions.erase(full.actions.begin());
    full.roles.erase(Role::scribe);
    full.alert.reset();
    full.deadline.reset();
    full.security.reset();
    full.security_incident = false;
    full.triaged_at.reset();
    full.closed_at.reset();
    full.state = IncidentState::contained;
    store().save_incident(full);
    const auto emptied = store().find_incident(incident.id);
    ASSERT_TRUE(emptied);
    expect_same_incident(full, *emptied);
}

TEST_F(SqliteIncidentStoreTest, MinimalIncidentHasNoOptionalParts) {
    const auto incident = create(minimal_incident("db-down", "DB down"));

    const auto found = store().find_incident(incident.id);
    ASSERT_TRUE(found);
    expect_same_incident(incident, *found);
    EXPECT_FALSE(found->alert);
    EXPECT_FALSE(found->deadline);
    EXPECT_FALSE(found->security);
    EXPECT_FALSE(found->triaged_at);
    EXPECT_TRUE(found->attempts.empty());
    EXPECT_TRUE(found->roles.empty());
}

TEST_F(SqliteIncidentStoreTest, EveryStateAndVerdictRoundTrips) {
    using bot::IncidentState;
    for (const auto state :
         {IncidentState::declared,
          IncidentState::triaged,
          IncidentState::containing,
          IncidentState::contained,
          IncidentState::resolved,
          IncidentState::closed}) {
        for (const auto verdict :
             {SecurityVerdict::pass, SecurityVerdict::warn, SecurityVerdict::block}) {
            auto incident = minimal_incident("s", "State");
            incident.state = state;
            incident.security = bot::SecurityCheck{verdict, "", "@bob", at(11, 0)};
            store().create_incident(incident);

            const auto found = store().find_incident(incident.id);
            ASSERT_TRUE(found);
            EXPECT_EQ(found->state, state);
            ASSERT_TRUE(found->security);
            EXPECT_EQ(found->security->verdict, verdict);
        }
    }
}

TEST_F(SqliteIncidentStoreTest, CreateAssignsUniqueSlugs) {
    EXPECT_EQ(create(minimal_incident("db-down", "DB down")).slug, "db-down");
    EXPECT_EQ(create(minimal_incident("db-down", "DB down")).slug, "db-down-2");
    EXPECT_EQ(create(minimal_incident("db-down", "DB down")).slug, "db-down-3");
    // A title with nothing usable is named after its incident's id.
    EXPECT_EQ(create(minimal_incident("", "!!!")).slug, "incident-4");
    EXPECT_EQ(create(minimal_incident("", "???")).slug, "incident-5");
    EXPECT_EQ(create(minimal_incident("incident-6", "Incident 6")).slug, "incident-6");
    EXPECT_EQ(create(minimal_incident("", "???")).slug, "incident-7");

    // "db-down-2" was taken by the second "db-down"; asking for it directly gets the next one.
    EXPECT_EQ(create(minimal_incident("db-down-2", "DB down 2")).slug, "db-down-2-2");

    const auto found = store().find_incident_by_slug("db-down-3");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->title, "DB down");
    EXPECT_FALSE(store().find_incident_by_slug("db-down-4"));
}

TEST_F(SqliteIncidentStoreTest, CreateAssignsIncreasingIds) {
    const auto first = create(minimal_incident("a", "A"));
    const auto second = create(minimal_incident("b", "B"));
    EXPECT_GT(first.id, 0);
    EXPECT_GT(second.id, first.id);
}

TEST_F(SqliteIncidentStoreTest, SavingUnknownIncidentThrows) {
    auto incident = minimal_incident("ghost", "Ghost");
    incident.id = 42;
    EXPECT_THROW(store().save_incident(incident), StoreError);
    EXPECT_FALSE(store().find_incident(42));
}

TEST_F(SqliteIncidentStoreTest, FindsIncidentByRoomOnceRoomIsSet) {
    auto incident = create(minimal_incident("db-down", "DB down"));
    EXPECT_FALSE(store().find_incident_by_room("slack", "C0INCIDENT"));

    incident.connector = "slack";
    incident.room = "C0INCIDENT";
    store().save_incident(incident);

    const auto found = store().find_incident_by_room("slack", "C0INCIDENT");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, incident.id);
    EXPECT_FALSE(store().find_incident_by_room("matrix", "C0INCIDENT"));
    EXPECT_FALSE(store().find_incident_by_room("slack", "#ops"));

    // Saving again (the usual case: every step saves) keeps the mapping.
    store().save_incident(incident);
    EXPECT_TRUE(store().find_incident_by_room("slack", "C0INCIDENT"));
}

TEST_F(SqliteIncidentStoreTest, FindOpenIncidentTitledIgnoresCaseAndSpacing) {
    const auto incident = create(minimal_incident("checkout-errors", "Checkout errors"));

    for (const auto* title :
         {"Checkout errors",
          "checkout errors",
          "CHECKOUT ERRORS",
          "  Checkout   errors  ",
          "checkout\terrors"}) {
        const auto found = store().find_open_incident_titled(title, at(9, 0));
        ASSERT_TRUE(found) << title;
        EXPECT_EQ(found->id, incident.id) << title;
    }
    EXPECT_FALSE(store().find_open_incident_titled("checkout error", at(9, 0)));
    EXPECT_FALSE(store().find_open_incident_titled("checkouterrors", at(9, 0)));
}

TEST_F(SqliteIncidentStoreTest, FindOpenIncidentTitledRespectsSince) {
    create(minimal_incident("db-down", "DB down"));  // declared 10:00

    EXPECT_TRUE(store().find_open_incident_titled("DB down", at(9, 50)));
    EXPECT_TRUE(store().find_open_incident_titled("DB down", at(10, 0)));
    EXPECT_FALSE(store().find_open_incident_titled("DB down", at(10, 0) + 1ms));
}

TEST_F(SqliteIncidentStoreTest, FindOpenIncidentTitledSkipsClosed) {
    auto incident = create(minimal_incident("db-down", "DB down"));
    incident.state = IncidentState::closed;
    incident.closed_at = at(10, 5);
    store().save_incident(incident);

    EXPECT_FALSE(store().find_open_incident_titled("DB down", at(9, 0)));
}

TEST_F(SqliteIncidentStoreTest, FindOpenIncidentTitledReturnsNewest) {
    create(minimal_incident("db-down", "DB down"));
    auto later = minimal_incident("db-down", "db  DOWN");
    later.declared_at = at(10, 3);
    store().create_incident(later);
    auto other = minimal_incident("api-down", "API down");
    other.declared_at = at(10, 4);
    store().create_incident(other);

    const auto found = store().find_open_incident_titled("DB down", at(9, 0));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, later.id);
}

TEST_F(SqliteIncidentStoreTest, OpenIncidentsExcludeClosed) {
    const auto first = create(minimal_incident("a", "A"));
    auto second = create(minimal_incident("b", "B"));
    auto third = create(minimal_incident("c", "C"));
    third.state = IncidentState::resolved;
    store().save_incident(third);
    second.state = IncidentState::closed;
    store().save_incident(second);

    const auto open = store().open_incidents();
    ASSERT_EQ(open.size(), 2U);
    EXPECT_EQ(open[0].id, first.id);
    EXPECT_EQ(open[1].id, third.id);
}

TEST_F(SqliteIncidentStoreTest, RecentIncidentsAreNewestFirstAndLimited) {
    std::vector<std::int64_t> ids;
    for (const auto* slug : {"a", "b", "c", "d"}) {
        ids.push_back(create(minimal_incident(slug, slug)).id);
    }

    const auto recent = store().recent_incidents(3);
    ASSERT_EQ(recent.size(), 3U);
    EXPECT_EQ(recent[0].id, ids[3]);
    EXPECT_EQ(recent[1].id, ids[2]);
    EXPECT_EQ(recent[2].id, ids[1]);
    EXPECT_EQ(store().recent_incidents(10).size(), 4U);
}

// ---------------------------------------------------------------------------------------------
// Transactions

TEST_F(SqliteIncidentStoreTest, ThrowInTransactionRollsBackEverything) {
    std::int64_t id = 0;
    EXPECT_THROW(
        store().transaction([&] {
            auto incident = minimal_incident("db-down", "DB down");
            store().create_incident(incident);
            id = incident.id;

            auto entry = entry_for(id, EntryKind::message, "hello");
            store().append(entry);
            auto item = post_item("hello", at(10, 0));
            item.incident_id = id;
            store().enqueue(item);
            (void)store().remember_inbound("slack", "E1", at(10, 0));
            store().save_alert_group(AlertGroupState{"am", "g", id, true, at(10, 0), at(10, 0)});

            throw std::runtime_error("the connector went away");
        }),
        std::runtime_error
    );

    ASSERT_GT(id, 0);
    EXPECT_FALSE(store().find_incident(id));
    EXPECT_TRUE(store().open_incidents().empty());
    EXPECT_TRUE(store().timeline(id).empty());
    EXPECT_EQ(store().outbox_depth(), 0U);
    EXPECT_FALSE(store().find_alert_group("am", "g"));
    EXPECT_TRUE(store().remember_inbound("slack", "E1", at(10, 0)));

    // Nothing of it reached the file either, and the slug is free again.
    reopen();
    EXPECT_FALSE(store().find_incident(id));
    EXPECT_EQ(create(minimal_incident("db-down", "DB down")).slug, "db-down");
}

TEST_F(SqliteIncidentStoreTest, TransactionKeepsWorkThatSucceeds) {
    std::int64_t id = 0;
    store().transaction([&] {
        auto incident = minimal_incident("db-down", "DB down");
        store().create_incident(incident);
        id = incident.id;
        auto entry = entry_for(id, EntryKind::message, "hello");
        store().append(entry);
    });

    reopen();
    EXPECT_TRUE(store().find_incident(id));
    EXPECT_EQ(store().timeline(id).size(), 1U);
}

TEST_F(SqliteIncidentStoreTest, NestedTransactionJoinsOuter) {
    std::int64_t id = 0;

    // The inner transaction completing does not commit: the outer one's throw undoes it.
    EXPECT_THROW(
        store().transaction([&] {
            store().transaction([&] {
                auto incident = minimal_incident("db-down", "DB down");
                store().create_incident(incident);
                id = incident.id;
            });
            auto entry = entry_for(id, EntryKind::message, "hello");
            store().append(entry);
            throw std::runtime_error("later failure");
        }),
        std::runtime_error
    );
    EXPECT_FALSE(store().find_incident(id));
    EXPECT_TRUE(store().timeline(id).empty());

    // A throw in the inner one undoes what the outer one wrote before it.
    EXPECT_THROW(
        store().transaction([&] {
            (void)store().remember_inbound("slack", "E1", at(10, 0));
            store().transaction([&] { throw std::runtime_error("inner failure"); });
        }),
        std::runtime_error
    );
    EXPECT_TRUE(store().remember_inbound("slack", "E1", at(10, 0)));

    // Both succeeding keeps both.
    store().transaction([&] {
        (void)store().remember_inbound("slack", "E2", at(10, 0));
        store().transaction([&] { (void)store().remember_inbound("slack", "E3", at(10, 0)); });
    });
    reopen();
    EXPECT_FALSE(store().remember_inbound("slack", "E2", at(10, 0)));
    EXPECT_FALSE(store().remember_inbound("slack", "E3", at(10, 0)));
}

TEST_F(SqliteIncidentStoreTest, StoreWorksAfterRolledBackTransaction) {
    EXPECT_THROW(
        store().transaction([&] { throw std::runtime_error("first"); }), std::runtime_error
    );
    EXPECT_THROW(
        store().transaction([&] {
            store().transaction([&] { throw std::runtime_error("second"); });
        }),
        std::runtime_error
    );

    // A later transaction is a real one again: its own throw rolls back only its own work.
    const auto kept = create(minimal_incident("kept", "Kept"));
    EXPECT_THROW(
        store().transaction([&] {
            (void)create(minimal_incident("lost", "Lost"));
            throw std::runtime_error("third");
        }),
        std::runtime_error
    );
    EXPECT_TRUE(store().find_incident_by_slug("kept"));
    EXPECT_FALSE(store().find_incident_by_slug("lost"));
    EXPECT_EQ(kept.slug, "kept");
}

// ---------------------------------------------------------------------------------------------
// Timeline

TEST_F(SqliteIncidentStoreTest, TimelineReadsBackInAppendOrder) {
    const auto incident = create(minimal_incident("db-down", "DB down"));
    const auto other = create(minimal_incident("api-down", "API down"));

    std::vector<TimelineEntry> written;
    const std::vector<EntryKind> kinds{
        EntryKind::message,
        EntryKind::command,
        EntryKind::bot,
        EntryKind::status,
        EntryKind::alert,
        EntryKind::gate,
        EntryKind::edit,
        EntryKind::deletion};
    int second = 0;
    for (const auto kind : kinds) {
        auto entry = entry_for(incident.id, kind, awkward_text + std::to_string(second));
        entry.at = at(10, 5, second);
        entry.source_id = "1700000000." + std::to_string(second);
        entry.thread = second % 2 == 0 ? "" : "1700000000.0";
        entry.key_event = second % 3 == 0;
        store().append(entry);
        written.push_back(entry);

        auto noise = entry_for(other.id, EntryKind::message, "other incident");
        store().append(noise);
        ++second;
    }

    // seq is assigned in append order and increases.
    for (std::size_t i = 1; i < written.size(); ++i) {
        EXPECT_GT(written[i].seq, written[i - 1].seq);
    }

    reopen();
    const auto read = store().timeline(incident.id);
    ASSERT_EQ(read.size(), written.size());
    for (std::size_t i = 0; i < written.size(); ++i) {
        EXPECT_EQ(read[i].seq, written[i].seq) << i;
        EXPECT_EQ(read[i].incident_id, incident.id) << i;
        EXPECT_EQ(ms(read[i].at), ms(written[i].at)) << i;
        EXPECT_EQ(read[i].kind, written[i].kind) << i;
        EXPECT_EQ(read[i].author, written[i].author) << i;
        EXPECT_EQ(read[i].text, written[i].text) << i;
        EXPECT_EQ(read[i].connector, written[i].connector) << i;
        EXPECT_EQ(read[i].room, written[i].room) << i;
        EXPECT_EQ(read[i].source_id, written[i].source_id) << i;
        EXPECT_EQ(read[i].thread, written[i].thread) << i;
        EXPECT_EQ(read[i].key_event, written[i].key_event) << i;
    }
    EXPECT_EQ(store().timeline(other.id).size(), kinds.size());
}

TEST_F(SqliteIncidentStoreTest, TimelineOrderFollowsAppendNotTime) {
    const auto incident = create(minimal_incident("db-down", "DB down"));

    // A connector may deliver an older message late; the record keeps the order it arrived.
    auto late = entry_for(incident.id, EntryKind::message, "first appended");
    late.at = at(10, 9);
    store().append(late);
    auto early = entry_for(incident.id, EntryKind::message, "second appended");
    early.at = at(10, 1);
    store().append(early);

    const auto read = store().timeline(incident.id);
    ASSERT_EQ(read.size(), 2U);
    EXPECT_EQ(read[0].text, "first appended");
    EXPECT_EQ(read[1].text, "second appended");
}

TEST_F(SqliteIncidentStoreTest, RememberInboundIsTrueOnceThenFalse) {
    EXPECT_TRUE(store().remember_inbound("slack", "Ev01", at(10, 0)));
    EXPECT_FALSE(store().remember_inbound("slack", "Ev01", at(10, 1)));
    EXPECT_FALSE(store().remember_inbound("slack", "Ev01", at(10, 2)));

    // The id is the connector's: the same text from another connector is another event.
    EXPECT_TRUE(store().remember_inbound("matrix", "Ev01", at(10, 0)));
    EXPECT_TRUE(store().remember_inbound("slack", "Ev02", at(10, 0)));

    reopen();
    EXPECT_FALSE(store().remember_inbound("slack", "Ev01", at(11, 0)));
}

// ---------------------------------------------------------------------------------------------
// Outbox

TEST_F(SqliteIncidentStoreTest, EnqueuedItemRoundTrips) {
    const auto incident = create(minimal_incident("db-down", "DB down"));

    OutboxItem item;
    item.incident_id = incident.id;
    item.connector = "matrix";
    item.kind = OutboxKind::upload;
    item.room = "!room:example.org";
    item.post_kind = PostKind::status;
    item.text = awkward_text;
    item.name = "INCIDENT-2026-12-03-db-down.md";
    item.created_at = at(10, 1);
    item.not_before = at(10, 2);
    store().enqueue(item);
    ASSERT_GT(item.id, 0);

    reopen();
    const auto due = store().due_outbox(at(10, 2), 10);
    ASSERT_EQ(due.size(), 1U);
    const auto& read = due.front();
    EXPECT_EQ(read.id, item.id);
    EXPECT_EQ(read.incident_id, incident.id);
    EXPECT_EQ(read.connector, "matrix");
    EXPECT_EQ(read.kind, OutboxKind::upload);
    EXPECT_EQ(read.room, "!room:example.org");
    EXPECT_EQ(read.post_kind, PostKind::status);
    EXPECT_EQ(read.text, awkward_text);
    EXPECT_EQ(read.name, "INCIDENT-2026-12-03-db-down.md");
    EXPECT_EQ(ms(read.created_at), ms(at(10, 1)));
    EXPECT_EQ(read.attempts, 0);
    EXPECT_EQ(ms(read.not_before), ms(at(10, 2)));
    EXPECT_EQ(read.last_error, "");

    // Every kind and post kind survives, and an item may belong to no incident.
    for (const auto kind :
         {OutboxKind::create_room, OutboxKind::post, OutboxKind::set_topic, OutboxKind::upload}) {
        for (const auto post_kind :
             {PostKind::reply, PostKind::prompt, PostKind::status, PostKind::notice}) {
            auto other = post_item("x", at(9, 0));
            other.kind = kind;
            other.post_kind = post_kind;
            store().enqueue(other);
            const auto back = store().due_outbox(at(9, 0), 1);
            ASSERT_EQ(back.size(), 1U);
            EXPECT_EQ(back[0].kind, kind);
            EXPECT_EQ(back[0].post_kind, post_kind);
            EXPECT_FALSE(back[0].incident_id);
            store().complete_outbox(other.id);
        }
    }
}

TEST_F(SqliteIncidentStoreTest, DueOutboxRespectsNotBeforeAndOrder) {
    auto first = post_item("first", at(10, 0));
    auto later = post_item("later", at(10, 30));
    auto second = post_item("second", at(10, 0));
    auto third = post_item("third", at(9, 0));
    for (auto* item : {&first, &later, &second, &third}) {
        store().enqueue(*item);
    }
    EXPECT_LT(first.id, later.id);
    EXPECT_LT(later.id, second.id);

    // Oldest first, by when they were queued; what is not due yet stays back.
    EXPECT_EQ(
        texts_of(store().due_outbox(at(10, 0), 10)),
        (std::vector<std::string>{"first", "second", "third"})
    );
    EXPECT_EQ(
        texts_of(store().due_outbox(at(10, 0), 2)), (std::vector<std::string>{"first", "second"})
    );
    EXPECT_TRUE(store().due_outbox(at(8, 59), 10).empty());
    EXPECT_EQ(
        texts_of(store().due_outbox(at(10, 30), 10)),
        (std::vector<std::string>{"first", "later", "second", "third"})
    );

    // Reading does not take anything out.
    EXPECT_EQ(store().outbox_depth(), 4U);
}

TEST_F(SqliteIncidentStoreTest, RetryOutboxCountsAttemptsAndDefers) {
    auto item = post_item("hello", at(10, 0));
    store().enqueue(item);

    store().retry_outbox(item.id, "HTTP 429 ratelimited", at(10, 1));
    EXPECT_TRUE(store().due_outbox(at(10, 0), 10).empty());
    auto due = store().due_outbox(at(10, 1), 10);
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0].attempts, 1);
    EXPECT_EQ(due[0].last_error, "HTTP 429 ratelimited");
    EXPECT_EQ(ms(due[0].not_before), ms(at(10, 1)));
    EXPECT_EQ(ms(due[0].created_at), ms(at(10, 0)));

    store().retry_outbox(item.id, "connection reset", at(10, 3));
    reopen();
    due = store().due_outbox(at(10, 3), 10);
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0].attempts, 2);
    EXPECT_EQ(due[0].last_error, "connection reset");
    EXPECT_EQ(store().outbox_depth(), 1U);
}

TEST_F(SqliteIncidentStoreTest, CompleteOutboxRemovesItem) {
    auto a = post_item("a", at(10, 5));
    auto b = post_item("b", at(10, 1));
    store().enqueue(a);
    store().enqueue(b);
    EXPECT_EQ(store().outbox_depth(), 2U);
    ASSERT_TRUE(store().next_outbox_attempt());
    EXPECT_EQ(ms(*store().next_outbox_attempt()), ms(at(10, 1)));

    store().complete_outbox(b.id);
    EXPECT_EQ(store().outbox_depth(), 1U);
    ASSERT_TRUE(store().next_outbox_attempt());
    EXPECT_EQ(ms(*store().next_outbox_attempt()), ms(at(10, 5)));
    EXPECT_EQ(texts_of(store().due_outbox(at(11, 0), 10)), (std::vector<std::string>{"a"}));

    // Completing twice is harmless: a confirmation may arrive after a retry was sent.
    store().complete_outbox(b.id);
    store().complete_outbox(a.id);
    EXPECT_EQ(store().outbox_depth(), 0U);
    EXPECT_FALSE(store().next_outbox_attempt());
}

TEST_F(SqliteIncidentStoreTest, NextOutboxAttemptFollowsRetries) {
    auto item = post_item("hello", at(10, 0));
    store().enqueue(item);
    store().retry_outbox(item.id, "timeout", at(10, 7));

    ASSERT_TRUE(store().next_outbox_attempt());
    EXPECT_EQ(ms(*store().next_outbox_attempt()), ms(at(10, 7)));
}

// ---------------------------------------------------------------------------------------------
// Alerts

TEST_F(SqliteIncidentStoreTest, AlertGroupUpsertsAndReadsBack) {
    EXPECT_FALSE(store().find_alert_group("alertmanager", "g1"));

    store().save_alert_group(AlertGroupState{
        "alertmanager", "g1", std::nullopt, false, at(10, 0), at(10, 0)});
    auto group = store().find_alert_group("alertmanager", "g1");
    ASSERT_TRUE(group);
    EXPECT_EQ(group->source, "alertmanager");
    EXPECT_EQ(group->group_key, "g1");
    EXPECT_FALSE(group->incident_id);
    EXPECT_FALSE(group->firing);
    EXPECT_EQ(ms(group->first_seen), ms(at(10, 0)));
    EXPECT_EQ(ms(group->last_seen), ms(at(10, 0)));

    // A later save updates the incident, the state and last_seen; first_seen is the first.
    const auto incident = create(minimal_incident("db-down", "DB down"));
    store().save_alert_group(AlertGroupState{
        "alertmanager", "g1", incident.id, true, at(10, 9), at(10, 9)});
    reopen();
    group = store().find_alert_group("alertmanager", "g1");
    ASSERT_TRUE(group);
    EXPECT_EQ(group->incident_id, incident.id);
    EXPECT_TRUE(group->firing);
    EXPECT_EQ(ms(group->first_seen), ms(at(10, 0)));
    EXPECT_EQ(ms(group->last_seen), ms(at(10, 9)));

    EXPECT_FALSE(store().find_alert_group("grafana", "g1"));
    EXPECT_FALSE(store().find_alert_group("alertmanager", "g2"));
}

TEST_F(SqliteIncidentStoreTest, AlertsUpsertAndReadBack) {
    store().save_alert_group(AlertGroupState{"am", "g1", std::nullopt, true, at(10, 0), at(10, 0)});
    store().save_alert_group(AlertGroupState{"am", "g2", std::nullopt, true, at(10, 0), at(10, 0)});
    EXPECT_TRUE(store().alerts_of_group("am", "g1").empty());

    store().save_alert(AlertState{
        "am", "g1", "fp-b", true, "HighLatency", "HighLatency (pod=b)", at(10, 0), at(10, 0)});
    store().save_alert(AlertState{
        "am", "g1", "fp-a", true, "HighLatency", "HighLatency (pod=a)", at(10, 0), at(10, 0)});
    store().save_alert(AlertState{
        "am", "g1", "fp-c", true, "HighLatency", "HighLatency (pod=c)", at(9, 0), at(9, 0)});
    store().save_alert(AlertState{"am", "g2", "fp-a", true, "Other", "Other", at(10, 0), at(10, 0)}
    );

    // An update changes the state, texts and last_seen, and keeps first_seen.
    store().save_alert(AlertState{
        "am", "g1", "fp-b", false, "HighLatency2", "resolved b", at(10, 5), at(10, 5)});

    reopen();
    const auto alerts = store().alerts_of_group("am", "g1");
    ASSERT_EQ(alerts.size(), 3U);

    // Ordered by first_seen, then fingerprint.
    EXPECT_EQ(alerts[0].fingerprint, "fp-c");
    EXPECT_EQ(alerts[1].fingerprint, "fp-a");
    EXPECT_EQ(alerts[2].fingerprint, "fp-b");

    const auto& b = alerts[2];
    EXPECT_EQ(b.source, "am");
    EXPECT_EQ(b.group_key, "g1");
    EXPECT_FALSE(b.firing);
    EXPECT_EQ(b.name, "HighLatency2");
    EXPECT_EQ(b.summary, "resolved b");
    EXPECT_EQ(ms(b.first_seen), ms(at(10, 0)));
    EXPECT_EQ(ms(b.last_seen), ms(at(10, 5)));
    EXPECT_TRUE(alerts[0].firing);
    EXPECT_EQ(alerts[0].summary, "HighLatency (pod=c)");

    ASSERT_EQ(store().alerts_of_group("am", "g2").size(), 1U);
    EXPECT_EQ(store().alerts_of_group("am", "g2")[0].name, "Other");
}

TEST_F(SqliteIncidentStoreTest, AlertOfUnknownGroupIsRefused) {
    EXPECT_THROW(
        store().save_alert(AlertState{"am", "nope", "fp", true, "X", "X", at(10, 0), at(10, 0)}),
        StoreError
    );
}

TEST(TitleKey, FoldsCaseAndSpacing) {
    EXPECT_EQ(title_key("  Checkout \t  ERRORS \n"), "checkout errors");
    EXPECT_EQ(title_key("checkout errors"), "checkout errors");
    EXPECT_EQ(title_key(""), "");
    EXPECT_EQ(title_key("   "), "");
}

}  // namespace
}  // namespace sitrep::store
