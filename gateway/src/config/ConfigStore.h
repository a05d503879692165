#pragma once
// The configuration in SQLite. Every save is one transaction: validated first,
// then all tables replaced under BEGIN IMMEDIATE; a failure or a kill at any
// moment leaves the previous configuration whole (SQLite's atomic commit with
// a rollback journal and synchronous=FULL).

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "config/Config.h"

struct sqlite3;

namespace callgate::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

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
  // Throws ConfigError listing the validation errors, or the SQLite error.
  void save(const Config& config);
  // Incremented by every save.
  uint64_t revision();
  int schemaVersion();
  const std::string& path() const { return path_; }

 private:
  ConfigStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  void migrate();

  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace callgate::config
