#pragma once
// Recent events of the management server, in memory: logins and failed
// logins, configuration changes applied, not applied or refused, callgated
// becoming reachable or unreachable, certificate replacements, and the call
// events callgated streams (call.offered ...) with webhook failures. A bounded
// ring (the oldest entry goes when full) served by GET /api/v1/events; a
// restart empties it. The audit log, not this, is the durable record of
// changes. Thread-safe.

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace callgate::mgmt::api {

struct Event {
  uint64_t id = 0;  // 1, 2, 3 … in order of recording; never reused
  std::string at;   // ISO 8601 UTC
  std::string type;
  std::string actor;  // who, when known
  std::string address;
  std::string message;
  std::string data;  // JSON object text with the whole event (call events), or ""
};

class EventLog {
 public:
  using Now = std::function<std::string()>;
  static constexpr size_t kDefaultCapacity = 1000;

  explicit EventLog(size_t capacity = kDefaultCapacity, Now now = {});

  void record(std::string type, std::string actor, std::string address, std::string message,
              std::string data = {});
  // Events with an id above `afterId`, oldest first; when there are more
  // than `limit`, the newest `limit` of them.
  std::vector<Event> after(uint64_t afterId, size_t limit) const;
  uint64_t lastId() const;
  // Records daemon_reachable / daemon_unreachable when the state changes
  // (the first observation counts as a change).
  void daemonSeen(bool reachable, const std::string& detail);

 private:
  // owned
  mutable std::mutex mutex_;
  size_t capacity_;
  Now now_;
  std::deque<Event> events_;
  uint64_t nextId_ = 1;
  std::optional<bool> daemonReachable_;
};

}  // namespace callgate::mgmt::api
