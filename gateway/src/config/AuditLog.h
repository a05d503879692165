#pragma once
// The audit log: who changed what, when, from where. Entries are written in
// the same transaction as the change they describe, so a change without its
// entry (or an entry without its change) cannot exist.

#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;

namespace callgate::config {

struct AuditEntry {
  std::string actor;          // user name, "apikey:<name>" or "system"
  std::string address;        // client address; "" for local actions
  std::string action;         // create|update|delete|restore|login|...
  std::string object;         // "peers/cc", "settings/sip", "users/alice"
  std::string detail = "{}";  // JSON object: the changed fields, secrets masked
};

struct AuditRecord {
  int64_t id = 0;
  std::string at;  // UTC, ISO 8601 ("2026-11-30T01:20:22Z")
  AuditEntry entry;
};

// Appends inside the caller's transaction. Throws ConfigError.
void appendAudit(sqlite3* db, const AuditEntry& entry);
// Newest first; `beforeId` > 0 pages back from that id.
std::vector<AuditRecord> readAudit(sqlite3* db, size_t limit, int64_t beforeId);
// Now as UTC ISO 8601 with seconds.
std::string utcNowIso8601();

}  // namespace callgate::config
