#include "config/AuditLog.h"

#include <ctime>

#include "config/Sqlite.h"

namespace callgate::config {

std::string utcNowIso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

void appendAudit(sqlite3* db, const AuditEntry& e) {
  auto s = sqlite::prepare(db,
                           "INSERT INTO audit_log (at, actor, address, action, object, detail)"
                           " VALUES (?, ?, ?, ?, ?, ?)");
  sqlite::bindText(s.get(), 1, utcNowIso8601());
  sqlite::bindText(s.get(), 2, e.actor);
  sqlite::bindText(s.get(), 3, e.address);
  sqlite::bindText(s.get(), 4, e.action);
  sqlite::bindText(s.get(), 5, e.object);
  sqlite::bindText(s.get(), 6, e.detail.empty() ? "{}" : e.detail);
  sqlite::run(db, s.get(), "audit log");
}

std::vector<AuditRecord> readAudit(sqlite3* db, size_t limit, int64_t beforeId) {
  auto s = sqlite::prepare(db,
                           "SELECT id, at, actor, address, action, object, detail FROM audit_log"
                           " WHERE (?1 <= 0 OR id < ?1) ORDER BY id DESC LIMIT ?2");
  sqlite3_bind_int64(s.get(), 1, beforeId);
  sqlite3_bind_int64(s.get(), 2, static_cast<int64_t>(limit));
  std::vector<AuditRecord> out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    AuditRecord r;
    r.id = sqlite3_column_int64(s.get(), 0);
    r.at = sqlite::columnText(s.get(), 1);
    r.entry.actor = sqlite::columnText(s.get(), 2);
    r.entry.address = sqlite::columnText(s.get(), 3);
    r.entry.action = sqlite::columnText(s.get(), 4);
    r.entry.object = sqlite::columnText(s.get(), 5);
    r.entry.detail = sqlite::columnText(s.get(), 6);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace callgate::config
