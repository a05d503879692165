#pragma once
// The one wrapper of SQLite's C API, shared by the configuration store and the
// management server's user and API-key stores. Errors throw ConfigError.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "config/ConfigError.h"

namespace callgate::config::sqlite {

struct DbDeleter {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, DbDeleter>;

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// Opens an existing or new database read-write with the store's settings
// (busy timeout, rollback journal, synchronous=FULL).
Db openReadWrite(const std::string& path);
void check(sqlite3* db, int rc, const char* what);
void exec(sqlite3* db, const char* sql);
Stmt prepare(sqlite3* db, const std::string& sql);
void bindText(sqlite3_stmt* s, int index, std::string_view text);
std::string columnText(sqlite3_stmt* s, int column);
// Steps a statement that returns no rows; throws on failure.
void run(sqlite3* db, sqlite3_stmt* s, const char* what);

// BEGIN IMMEDIATE on construction; rolls back unless committed, so any
// exception leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { exec(db_, "BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    exec(db_, "COMMIT");
    done_ = true;
  }

 private:
  sqlite3* db_;
  bool done_ = false;
};

}  // namespace callgate::config::sqlite
