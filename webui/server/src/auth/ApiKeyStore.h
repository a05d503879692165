#pragma once
// API keys for scripts, in the `api_keys` table. A key is 256 random bits
// shown once at creation ("cgk_" + 64 hex); only its SHA-256 is stored. A
// fast hash is enough here because the secret is random, not chosen by a
// person: there is nothing to guess from a dictionary. Thread-safe.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/Role.h"
#include "config/AuditLog.h"
#include "config/Sqlite.h"

namespace callgate::mgmt::auth {

struct ApiKey {
  int64_t id = 0;
  std::string name;
  std::string owner;
  Role role = Role::ReadOnly;
  std::string prefix;  // first characters of the key, to recognise it in lists
  std::string createdAt;
  std::string lastUsedAt;
};

struct NewApiKey {
  ApiKey key;
  std::string secret;  // the whole key; never stored, never shown again
};

class ApiKeyStore {
 public:
  static constexpr std::string_view kKeyPrefix = "cgk_";

  explicit ApiKeyStore(const std::string& dbPath);

  // Throws StoreError: Invalid name, Conflict (name taken), NotFound (owner).
  NewApiKey create(const std::string& name, const std::string& owner, Role role,
                   const config::AuditEntry& audit);
  std::vector<ApiKey> list();
  void remove(const std::string& name, const config::AuditEntry& audit);
  // The key presented in "Authorization: Bearer ...", or nullopt. Records
  // last_used_at (at most once a minute per key, to spare the disk).
  std::optional<ApiKey> authenticate(std::string_view presented);

 private:
  // owned
  std::mutex mutex_;
  config::sqlite::Db db_;
};

}  // namespace callgate::mgmt::auth
