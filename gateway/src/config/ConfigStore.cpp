#include "config/ConfigStore.h"

#include <filesystem>
#include <functional>

#include "config/ConfigFields.h"
#include "config/Sqlite.h"
#include "config/Validation.h"

namespace callgate::config {
namespace {

using sqlite::check;
using sqlite::exec;
using sqlite::prepare;
using sqlite::Stmt;
using sqlite::Transaction;

// Migration N brings the schema from version N-1 to N. Append only.
const char* const kMigrations[] = {
    // 1: the initial schema
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE settings (section TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
    "  PRIMARY KEY (section, key));"
    "CREATE TABLE listeners (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  transport TEXT NOT NULL, address TEXT NOT NULL, port INTEGER NOT NULL,"
    "  advertised_host TEXT NOT NULL, enabled INTEGER NOT NULL);"
    "CREATE TABLE peers (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  host TEXT NOT NULL, port INTEGER NOT NULL, transport TEXT NOT NULL,"
    "  username TEXT NOT NULL, password TEXT NOT NULL, realm TEXT NOT NULL,"
    "  enabled INTEGER NOT NULL);"
    "CREATE TABLE routes (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  priority INTEGER NOT NULL, match_user_prefix TEXT NOT NULL, match_domain TEXT NOT NULL,"
    "  target_type TEXT NOT NULL, peer TEXT NOT NULL, enabled INTEGER NOT NULL);"
    "INSERT INTO meta (key, value) VALUES ('revision', '0');",
    // 2: the media plane
    "CREATE TABLE media_interfaces (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  address TEXT NOT NULL, advertised_address TEXT NOT NULL, enabled INTEGER NOT NULL);"
    "ALTER TABLE peers ADD COLUMN codecs TEXT NOT NULL DEFAULT 'opus,pcmu,pcma';"
    "ALTER TABLE peers ADD COLUMN media_encryption TEXT NOT NULL DEFAULT 'none';"
    "ALTER TABLE peers ADD COLUMN media_interface TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE peers ADD COLUMN rtp_latching INTEGER NOT NULL DEFAULT 1;"
    "INSERT INTO media_interfaces (position, name, address, advertised_address, enabled)"
    "  VALUES (0, 'loopback', '127.0.0.1', '', 1);",
    // 3: the management server's users, API keys and audit log
    "CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN"
    "  ('admin', 'readonly')), password_hash TEXT NOT NULL,"
    "  must_change_password INTEGER NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE api_keys (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  owner TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'readonly')),"
    "  key_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, created_at TEXT NOT NULL,"
    "  last_used_at TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
    "  actor TEXT NOT NULL, address TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,"
    "  detail TEXT NOT NULL);",
    // 4: Call Me buttons (the callme settings live in the settings table)
    "CREATE TABLE buttons (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  enabled INTEGER NOT NULL, destination_type TEXT NOT NULL, peer TEXT NOT NULL,"
    "  destination_user TEXT NOT NULL, allowed_origins TEXT NOT NULL,"
    "  require_token INTEGER NOT NULL, max_concurrent_calls INTEGER NOT NULL,"
    "  max_calls_per_minute INTEGER NOT NULL, video INTEGER NOT NULL,"
    "  opening_hours TEXT NOT NULL, timezone TEXT NOT NULL, closed_message TEXT NOT NULL,"
    "  header_prefix TEXT NOT NULL, label TEXT NOT NULL, colour TEXT NOT NULL,"
    "  language TEXT NOT NULL);",
    // 5: webhooks for call events, and API keys with the callme role (a
    // CHECK constraint changes only by rebuilding the table)
    "CREATE TABLE webhooks (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  enabled INTEGER NOT NULL, format TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL,"
    "  events TEXT NOT NULL, buttons TEXT NOT NULL, xmlrpc_method TEXT NOT NULL,"
    "  timeout_ms INTEGER NOT NULL, max_attempts INTEGER NOT NULL, verify_tls INTEGER NOT NULL);"
    "CREATE TABLE api_keys_v5 (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  owner TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'readonly', 'callme')),"
    "  key_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, created_at TEXT NOT NULL,"
    "  last_used_at TEXT NOT NULL DEFAULT '');"
    "INSERT INTO api_keys_v5 SELECT id, name, owner, role, key_hash, prefix, created_at,"
    "  last_used_at FROM api_keys;"
    "DROP TABLE api_keys;"
    "ALTER TABLE api_keys_v5 RENAME TO api_keys;",
};

template <typename T>
void bindField(sqlite3_stmt* s, int index, const T& value, const FieldPtr<T>& member) {
  std::visit(
      [&](auto m) {
        const auto& v = value.*m;
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          sqlite3_bind_text(s, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        } else {
          sqlite3_bind_int64(s, index, static_cast<int64_t>(v));
        }
      },
      member);
}

template <typename T>
void readField(sqlite3_stmt* s, int column, T& value, const FieldPtr<T>& member) {
  std::visit(
      [&](auto m) {
        auto& v = value.*m;
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
          v = text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(s, column))) : "";
        } else {
          v = static_cast<V>(sqlite3_column_int64(s, column));
        }
      },
      member);
}

