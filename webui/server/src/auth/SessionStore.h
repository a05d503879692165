#pragma once
// Login sessions, in memory only (a restart logs everyone out). Ids and CSRF
// tokens are 256 random bits each; a session ends after `idleTimeout`
// without a request. Thread-safe; the clock is injected for tests.

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "auth/Role.h"
#include "core/Clock.h"

namespace callgate::mgmt::auth {

struct Session {
  std::string id;
  std::string csrfToken;
  std::string user;
  Role role = Role::ReadOnly;
  bool mustChangePassword = false;
  core::TimePoint lastSeen;
};

class SessionStore {
 public:
  SessionStore(const core::Clock& clock, std::chrono::seconds idleTimeout,
               size_t maxSessions = 10000);

  // When full, the least recently used session is dropped.
  Session create(const std::string& user, Role role, bool mustChangePassword);
  // The live session with this id, its idle timer restarted; an expired one
  // is removed and not returned.
  std::optional<Session> touch(std::string_view id);
  void remove(std::string_view id);
  // Ends every session of `user` but `keepId` (password change, removal).
  void removeUser(const std::string& user, std::string_view keepId = {});
  // Applies a changed role or password flag to the user's live sessions.
  void updateUser(const std::string& user, Role role, bool mustChangePassword);
  void setIdleTimeout(std::chrono::seconds idleTimeout);
  size_t size();

 private:
  void expire();

  // passed in
  const core::Clock& clock_;
  // owned
  std::mutex mutex_;
  std::chrono::seconds idleTimeout_;
  size_t maxSessions_;
  std::map<std::string, Session, std::less<>> sessions_;
};

}  // namespace callgate::mgmt::auth
