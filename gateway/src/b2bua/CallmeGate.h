#pragma once
// Admission of Call Me calls (docs/callme.md). A browser on a shop's page
// calls sip:callme-<button>@gateway over WebSocket; before anything is routed
// the gate checks, in this order: Call Me enabled, the button exists and is
// enabled, the WebSocket Origin is allowed, the opening hours, the token
// (when required or presented), and the limits. An admitted call goes to the
// button's destination only, with the context as sanitised headers, and
// counts against the limits until release().

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "b2bua/CallEvent.h"
#include "callme/CallLimiter.h"
#include "callme/ContextHeaders.h"
#include "callme/OpeningHours.h"
#include "callme/TimeZone.h"
#include "core/Clock.h"

namespace callgate::config {
class ConfigSnapshot;
struct Button;
}  // namespace callgate::config

namespace callgate::b2bua {

// The Request-URI user of a Call Me call is this prefix and the button id.
constexpr std::string_view kCallmeUserPrefix = "callme-";
// Headers the widget sends on its INVITE (JsSIP extraHeaders).
constexpr std::string_view kCallmeTokenHeader = "X-Callme-Token";
constexpr std::string_view kCallmePageUrlHeader = "X-Callme-Page-Url";
constexpr std::string_view kCallmePageTitleHeader = "X-Callme-Page-Title";

struct CallmeRequest {
  uint64_t callId = 0;
  std::string_view buttonId;
  std::string_view origin;  // Origin of the WebSocket handshake; "" when none was sent
  std::string_view clientIp;
  std::string_view token;  // "" when the INVITE carried none
  std::string_view pageUrl;
  std::string_view pageTitle;
  std::chrono::system_clock::time_point now;  // wall clock: token times and opening hours
};

struct CallmeDecision {
  bool admitted = false;
  // Refusals: the text for the status line and the Reason header, one of
  // "Call Me disabled", "Unknown button", "Button disabled", "Origin not
  // allowed", "Closed[: <closed_message>]", "Token required", "Token invalid",
  // "Token expired", "Token used", "Too many calls".
  std::string reason;
  std::string detail;                      // for the log only: which token check or limit failed
  const config::Button* button = nullptr;  // admitted: points into the snapshot
  callme::HeaderList headers;              // admitted: context headers for the callee
  CallmeInfo info;                         // admitted: the same context, for call events
};

class CallmeGate {
 public:
  explicit CallmeGate(const core::Clock& clock) : limiter_(clock) {}

  // Caches what each check needs from a new snapshot (decoded secret, parsed
  // hours, time zones) so a call costs no parsing of configuration.
  void setConfig(std::shared_ptr<const config::ConfigSnapshot> snapshot);
  CallmeDecision admit(const CallmeRequest& request);
  void release(uint64_t callId) { limiter_.release(callId); }
  const callme::CallLimiter& limiter() const { return limiter_; }

 private:
  struct ButtonRules {
    callme::OpeningHours hours;
    callme::TimeZone zone = callme::TimeZone::utc();
  };

  // owned
  std::shared_ptr<const config::ConfigSnapshot> snapshot_;
  std::string secret_;
  std::map<std::string, ButtonRules, std::less<>> rules_;
  callme::CallLimiter limiter_;
  // Ids (jti) of the tokens that admitted a call, until they expire: with
  // callme.single_use_tokens a copied token cannot place a second call.
  std::map<std::string, int64_t, std::less<>> usedTokens_;  // jti -> exp
};

// `Reason: SIP;cause=403;text="..."` (RFC 3326) with the text quoted.
std::string reasonHeaderValue(int cause, std::string_view text);

}  // namespace callgate::b2bua
