#include "auth/LoginThrottle.h"

#include <algorithm>
#include <vector>

namespace callgate::mgmt::auth {

LoginThrottle::LoginThrottle(const core::Clock& clock, ThrottleParams params)
    : clock_(clock), params_(params) {}

void LoginThrottle::prune(Table& table) {
  const auto now = clock_.now();
  std::erase_if(table, [&](const auto& item) {
    return now - item.second.lastFailure >= params_.forgetAfter && now >= item.second.blockedUntil;
  });
  // Still too many (a spray of distinct names): forget the oldest half.
  if (table.size() >= params_.maxEntries) {
    std::vector<std::pair<core::TimePoint, std::string>> byAge;
    byAge.reserve(table.size());
    for (const auto& [key, e] : table) byAge.emplace_back(e.lastFailure, key);
    std::sort(byAge.begin(), byAge.end());
    for (size_t i = 0; i < byAge.size() / 2; ++i) table.erase(byAge[i].second);
  }
}

void LoginThrottle::fail(Table& table, const std::string& key, uint32_t freeFailures) {
  const auto now = clock_.now();
  auto it = table.find(key);
  if (it == table.end()) {
    prune(table);
    it = table.emplace(key, Entry{}).first;
  } else if (now - it->second.lastFailure >= params_.forgetAfter) {
    it->second = Entry{};
  }
  Entry& e = it->second;
  ++e.failures;
  e.lastFailure = now;
  if (e.failures >= freeFailures) {
    // 1 s, 2 s, 4 s ... from the failure that used up the free ones.
    const uint32_t doublings = std::min<uint32_t>(e.failures - freeFailures, 30);
    const auto delay = std::min<std::chrono::seconds>(params_.baseDelay * (int64_t{1} << doublings),
                                                      params_.maxDelay);
    e.blockedUntil = now + delay;
  }
}

std::chrono::seconds LoginThrottle::wait(Table& table, const std::string& key) {
  const auto it = table.find(key);
  if (it == table.end()) return std::chrono::seconds(0);
  const auto now = clock_.now();
  if (now >= it->second.blockedUntil) return std::chrono::seconds(0);
  // Round up: "retry after 0 s" while still blocked would invite a spin.
  return std::chrono::ceil<std::chrono::seconds>(it->second.blockedUntil - now);
}

std::chrono::seconds LoginThrottle::retryAfter(const std::string& account,
                                               const std::string& address) {
  std::lock_guard lock(mutex_);
  return std::max(wait(accounts_, account), wait(addresses_, address));
}

void LoginThrottle::recordFailure(const std::string& account, const std::string& address) {
  std::lock_guard lock(mutex_);
  fail(accounts_, account, params_.freeAccountFailures);
  fail(addresses_, address, params_.freeAddressFailures);
}

void LoginThrottle::recordSuccess(const std::string& account) {
  std::lock_guard lock(mutex_);
  accounts_.erase(account);
}

}  // namespace callgate::mgmt::auth
