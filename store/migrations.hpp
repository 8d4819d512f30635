#pragma once

namespace sitrep::store {

class Database;

/// Brings the database to the schema this build knows, one forward migration at a time, each
/// in its own transaction. SQLite's `user_version` records how far it got. A database from a
/// newer sitrep is refused rather than misread.
void migrate(Database& db);

/// The schema version this build writes.
[[nodiscard]] int schema_version();

}  // namespace sitrep::store
