#include "auth/SessionStore.h"

#include <algorithm>

#include "auth/SecureRandom.h"

namespace callgate::mgmt::auth {

constexpr size_t kTokenBytes = 32;  // 256 bits

SessionStore::SessionStore(const core::Clock& clock, std::chrono::seconds idleTimeout,
                           size_t maxSessions)
    : clock_(clock), idleTimeout_(idleTimeout), maxSessions_(std::max<size_t>(1, maxSessions)) {}

void SessionStore::expire() {
  const auto now = clock_.now();
  std::erase_if(sessions_,
                [&](const auto& item) { return now - item.second.lastSeen >= idleTimeout_; });
}

Session SessionStore::create(const std::string& user, Role role, bool mustChangePassword) {
  Session s{
      randomHex(kTokenBytes), randomHex(kTokenBytes), user, role, mustChangePassword, clock_.now()};
  std::lock_guard lock(mutex_);
  expire();
  while (sessions_.size() >= maxSessions_) {
    auto oldest = std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.lastSeen < b.second.lastSeen; });
    sessions_.erase(oldest);
  }
  sessions_.emplace(s.id, s);
  return s;
}

std::optional<Session> SessionStore::touch(std::string_view id) {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  const auto now = clock_.now();
  if (now - it->second.lastSeen >= idleTimeout_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.lastSeen = now;
  return it->second;
}

void SessionStore::remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(id);
  if (it != sessions_.end()) sessions_.erase(it);
}

void SessionStore::removeUser(const std::string& user, std::string_view keepId) {
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_,
                [&](const auto& item) { return item.second.user == user && item.first != keepId; });
}

void SessionStore::updateUser(const std::string& user, Role role, bool mustChangePassword) {
  std::lock_guard lock(mutex_);
  for (auto& [id, s] : sessions_) {
    if (s.user != user) continue;
    s.role = role;
    s.mustChangePassword = mustChangePassword;
  }
}

void SessionStore::setIdleTimeout(std::chrono::seconds idleTimeout) {
  std::lock_guard lock(mutex_);
  idleTimeout_ = idleTimeout;
}

size_t SessionStore::size() {
  std::lock_guard lock(mutex_);
  expire();
  return sessions_.size();
}

}  // namespace callgate::mgmt::auth
