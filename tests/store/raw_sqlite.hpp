#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace sitrep::test {

/// A second connection to a database file, opened with plain sqlite3 calls, so tests look at
/// what the store left on disk without going through the store's own code.
class RawSqlite {
public:
    explicit RawSqlite(const std::filesystem::path& file) {
        if (sqlite3_open_v2(
                file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr
            ) != SQLITE_OK) {
            const std::string message = sqlite3_errmsg(db_);
            sqlite3_close(db_);
            throw std::runtime_error("cannot open " + file.string() + ": " + message);
        }
    }

    RawSqlite(const RawSqlite&) = delete;
    RawSqlite& operator=(const RawSqlite&) = delete;

    ~RawSqlite() { sqlite3_close(db_); }

    /// Runs statements that return no rows.
    void exec(std::string_view sql) {
        char* error = nullptr;
        if (sqlite3_exec(db_, std::string{sql}.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string message = error != nullptr ? error : sqlite3_errmsg(db_);
            sqlite3_free(error);
            throw std::runtime_error(std::string{sql} + ": " + message);
        }
    }

    /// The first column of the first row as text; empty when there is no row.
    [[nodiscard]] std::string text(std::string_view sql) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db_, std::string{sql}.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string{sql} + ": " + sqlite3_errmsg(db_));
        }
        std::string value;
        if (sqlite3_step(stmt) == SQLITE_ROW) {
            const auto* bytes = sqlite3_column_text(stmt, 0);
            value = bytes != nullptr ? reinterpret_cast<const char*>(bytes) : "";
        }
        sqlite3_finalize(stmt);
        return value;
    }

    /// The first column of the first row as a number; 0 when there is no row.
    [[nodiscard]] long long integer(std::string_view sql) {
        const auto value = text(sql);
        return value.empty() ? 0 : std::stoll(value);
    }

private:
    sqlite3* db_ = nullptr;
};

}  // namespace sitrep::test