template <typename T>
void saveSection(sqlite3* db, const char* section, const T& value,
                 const std::vector<Field<T>>& fields) {
  auto s = prepare(db, "INSERT INTO settings (section, key, value) VALUES (?, ?, ?)");
  for (const auto& f : fields) {
    sqlite3_reset(s.get());
    sqlite3_bind_text(s.get(), 1, section, -1, SQLITE_STATIC);
    sqlite3_bind_text(s.get(), 2, f.name.data(), static_cast<int>(f.name.size()), SQLITE_STATIC);
    std::visit(
        [&](auto m) {
          const auto& v = value.*m;
          using V = std::decay_t<decltype(v)>;
          std::string text;
          if constexpr (std::is_same_v<V, std::string>) {
            text = v;
          } else {
            text = std::to_string(static_cast<int64_t>(v));
          }
          sqlite3_bind_text(s.get(), 3, text.data(), static_cast<int>(text.size()),
                            SQLITE_TRANSIENT);
        },
        f.member);
    check(db, sqlite3_step(s.get()), "save settings");
  }
}

template <typename T>
void loadSection(sqlite3* db, const char* section, T& value, const std::vector<Field<T>>& fields) {
  auto s = prepare(db, "SELECT key, value FROM settings WHERE section = ?");
  sqlite3_bind_text(s.get(), 1, section, -1, SQLITE_STATIC);
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    const std::string key(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)));
    const auto* raw = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 1));
    const std::string text = raw ? raw : "";
    for (const auto& f : fields) {
      if (f.name != key) continue;
      std::visit(
          [&](auto m) {
            auto& v = value.*m;
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::string>) {
              v = text;
            } else {
              v = static_cast<V>(std::stoll(text.empty() ? "0" : text));
            }
          },
          f.member);
    }
  }
}

template <typename T>
void saveRows(sqlite3* db, const char* table, const std::vector<T>& rows,
              const std::vector<Field<T>>& fields) {
  std::string columns = "position";
  std::string marks = "?";
  for (const auto& f : fields) {
    columns += ", " + std::string(f.name);
    marks += ", ?";
  }
  auto s = prepare(
      db, std::string("INSERT INTO ") + table + " (" + columns + ") VALUES (" + marks + ")");
  for (size_t i = 0; i < rows.size(); ++i) {
    sqlite3_reset(s.get());
    sqlite3_bind_int64(s.get(), 1, static_cast<int64_t>(i));
    for (size_t k = 0; k < fields.size(); ++k) {
      bindField(s.get(), static_cast<int>(k + 2), rows[i], fields[k].member);
    }
    check(db, sqlite3_step(s.get()), table);
  }
}

template <typename T>
std::vector<T> loadRows(sqlite3* db, const char* table, const std::vector<Field<T>>& fields) {
  std::string columns;
  for (const auto& f : fields) columns += (columns.empty() ? "" : ", ") + std::string(f.name);
  auto s = prepare(db, "SELECT " + columns + " FROM " + table + " ORDER BY position");
  std::vector<T> rows;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    T row;
    for (size_t k = 0; k < fields.size(); ++k)
      readField(s.get(), static_cast<int>(k), row, fields[k].member);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

ConfigStore ConfigStore::open(const std::string& path, Mode mode) {
  if (mode == Mode::ReadOnly && !std::filesystem::exists(path)) {
    throw ConfigError("configuration database " + path + " does not exist");
  }
  if (mode == Mode::ReadWrite) {
    ConfigStore store(sqlite::openReadWrite(path).release(), path);
    store.migrate();
    return store;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw ConfigError("cannot open " + path + ": " + message);
  }
  ConfigStore store(db, path);
  sqlite3_busy_timeout(db, 5000);
  if (store.schemaVersion() < static_cast<int>(std::size(kMigrations))) {
    throw ConfigError(path +
                      " has an older schema; run callgatectl or callgated once to migrate it");
  }
  return store;
}

ConfigStore::~ConfigStore() {
  if (db_) sqlite3_close(db_);
}

ConfigStore::ConfigStore(ConfigStore&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)) {
  other.db_ = nullptr;
}

