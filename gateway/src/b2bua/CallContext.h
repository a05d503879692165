#pragma once
// What a Call needs from the manager that owns it. An interface so that the
// call logic is tested without sockets.

#include <optional>
#include <string>

#include "sip/transport/TransportTypes.h"

namespace callgate::core {
class TimerQueue;
class Random;
}  // namespace callgate::core

namespace callgate::sip {
class TransactionLayer;
}

namespace callgate::media::session {
class MediaEngine;
}

namespace callgate::b2bua {

class Call;
struct CallEvent;

struct CallSettings {
  std::string userAgent = "Callgate";
  uint32_t maxForwards = 70;
  uint32_t sessionExpires = 1800;
  uint32_t minSe = 90;
};

class CallContext {
 public:
  virtual ~CallContext() = default;
  virtual sip::TransactionLayer& transactions() = 0;
  virtual core::TimerQueue& timers() = 0;
  virtual core::Random& random() = 0;
  virtual const CallSettings& callSettings() const = 0;
  // The media plane; null runs calls with SDP passed through unchanged.
  virtual media::session::MediaEngine* mediaEngine() = 0;
  // Our Contact/Via host and port for a transport toward an address family.
  virtual std::optional<sip::LocalContact> localContact(sip::TransportKind kind, int family) = 0;
  // The outbound leg has its Call-ID and tag: in-dialog requests can find it.
  virtual void onOutboundDialog(Call& call) = 0;
  // The call has nothing left to do; the owner deletes it outside this stack frame.
  virtual void onCallFinished(Call& call) = 0;
  // Offered, answered, ended: for the control socket's event stream.
  virtual void onCallEvent(const CallEvent& event) = 0;
};

}  // namespace callgate::b2bua
