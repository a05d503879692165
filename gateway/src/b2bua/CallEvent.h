#pragma once
// What happened to a call, for software outside the gateway: callgated
// streams these over its control socket (events.subscribe), and
// callgate-mgmt turns them into webhooks, XML-RPC calls and /api/v1/events.
// Built on the signalling thread a few times per call, never per packet.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace callgate::b2bua {

// The Call Me side of a call: the button and the customer context, already
// sanitised as for the SIP headers (callme::sanitizeHeaderValue).
struct CallmeInfo {
  std::string button;  // "" for calls that are not Call Me calls
  std::string origin;
  std::string customerId;
  std::string orderId;
  std::string pageUrl;
  std::string pageTitle;
  std::vector<std::pair<std::string, std::string>> data;
};

enum class CallEventKind { Offered, Answered, Ended, Refused };
const char* callEventName(CallEventKind kind);  // "offered", ...

struct CallEvent {
  CallEventKind kind = CallEventKind::Offered;
  uint64_t callId = 0;        // the call's id in callgated (calls API, callgatectl)
  std::string sipCallId;      // Call-ID of the INVITE toward the destination ("" when refused)
  std::string from;           // the caller's From URI
  std::string to;             // the inbound To URI
  std::string route;          // route name, or callme-<button>
  std::string peer;           // destination peer; "" for registered users
  std::string destination;    // Request-URI toward the destination
  std::string clientAddress;  // the caller's IP:port
  CallmeInfo callme;
  int status = 0;          // ended before answer / refused: the final status sent to the caller
  std::string reason;      // ended / refused: why
  int64_t durationS = -1;  // ended: seconds connected; -1 when never answered
};

class CallEventSink {
 public:
  virtual ~CallEventSink() = default;
  virtual void onCallEvent(const CallEvent& event) = 0;
};

}  // namespace callgate::b2bua
