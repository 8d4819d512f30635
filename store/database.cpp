#include "store/database.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "bot/incident_store.hpp"

namespace sitrep::store {

namespace {

/// A lock held by another connection is worth waiting out; anything else is not.
bool is_busy(int code) {
    const int primary = code & 0xFF;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

[[noreturn]] void throw_error(int code, std::string message) {
    if (is_busy(code)) {
        throw bot::StoreBusy(std::move(message));
    }
    throw bot::StoreError(std::move(message));
}

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    const int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
    throw_error(code, fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory"));
}

/// The start of a statement for an error message, on one line: a migration's SQL spans many
/// lines, and error messages end up in log lines.
std::string sql_snippet(std::string_view sql) {
    constexpr std::size_t max_snippet = 60;
    std::string snippet;
    bool space = false;
    for (const char c : sql) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !snippet.empty();
            continue;
        }
        if (space) {
            snippet += ' ';
            space = false;
        }
        snippet += c;
        if (snippet.size() >= max_snippet) {
            break;
        }
    }
    return snippet;
}

}  // namespace

Statement::~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) {
        fail(db_, "binding a parameter");
    }
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    // SQLite binds NULL for a null pointer; an empty view is an empty text, not NULL.
    const char* data = value.data() != nullptr ? value.data() : "";
    const auto rc =
        sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) {
        fail(db_, "binding a parameter");
    }
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) {
        fail(db_, "binding a parameter");
    }
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    fail(db_, fmt::format("running \"{}\"", sqlite3_sql(stmt_)));
}

void Statement::run() {
    while (step()) {
    }
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return integer(column);
}

std::string Statement::text(int column) const {
    const auto* bytes = sqlite3_column_text(stmt_, column);
    const auto size = sqlite3_column_bytes(stmt_, column);
    if (bytes == nullptr) {
        return {};
    }
    return std::string{reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size)};
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

namespace {

/// A file name as an SQLite URI, so that read-only options can be given with it.
std::string file_uri(const std::filesystem::path& file, std::string_view options) {
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(file).string()) {
        if (c == '%' || c == '?' || c == '#') {
            uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        } else {
            uri += c;
        }
    }
    return uri + "?" + std::string{options};
}

sqlite3* open_connection(const std::string& name, int flags) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(name.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw bot::StoreError(fmt::format("cannot open {}: {}", name, message));
    }
    return db;
}

/// Whether the connection can read the schema: a WAL database in a directory it cannot write
/// to fails here, as SQLite cannot create the shared-memory file beside it.
bool can_read(sqlite3* db) {
    sqlite3_stmt* stmt = nullptr;
    const bool prepared =
        sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &stmt, nullptr) ==
        SQLITE_OK;
    const bool read = prepared && sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return read;
}

}  // namespace

Database::Database(
    const std::filesystem::path& file,
    bool synchronous_full,
    AccessMode mode,
    std::chrono::milliseconds busy_timeout
) {
    if (mode == AccessMode::read_only) {
        // A read-only look (a backup, a read-only mount) must not change the file. When the
        // directory is read-only too, the database is opened as immutable: nothing else can
        // be writing it there.
        const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
        db_ = open_connection(file_uri(file, "mode=ro"), flags);
        if (!can_read(db_)) {
            sqlite3_close(db_);
            db_ = open_connection(file_uri(file, "mode=ro&immutable=1"), flags);
        }
    } else {
        db_ = open_connection(
            file.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        );
    }

    sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
    sqlite3_extended_result_codes(db_, 1);
    if (mode == AccessMode::read_only) {
        return;
    }

    // WAL lets readers (a `sitrep incidents` beside the service) work during writes; foreign
    // keys are off by default in SQLite and must be switched on per connection.
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA foreign_keys = ON");
    exec(synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

Database::~Database() {
    for (auto& [sql, stmt] : cache_) {
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
    char* error = nullptr;
    const std::string text{sql};
    const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (code != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errmsg(db_);
        sqlite3_free(error);
        throw_error(code, fmt::format("running \"{}\": {}", sql_snippet(text), message));
    }
}

Statement Database::prepare(std::string_view sql) {
    std::string key{sql};
    if (auto it = cache_.find(key); it != cache_.end()) {
        return Statement{db_, it->second};
    }

    sqlite3_stmt* stmt = nullptr;
    const auto rc = sqlite3_prepare_v3(
        db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr
    );
    if (rc != SQLITE_OK) {
        fail(db_, fmt::format("preparing \"{}\"", key));
    }
    cache_.emplace(std::move(key), stmt);
    return Statement{db_, stmt};
}

bool Database::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

std::int64_t Database::last_insert_id() const {
    return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
    return sqlite3_changes(db_);
}

}  // namespace sitrep::store
