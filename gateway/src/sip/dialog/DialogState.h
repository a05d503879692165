#pragma once
// The state of one SIP dialog as RFC 3261 §12 defines it, from our side.
// The B2BUA keeps one per leg; the legs never share any of it, which is what
// keeps one side's identifiers and addresses away from the other.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sip/msg/SipMessage.h"
#include "sip/transport/TransportTypes.h"

namespace callgate::sip {

struct OutgoingRequest;

struct DialogState {
  std::string callId;
  std::string localTag;
  std::string remoteTag;
  std::string localUri;   // addr-spec we put in From (UAC) / To (UAS)
  std::string remoteUri;  // addr-spec of the other end
  std::string localDisplayName;
  std::string remoteDisplayName;
  uint32_t localCseq = 0;
  std::optional<uint32_t> remoteCseq;
  std::string remoteTarget;           // URI from the peer's Contact (§12.1.1, §12.1.2)
  std::vector<std::string> routeSet;  // Record-Route values, in request order
  std::string localContact;           // our Contact URI on this leg
  OutboundTarget transport;           // where in-dialog requests go (flow or resolved target)
  bool confirmed = false;

  // A request within the dialog (§12.2.1.1): Request-URI, Route, From, To,
  // Call-ID, a fresh CSeq, Max-Forwards and Contact. ACK and CANCEL reuse the
  // CSeq number of the INVITE they belong to and pass it in `cseqOverride`.
  OutgoingRequest makeRequest(Method method, uint32_t maxForwards,
                              std::optional<uint32_t> cseqOverride = std::nullopt);
  // Remote CSeq must grow (§12.2.2); false means answer 500.
  bool acceptRemoteCseq(uint32_t cseq);
  // Takes the remote target and route set from a request (UAS) or response (UAC).
  void learnRemoteTarget(const SipMessage& message);
  void learnRouteSet(const SipMessage& message, bool asUac);
};

// Formats `"Display" <uri>;tag=x` as From/To want it.
std::string formatNameAddr(std::string_view displayName, std::string_view uri,
                           std::string_view tag = {});

}  // namespace callgate::sip
