#pragma once
// Rate limit for log lines about one client: at most one line per client per
// interval, counting the events it held back so that the next line can say
// how many there were. A client attacking the server must not be able to
// fill the log. Thread-safe; the clock is injected for tests.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/Clock.h"

namespace callgate::mgmt::http {

class ClientLogGate {
 public:
  ClientLogGate(const core::Clock& clock, core::Duration interval, size_t maxClients = 10000)
      : clock_(clock), interval_(interval), maxClients_(maxClients) {}

  // When a line about `client` may be written now: how many events about it
  // were held back since its last line. Nothing when this one is held back.
  std::optional<uint64_t> allow(const std::string& client);

 private:
  struct Entry {
    core::TimePoint lastLine;
    uint64_t heldBack = 0;
  };
  void prune(core::TimePoint now);

  // passed in
  const core::Clock& clock_;
  // owned
  const core::Duration interval_;
  const size_t maxClients_;  // bounds memory under a spray of addresses
  std::mutex mutex_;
  std::map<std::string, Entry> clients_;
};

}  // namespace callgate::mgmt::http
