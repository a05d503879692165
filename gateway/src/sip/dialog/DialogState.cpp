#include "sip/dialog/DialogState.h"

#include <algorithm>

#include "sip/txn/TransactionLayer.h"

namespace callgate::sip {

std::string formatNameAddr(std::string_view displayName, std::string_view uri,
                           std::string_view tag) {
  std::string out;
  if (!displayName.empty()) {
    out += '"';
    for (char c : displayName) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += "\" ";
  }
  out += '<';
  out += uri;
  out += '>';
  if (!tag.empty()) {
    out += ";tag=";
    out += tag;
  }
  return out;
}

OutgoingRequest DialogState::makeRequest(Method method, uint32_t maxForwards,
                                         std::optional<uint32_t> cseqOverride) {
  OutgoingRequest request;
  request.method = method;
  // Loose routing only (§12.2.1.1): the remote target is the Request-URI and
  // the whole route set goes into Route. Strict routers are long gone.
  request.requestUri = remoteTarget.empty() ? remoteUri : remoteTarget;
  for (const auto& route : routeSet) request.headers.emplace_back("Route", route);
  request.headers.emplace_back("Max-Forwards", std::to_string(maxForwards));
  request.headers.emplace_back("From", formatNameAddr(localDisplayName, localUri, localTag));
  request.headers.emplace_back("To", formatNameAddr(remoteDisplayName, remoteUri, remoteTag));
  request.headers.emplace_back("Call-ID", callId);
  const uint32_t cseq = cseqOverride ? *cseqOverride : ++localCseq;
  request.headers.emplace_back("CSeq",
                               std::to_string(cseq) + " " + std::string(methodName(method)));
  if (method == Method::Invite || method == Method::Update || method == Method::Subscribe ||
      method == Method::Refer || method == Method::Notify) {
    request.headers.emplace_back("Contact", "<" + localContact + ">");
  }
  return request;
}

bool DialogState::acceptRemoteCseq(uint32_t cseq) {
  if (remoteCseq && cseq <= *remoteCseq) return false;
  remoteCseq = cseq;
  return true;
}

void DialogState::learnRemoteTarget(const SipMessage& message) {
  const auto contact = message.headerValues(HeaderId::Contact);
  if (contact.empty()) return;
  if (auto parsed = NameAddr::parse(contact.front())) remoteTarget = std::string(parsed->uriText);
}

void DialogState::learnRouteSet(const SipMessage& message, bool asUac) {
  // §12.1.2: the UAC takes Record-Route in reverse order, the UAS (§12.1.1) as is.
  routeSet.clear();
  for (auto value : message.headerValues(HeaderId::RecordRoute)) routeSet.emplace_back(value);
  if (asUac) std::reverse(routeSet.begin(), routeSet.end());
}

}  // namespace callgate::sip
