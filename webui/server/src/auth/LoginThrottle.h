#pragma once
// Slows password guessing: after a number of free failures for an account
// (or from an address) each further failure doubles the wait before the next
// attempt, up to a ceiling. Counted per account and per address so neither a
// botnet on one account nor one host across many accounts gets far.
// Thread-safe; the clock is injected for tests.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "core/Clock.h"

namespace callgate::mgmt::auth {

struct ThrottleParams {
  uint32_t freeAccountFailures = 5;
  uint32_t freeAddressFailures = 20;  // higher: many users may share a NAT
  std::chrono::seconds baseDelay{1};
  std::chrono::seconds maxDelay{900};
  std::chrono::seconds forgetAfter{3600};  // failures older than this are forgiven
  size_t maxEntries = 100000;              // bound memory under a spray of names
};

class LoginThrottle {
 public:
  explicit LoginThrottle(const core::Clock& clock, ThrottleParams params = {});

  // Zero when an attempt may go ahead now, else how long to wait.
  std::chrono::seconds retryAfter(const std::string& account, const std::string& address);
  void recordFailure(const std::string& account, const std::string& address);
  // Forgives the account; the address keeps its count (one good password
  // must not reset a host that is guessing others).
  void recordSuccess(const std::string& account);

 private:
  struct Entry {
    uint32_t failures = 0;
    core::TimePoint lastFailure;
    core::TimePoint blockedUntil;
  };
  using Table = std::map<std::string, Entry>;
  void fail(Table& table, const std::string& key, uint32_t freeFailures);
  std::chrono::seconds wait(Table& table, const std::string& key);
  void prune(Table& table);

  // passed in
  const core::Clock& clock_;
  // owned
  ThrottleParams params_;
  std::mutex mutex_;
  Table accounts_;
  Table addresses_;
};

}  // namespace callgate::mgmt::auth