ConfigStore& ConfigStore::operator=(ConfigStore&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close(db_);
    db_ = other.db_;
    path_ = std::move(other.path_);
    other.db_ = nullptr;
  }
  return *this;
}

int ConfigStore::schemaVersion() {
  auto s = prepare(db_, "PRAGMA user_version");
  return sqlite3_step(s.get()) == SQLITE_ROW ? sqlite3_column_int(s.get(), 0) : 0;
}

void ConfigStore::migrate() {
  const int current = schemaVersion();
  const int target = static_cast<int>(std::size(kMigrations));
  if (current > target) {
    throw ConfigError(path_ + " was written by a newer Callgate (schema " +
                      std::to_string(current) + ")");
  }
  for (int v = current; v < target; ++v) {
    Transaction txn(db_);
    exec(db_, kMigrations[v]);
    exec(db_, ("PRAGMA user_version=" + std::to_string(v + 1)).c_str());
    txn.commit();
  }
}

uint64_t ConfigStore::revision() {
  auto s = prepare(db_, "SELECT value FROM meta WHERE key = 'revision'");
  if (sqlite3_step(s.get()) != SQLITE_ROW) return 0;
  return std::stoull(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)));
}

bool ConfigStore::isInitialized() {
  return revision() > 0;
}

Config ConfigStore::loadTables() {
  Config c;
  loadSection(db_, "system", c.system, systemFields());
  loadSection(db_, "sip", c.sip, sipFields());
  loadSection(db_, "registrar", c.registrar, registrarFields());
  loadSection(db_, "tls", c.tls, tlsFields());
  loadSection(db_, "media", c.media, mediaFields());
  loadSection(db_, "management", c.management, managementFields());
  loadSection(db_, "callme", c.callme, callmeFields());
  c.media_interfaces = loadRows(db_, "media_interfaces", mediaInterfaceFields());
  c.listeners = loadRows(db_, "listeners", listenerFields());
  c.peers = loadRows(db_, "peers", peerFields());
  c.routes = loadRows(db_, "routes", routeFields());
  c.buttons = loadRows(db_, "buttons", buttonFields());
  c.webhooks = loadRows(db_, "webhooks", webhookFields());
  return c;
}

void ConfigStore::writeTables(const Config& config) {
  exec(db_,
       "DELETE FROM settings; DELETE FROM listeners; DELETE FROM peers; DELETE FROM routes;"
       "DELETE FROM media_interfaces; DELETE FROM buttons; DELETE FROM webhooks;");
  saveSection(db_, "system", config.system, systemFields());
  saveSection(db_, "sip", config.sip, sipFields());
  saveSection(db_, "registrar", config.registrar, registrarFields());
  saveSection(db_, "tls", config.tls, tlsFields());
  saveSection(db_, "media", config.media, mediaFields());
  saveSection(db_, "management", config.management, managementFields());
  saveSection(db_, "callme", config.callme, callmeFields());
  saveRows(db_, "media_interfaces", config.media_interfaces, mediaInterfaceFields());
  saveRows(db_, "listeners", config.listeners, listenerFields());
  saveRows(db_, "peers", config.peers, peerFields());
  saveRows(db_, "routes", config.routes, routeFields());
  saveRows(db_, "buttons", config.buttons, buttonFields());
  saveRows(db_, "webhooks", config.webhooks, webhookFields());
  exec(db_, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'");
}

Config ConfigStore::load() {
  // One read transaction: a save in another process cannot interleave.
  exec(db_, "BEGIN");
  Config c;
  try {
    c = loadTables();
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  exec(db_, "COMMIT");
  return c;
}

void ConfigStore::save(const Config& config) {
  auto errors = validate(config);
  if (!errors.empty()) throw ConfigValidationError(std::move(errors));
  Transaction txn(db_);
  writeTables(config);
  txn.commit();
}

void ConfigStore::save(const Config& config, const AuditEntry& audit) {
  auto errors = validate(config);
  if (!errors.empty()) throw ConfigValidationError(std::move(errors));
  Transaction txn(db_);
  writeTables(config);
  appendAudit(db_, audit);
  txn.commit();
}

Config ConfigStore::update(const Mutation& mutate) {
  // BEGIN IMMEDIATE takes the write lock before the read, so no other
  // writer can commit between our load and our save.
  Transaction txn(db_);
  Config c = loadTables();
  const AuditEntry audit = mutate(c);
  auto errors = validate(c);
  if (!errors.empty()) throw ConfigValidationError(std::move(errors));
  writeTables(c);
  appendAudit(db_, audit);
  txn.commit();
  return c;
}

std::vector<AuditRecord> ConfigStore::auditLog(size_t limit, int64_t beforeId) {
  return readAudit(db_, limit, beforeId);
}

}  // namespace callgate::config
