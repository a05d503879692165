#include "api/EventLog.h"

#include <algorithm>

#include "config/AuditLog.h"

namespace callgate::mgmt::api {

EventLog::EventLog(size_t capacity, Now now)
    : capacity_(std::max<size_t>(capacity, 1)),
      now_(now ? std::move(now) : Now(&config::utcNowIso8601)) {}

void EventLog::record(std::string type, std::string actor, std::string address, std::string message,
                      std::string data) {
  std::lock_guard lock(mutex_);
  if (events_.size() == capacity_) events_.pop_front();
  events_.push_back(Event{nextId_++, now_(), std::move(type), std::move(actor), std::move(address),
                          std::move(message), std::move(data)});
}

std::vector<Event> EventLog::after(uint64_t afterId, size_t limit) const {
  std::lock_guard lock(mutex_);
  // Ids increase along the deque: find the first newer one.
  const auto first = std::upper_bound(events_.begin(), events_.end(), afterId,
                                      [](uint64_t id, const Event& e) { return id < e.id; });
  const auto available = static_cast<size_t>(events_.end() - first);
  const auto skip = available > limit ? available - limit : 0;
  return std::vector<Event>(first + static_cast<std::ptrdiff_t>(skip), events_.end());
}

uint64_t EventLog::lastId() const {
  std::lock_guard lock(mutex_);
  return nextId_ - 1;
}

void EventLog::daemonSeen(bool reachable, const std::string& detail) {
  {
    std::lock_guard lock(mutex_);
    if (daemonReachable_ == reachable) return;
    daemonReachable_ = reachable;
  }
  record(reachable ? "daemon_reachable" : "daemon_unreachable", "", "",
         reachable ? "callgated answers on its control socket" : "callgated: " + detail);
}

}  // namespace callgate::mgmt::api
