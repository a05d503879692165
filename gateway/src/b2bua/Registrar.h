#pragma once
// Registrations from browsers (SIP over WebSocket) and phones, so that a call
// centre can call a registered user back (RFC 3261 §10.3). A binding remembers
// the connection the REGISTER came over: requests to a WebSocket client can
// only travel back over that connection (RFC 7118 §5), and the binding dies with it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Clock.h"
#include "core/TimerQueue.h"
#include "sip/transport/TransportTypes.h"

namespace callgate::sip {
class SipMessage;
}

namespace callgate::b2bua {

struct Binding {
  std::string user;        // address-of-record key: the To user part
  std::string contactUri;  // as the client gave it
  std::string callId;
  uint32_t cseq = 0;
  sip::TransportKind kind = sip::TransportKind::Udp;
  net::SocketAddress source;
  sip::ConnectionId connection = 0;
  core::TimePoint expiresAt;
  std::string userAgent;
};

struct RegistrarSettings {
  uint32_t minExpires = 60;
  uint32_t maxExpires = 3600;
  uint32_t defaultExpires = 600;
  std::string domain;  // "" accepts any domain
};

// What the REGISTER handler decided; the caller turns it into a response.
struct RegisterResult {
  int status = 200;
  std::string reason;
  std::vector<std::string> contactHeaders;  // for 200: every current binding with ;expires=
  std::optional<uint32_t> minExpires;       // for 423
};

class Registrar {
 public:
  Registrar(core::TimerQueue& timers, RegistrarSettings settings);
  ~Registrar();
  Registrar(const Registrar&) = delete;
  Registrar& operator=(const Registrar&) = delete;

  void setSettings(RegistrarSettings settings) { settings_ = std::move(settings); }
  RegisterResult handleRegister(const sip::SipMessage& request, sip::TransportKind kind,
                                const net::SocketAddress& source, sip::ConnectionId connection);
  // Live bindings of a user, newest first.
  std::vector<const Binding*> lookup(std::string_view user) const;
  void onConnectionClosed(sip::ConnectionId connection);
  // Whether a live binding was registered over `connection` (0: never).
  bool hasBindingOn(sip::ConnectionId connection) const;
  std::vector<Binding> bindings() const;
  size_t size() const { return bindings_.size(); }

 private:
  void purgeExpired();
  void scheduleSweep();

  // passed in
  core::TimerQueue& timers_;
  // owned
  RegistrarSettings settings_;
  std::multimap<std::string, Binding, std::less<>> bindings_;  // by user
  core::TimerId sweepTimer_ = 0;
};

}  // namespace callgate::b2bua
