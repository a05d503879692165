#pragma once
// How many HTTPS connections each client holds at once, with a cap. A
// "slow-loris" client opens many connections and trickles bytes on each so
// that every server thread waits on it; the cap keeps one client to its share
// of the threads. Thread-safe: every server thread counts here.
//
// A client is its IPv4 address, or the /64 of its IPv6 address: a host picks
// its interface identifiers within one /64 at will (RFC 4291 §2.5.1, RFC 8981
// temporary addresses), so counting each IPv6 address would give one host an
// unlimited number of slots.

#include <Poco/Net/IPAddress.h>

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace callgate::mgmt::http {

class ConnectionLimiter {
 public:
  explicit ConnectionLimiter(size_t maxPerClient) : maxPerClient_(maxPerClient) {}
  ConnectionLimiter(const ConnectionLimiter&) = delete;
  ConnectionLimiter& operator=(const ConnectionLimiter&) = delete;

  // One counted connection; uncounts itself when destroyed. Must not outlive
  // the limiter.
  class Slot {
   public:
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();
    const std::string& client() const { return client_; }

   private:
    friend class ConnectionLimiter;
    Slot(ConnectionLimiter& owner, std::string client)
        : owner_(&owner), client_(std::move(client)) {}
    // passed in; null once moved from
    ConnectionLimiter* owner_;
    std::string client_;
  };

  // A slot for `client`, or nothing when it already holds maxPerClient.
  std::optional<Slot> acquire(const std::string& client);
  size_t count(const std::string& client) const;
  // Clients holding at least one connection (the table never keeps zeros).
  size_t clients() const;
  size_t maxPerClient() const { return maxPerClient_; }

  // The key a peer counts under: an IPv4 address (also when IPv4-mapped in
  // IPv6) as itself, any other IPv6 address as its /64, e.g. "2001:db8::/64".
  static std::string clientKey(const Poco::Net::IPAddress& address);

 private:
  void release(const std::string& client);

  // owned
  const size_t maxPerClient_;
  mutable std::mutex mutex_;
  std::map<std::string, size_t> open_;
};

}  // namespace callgate::mgmt::http
