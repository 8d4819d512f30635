#include "store/migrations.hpp"

#include <string>

#include <gtest/gtest.h>

#include "bot/incident_store.hpp"
#include "store/database.hpp"
#include "store/sqlite_incident_store.hpp"
#include "tests/store/raw_sqlite.hpp"
#include "tests/support/temp_dir.hpp"

namespace sitrep::store {
namespace {

using test::RawSqlite;
using test::TempDir;

constexpr auto count_tables = "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
constexpr auto count_schema_objects = "SELECT count(*) FROM sqlite_master";

bool has_table(RawSqlite& raw, const std::string& name) {
    return raw.integer(
               "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'"
           ) == 1;
}

TEST(Migrations, BringNewFileToCurrentSchemaVersion) {
    TempDir dir;
    const auto file = dir.path() / "sitrep.db";
    {
        Database db{file, false};
        migrate(db);
    }

    RawSqlite raw{file};
    EXPECT_GE(schema_version(), 1);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), schema_version());
    for (const auto* table :
         {"incidents",
          "incident_rooms",
          "containment_attempts",
          "postmortem_notes",
          "actions",
          "roles",
          "timeline",
          "inbound_events",
          "outbox",
          "alert_groups",
          "alerts"}) {
        EXPECT_TRUE(has_table(raw, table)) << table;
    }
}

TEST(Migrations, RerunChangesNothing) {
    TempDir dir;
    const auto file = dir.path() / "sitrep.db";
    Database db{file, false};
    migrate(db);
    db.exec(
        "INSERT INTO inbound_events (connector, source_id, received_at) VALUES ('slack', 'E1', 1)"
    );

    RawSqlite raw{file};
    const auto objects = raw.integer(count_schema_objects);

    // A second run finds user_version current and must not touch the schema or the rows; a
    // re-run of migration 1 would fail on "table incidents already exists".
    EXPECT_NO_THROW(migrate(db));
    EXPECT_EQ(raw.integer("PRAGMA user_version"), schema_version());
    EXPECT_EQ(raw.integer(count_schema_objects), objects);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM inbound_events"), 1);
}

TEST(Migrations, ReopenedStoreKeepsSchemaAndData) {
    TempDir dir;
    const auto file = dir.path() / "sitrep.db";
    long long objects = 0;
    {
        SqliteIncidentStore store{file};
        EXPECT_TRUE(store.remember_inbound("slack", "E1", bot::Timestamp{}));
        objects = RawSqlite{file}.integer(count_schema_objects);
    }

    SqliteIncidentStore reopened{file};
    RawSqlite raw{file};
    EXPECT_EQ(raw.integer("PRAGMA user_version"), schema_version());
    EXPECT_EQ(raw.integer(count_schema_objects), objects);
    EXPECT_FALSE(reopened.remember_inbound("slack", "E1", bot::Timestamp{}));
}

TEST(Migrations, RefuseDatabaseFromNewerSitrep) {
    TempDir dir;
    const auto file = dir.path() / "sitrep.db";
    const auto newer = schema_version() + 1;
    {
        RawSqlite raw{file};
        raw.exec("PRAGMA user_version = " + std::to_string(newer));
    }

    try {
        SqliteIncidentStore store{file};
        FAIL() << "a database with schema version " << newer << " was opened";
    } catch (const bot::StoreError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("schema version " + std::to_string(newer)), std::string::npos)
            << message;
        EXPECT_NE(message.find("newer than this sitrep knows"), std::string::npos) << message;
        EXPECT_NE(message.find("(" + std::to_string(schema_version()) + ")"), std::string::npos)
            << message;
    }

    // Refused means untouched: no table was created and the version stays as it was.
    RawSqlite raw{file};
    EXPECT_EQ(raw.integer(count_tables), 0);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), newer);
}

TEST(Migrations, FailedMigrationLeavesDatabaseAsItWas) {
    TempDir dir;
    const auto file = dir.path() / "sitrep.db";
    {
        // A table in the way makes migration 1 fail half-way through its statements.
        RawSqlite raw{file};
        raw.exec("CREATE TABLE outbox (x INTEGER)");
    }

    Database db{file, false};
    EXPECT_THROW(migrate(db), bot::StoreError);

    RawSqlite raw{file};
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 0);
    EXPECT_FALSE(has_table(raw, "incidents"));
    EXPECT_FALSE(has_table(raw, "timeline"));
    EXPECT_TRUE(has_table(raw, "outbox"));
}

