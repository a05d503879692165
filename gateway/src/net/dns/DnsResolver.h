#pragma once
// Asynchronous DNS (c-ares, wrapped once) on the signalling event loop:
// NAPTR, SRV and A/AAAA queries whose callbacks run on the loop thread.
// Callbacks never run after the resolver is destroyed.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/Clock.h"
#include "core/TimerQueue.h"
#include "net/SocketAddress.h"

namespace callgate::core {
class EventLoop;
}

namespace callgate::net::dns {

struct SrvRecord {
  uint16_t priority = 0;
  uint16_t weight = 0;
  uint16_t port = 0;
  std::string target;
};

struct NaptrRecord {
  uint16_t order = 0;
  uint16_t preference = 0;
  std::string flags;
  std::string service;
  std::string replacement;
};

class DnsResolver {
 public:
  struct Options {
    std::string servers;  // "ip[:port],..."; empty uses /etc/resolv.conf
    core::Duration timeout = std::chrono::seconds(2);
    int tries = 2;
  };
  template <typename T>
  using Callback = std::function<void(std::vector<T> records, std::string error)>;

  DnsResolver(core::EventLoop& loop, Options options);
  ~DnsResolver();
  DnsResolver(const DnsResolver&) = delete;
  DnsResolver& operator=(const DnsResolver&) = delete;

  void queryNaptr(const std::string& name, Callback<NaptrRecord> done);
  void querySrv(const std::string& name, Callback<SrvRecord> done);
  // A then AAAA (family AF_UNSPEC), or one of them; ports are 0.
  void queryAddresses(const std::string& name, int family, Callback<SocketAddress> done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace callgate::net::dns
