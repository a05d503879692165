#pragma once
// The configuration in SQLite. Every save is one transaction: validated first,
// then all tables replaced under BEGIN IMMEDIATE; a failure or a kill at any
// moment leaves the previous configuration whole (SQLite's atomic commit with
// a rollback journal and synchronous=FULL).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/AuditLog.h"
#include "config/Config.h"
#include "config/ConfigError.h"

struct sqlite3;

namespace callgate::config {

class ConfigStore {
 public:
  enum class Mode { ReadOnly, ReadWrite };

  // ReadWrite creates the file and applies pending migrations; ReadOnly needs
  // an existing, migrated database. Throws ConfigError.
  static ConfigStore open(const std::string& path, Mode mode);
  ~ConfigStore();
  ConfigStore(ConfigStore&&) noexcept;
  ConfigStore& operator=(ConfigStore&&) noexcept;
  ConfigStore(const ConfigStore&) = delete;
  ConfigStore& operator=(const ConfigStore&) = delete;

  // True once a configuration has been saved.
  bool isInitialized();
  Config load();
  // Validates, then replaces the stored configuration in one transaction.
  // Throws ConfigValidationError listing the validation errors, or
  // ConfigError with the SQLite error.
  void save(const Config& config);
  // The same, with `audit` appended in that transaction.
  void save(const Config& config, const AuditEntry& audit);
  // Load, mutate, validate, save and audit under one BEGIN IMMEDIATE, so two
  // writers (threads or processes) never lose each other's change: the
  // second waits for the first and sees its result. `mutate` changes the
  // configuration and returns the audit entry; if it throws, or validation
  // fails, nothing is written. Returns the configuration as saved.
  using Mutation = std::function<AuditEntry(Config&)>;
  Config update(const Mutation& mutate);
  // Newest first, at most `limit`; `beforeId` > 0 pages back.
  std::vector<AuditRecord> auditLog(size_t limit, int64_t beforeId = 0);
  // Incremented by every save.
  uint64_t revision();
  int schemaVersion();
  const std::string& path() const { return path_; }

 private:
  ConfigStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  void migrate();
  Config loadTables();
  void writeTables(const Config& config);

  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace callgate::config