TEST(Migrations, FullDiskIsReportedInOneLineAndLeavesNothingBehind) {
    TempDir dir;
    const auto file = dir.path() / "sitrep.db";
    Database db{file, false};
    db.exec("PRAGMA max_page_count = 2");  // this connection's "disk" fills up at once

    try {
        migrate(db);
        FAIL() << "migrated into a full database";
    } catch (const bot::StoreError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("database or disk is full"), std::string::npos) << message;
        EXPECT_NE(message.find("CREATE TABLE incidents"), std::string::npos) << message;

        // Error texts end up in log lines, which are one line each.
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }

    RawSqlite raw{file};
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 0);
    EXPECT_FALSE(has_table(raw, "incidents"));
}

// The connection settings Database promises; foreign_keys and synchronous are per connection,
// so they are read through the Database's own connection.
TEST(Database, OpensWithWalJournalAndForeignKeys) {
    TempDir dir;
    const auto file = dir.path() / "sitrep.db";
    Database db{file, false};

    auto foreign_keys = db.prepare("PRAGMA foreign_keys");
    ASSERT_TRUE(foreign_keys.step());
    EXPECT_EQ(foreign_keys.integer(0), 1);

    auto journal = db.prepare("PRAGMA journal_mode");
    ASSERT_TRUE(journal.step());
    EXPECT_EQ(journal.text(0), "wal");

    // NORMAL is 1, FULL is 2.
    auto synchronous = db.prepare("PRAGMA synchronous");
    ASSERT_TRUE(synchronous.step());
    EXPECT_EQ(synchronous.integer(0), 1);
}

TEST(Database, SynchronousFullWhenAsked) {
    TempDir dir;
    Database db{dir.path() / "sitrep.db", true};

    auto synchronous = db.prepare("PRAGMA synchronous");
    ASSERT_TRUE(synchronous.step());
    EXPECT_EQ(synchronous.integer(0), 2);
}

TEST(Database, UnopenableFileThrowsStoreError) {
    TempDir dir;
    const auto file = dir.path() / "no-such-folder" / "sitrep.db";
    try {
        Database db{file, false};
        FAIL() << "opened " << file;
    } catch (const bot::StoreError& e) {
        EXPECT_NE(std::string{e.what()}.find("cannot open " + file.string()), std::string::npos)
            << e.what();
    }
}

TEST(Database, BadStatementThrowsStoreError) {
    TempDir dir;
    Database db{dir.path() / "sitrep.db", false};

    EXPECT_THROW(db.exec("CREATE TABLE"), bot::StoreError);
    EXPECT_THROW((void)db.prepare("SELECT * FROM no_such_table"), bot::StoreError);
}

}  // namespace
}  // namespace sitrep::store

namespace sitrep::store {
namespace {

TEST(Database, LockHeldElsewhereIsStoreBusy) {
    const test::TempDir dir;
    const auto file = dir.path() / "sitrep.db";
    Database db{file, false, AccessMode::read_write, std::chrono::milliseconds{10}};
    db.exec("CREATE TABLE t (x INTEGER)");

    // Another connection (a backup, an operator's sqlite3) holds the write lock.
    test::RawSqlite other{file};
    other.exec("BEGIN IMMEDIATE");
    EXPECT_THROW(db.exec("BEGIN IMMEDIATE"), bot::StoreBusy);

    // Once it lets go, the same work goes through.
    other.exec("COMMIT");
    EXPECT_NO_THROW(db.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT"));
}

TEST(Database, OtherFailuresAreNotStoreBusy) {
    const test::TempDir dir;
    Database db{dir.path() / "sitrep.db", false};
    try {
        db.exec("SELECT * FROM no_such_table");
        FAIL() << "expected a StoreError";
    } catch (const bot::StoreBusy&) {
        FAIL() << "a missing table is not a lock";
    } catch (const bot::StoreError&) {
    }
}

}  // namespace
}  // namespace sitrep::store
