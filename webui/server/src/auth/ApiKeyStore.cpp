#include "auth/ApiKeyStore.h"

#include "auth/SecureRandom.h"
#include "auth/StoreError.h"
#include "auth/UserStore.h"

namespace callgate::mgmt::auth {
namespace sq = config::sqlite;
namespace {

constexpr size_t kSecretBytes = 32;
constexpr size_t kShownPrefix = 12;  // "cgk_" + 8 hex digits

ApiKey readKey(sqlite3_stmt* s) {
  ApiKey k;
  k.id = sqlite3_column_int64(s, 0);
  k.name = sq::columnText(s, 1);
  k.owner = sq::columnText(s, 2);
  k.role = parseRole(sq::columnText(s, 3)).value_or(Role::ReadOnly);
  k.prefix = sq::columnText(s, 4);
  k.createdAt = sq::columnText(s, 5);
  k.lastUsedAt = sq::columnText(s, 6);
  return k;
}

constexpr const char* kColumns = "id, name, owner, role, prefix, created_at, last_used_at";

}  // namespace

ApiKeyStore::ApiKeyStore(const std::string& dbPath) : db_(sq::openReadWrite(dbPath)) {}

NewApiKey ApiKeyStore::create(const std::string& name, const std::string& owner, Role role,
                              const config::AuditEntry& audit) {
  if (!UserStore::validName(name)) {
    throw StoreError(StoreError::Kind::Invalid, "name", "must be 1-64 of [A-Za-z0-9_.@-]");
  }
  NewApiKey out;
  out.secret = std::string(kKeyPrefix) + randomHex(kSecretBytes);
  std::lock_guard lock(mutex_);
  sq::Transaction txn(db_.get());
  auto exists = sq::prepare(db_.get(), "SELECT 1 FROM api_keys WHERE name = ?");
  sq::bindText(exists.get(), 1, name);
  if (sqlite3_step(exists.get()) == SQLITE_ROW) {
    throw StoreError(StoreError::Kind::Conflict, "name", "API key '" + name + "' exists");
  }
  auto owned = sq::prepare(db_.get(), "SELECT 1 FROM users WHERE name = ?");
  sq::bindText(owned.get(), 1, owner);
  if (sqlite3_step(owned.get()) != SQLITE_ROW) {
    throw StoreError(StoreError::Kind::NotFound, "owner", "no user '" + owner + "'");
  }
  auto s = sq::prepare(db_.get(),
                       "INSERT INTO api_keys (name, owner, role, key_hash, prefix, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?)");
  const std::string created = config::utcNowIso8601();
  sq::bindText(s.get(), 1, name);
  sq::bindText(s.get(), 2, owner);
  sq::bindText(s.get(), 3, roleName(role));
  sq::bindText(s.get(), 4, sha256Hex(out.secret));
  sq::bindText(s.get(), 5, out.secret.substr(0, kShownPrefix));
  sq::bindText(s.get(), 6, created);
  sq::run(db_.get(), s.get(), "create api key");
  out.key = ApiKey{sqlite3_last_insert_rowid(db_.get()), name,    owner, role,
                   out.secret.substr(0, kShownPrefix),   created, ""};
  config::appendAudit(db_.get(), audit);
  txn.commit();
  return out;
}

std::vector<ApiKey> ApiKeyStore::list() {
  std::lock_guard lock(mutex_);
  auto s =
      sq::prepare(db_.get(), std::string("SELECT ") + kColumns + " FROM api_keys ORDER BY name");
  std::vector<ApiKey> out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) out.push_back(readKey(s.get()));
  return out;
}

void ApiKeyStore::remove(const std::string& name, const config::AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  sq::Transaction txn(db_.get());
  auto s = sq::prepare(db_.get(), "DELETE FROM api_keys WHERE name = ?");
  sq::bindText(s.get(), 1, name);
  sq::run(db_.get(), s.get(), "remove api key");
  if (sqlite3_changes(db_.get()) == 0) {
    throw StoreError(StoreError::Kind::NotFound, "name", "no API key '" + name + "'");
  }
  config::appendAudit(db_.get(), audit);
  txn.commit();
}

std::optional<ApiKey> ApiKeyStore::authenticate(std::string_view presented) {
  if (!presented.starts_with(kKeyPrefix) ||
      presented.size() != kKeyPrefix.size() + 2 * kSecretBytes) {
    return std::nullopt;
  }
  // Looked up by hash: the comparison happens on a digest of a random
  // secret, which leaks nothing useful through timing.
  const std::string hash = sha256Hex(presented);
  std::lock_guard lock(mutex_);
  auto s = sq::prepare(db_.get(),
                       std::string("SELECT ") + kColumns + " FROM api_keys WHERE key_hash = ?");
  sq::bindText(s.get(), 1, hash);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return std::nullopt;
  ApiKey key = readKey(s.get());
  s.reset();
  const std::string now = config::utcNowIso8601();
  if (key.lastUsedAt.substr(0, 16) != now.substr(0, 16)) {  // same minute: skip the write
    auto u = sq::prepare(db_.get(), "UPDATE api_keys SET last_used_at = ? WHERE id = ?");
    sq::bindText(u.get(), 1, now);
    sqlite3_bind_int64(u.get(), 2, key.id);
    // A busy database must not fail the request; the timestamp is advisory.
    sqlite3_step(u.get());
    key.lastUsedAt = now;
  }
  return key;
}

}  // namespace callgate::mgmt::auth
