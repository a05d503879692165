#pragma once
// Locating SIP servers (RFC 3263 §4): from a peer's host, port and transport
// to an ordered list of (transport, address) targets, tried in order for
// failover. NAPTR, then SRV (RFC 2782 priority and weighted order), then
// A/AAAA.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/SocketAddress.h"
#include "net/dns/DnsResolver.h"
#include "sip/transport/TransportTypes.h"

namespace callgate::core {
class Random;
}

namespace callgate::net::dns {

struct LocatedTarget {
  sip::TransportKind kind = sip::TransportKind::Udp;
  SocketAddress address;
  std::string hostName;  // for TLS SNI and certificate checks
};

struct LocateResult {
  std::vector<LocatedTarget> targets;
  std::string error;
};

// RFC 2782: ascending priority; within a priority, a weighted random order
// (weight-0 records keep a small chance, placed first as the RFC suggests).
std::vector<SrvRecord> orderSrvRecords(std::vector<SrvRecord> records, core::Random& random);

struct NaptrChoice {
  sip::TransportKind kind;
  std::string srvName;
};
// RFC 3263 §4.1: the NAPTR records for transports we support (TLS only for
// sips), by order then preference, each naming an SRV domain.
std::vector<NaptrChoice> selectNaptr(std::vector<NaptrRecord> records, bool secure,
                                     const std::vector<sip::TransportKind>& supported);

class SipServerLocator {
 public:
  SipServerLocator(DnsResolver& resolver, core::Random& random,
                   std::vector<sip::TransportKind> supported = {
                       sip::TransportKind::Udp, sip::TransportKind::Tcp, sip::TransportKind::Tls});
  ~SipServerLocator();
  SipServerLocator(const SipServerLocator&) = delete;
  SipServerLocator& operator=(const SipServerLocator&) = delete;

  // `port` 0 means none given; `transport` empty means none given.
  void locate(const std::string& host, uint16_t port, std::optional<sip::TransportKind> transport,
              bool secure, std::function<void(LocateResult)> done);

 private:
  struct Lookup;
  void resolveSrvTargets(std::shared_ptr<Lookup> lookup,
                         std::vector<std::pair<sip::TransportKind, std::string>> srvNames);
  void resolveHost(std::shared_ptr<Lookup> lookup, sip::TransportKind kind, uint16_t port);

  // passed in
  DnsResolver& resolver_;
  core::Random& random_;
  // owned
  std::vector<sip::TransportKind> supported_;
  std::shared_ptr<bool> alive_;  // lookups in flight check it before calling back
};

}  // namespace callgate::net::dns
