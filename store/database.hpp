#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace sitrep::store {

/// A prepared statement with its parameters bound one by one (1-based, as in SQLite) and its
/// rows read column by column (0-based). Reset when it goes out of scope, so the cached
/// statement can be used again.
class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::optional<std::int64_t>& value);
    Statement& bind_null(int index);

    /// Moves to the next row; false when there is none. Throws StoreError on failure.
    bool step();

    /// Runs a statement that returns no rows.
    void run();

    [[nodiscard]] std::int64_t integer(int column) const;
    [[nodiscard]] std::optional<std::int64_t> optional_integer(int column) const;
    [[nodiscard]] std::string text(int column) const;
    [[nodiscard]] bool is_null(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

enum class AccessMode {
    read_write,  ///< creates the file when missing; WAL journal
    read_only,   ///< the file must exist; nothing is written (a backup, a read-only mount)
};

/// One SQLite connection: WAL journal, foreign keys on, prepared statements cached by text.
/// Not thread-safe; the store thread owns it.
class Database {
public:
    /// Opens (or, read-write, creates) the file. Throws StoreError with SQLite's message.
    /// How long a statement waits for a lock another connection holds before it fails with
    /// bot::StoreBusy.
    static constexpr std::chrono::milliseconds default_busy_timeout{5000};

    Database(
        const std::filesystem::path& file,
        bool synchronous_full,
        AccessMode mode = AccessMode::read_write,
        std::chrono::milliseconds busy_timeout = default_busy_timeout
    );
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    /// Runs one or more statements that return no rows.
    void exec(std::string_view sql);

    /// A cached prepared statement for the SQL text.
    [[nodiscard]] Statement prepare(std::string_view sql);

    /// False once SQLite has ended a transaction by itself (after some I/O or full-disk
    /// errors), when a ROLLBACK would only fail and hide the first error.
    [[nodiscard]] bool in_transaction() const;

    [[nodiscard]] std::int64_t last_insert_id() const;
    [[nodiscard]] int changes() const;

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace sitrep::store
