// Fuzzes the SIP message parser and every accessor the stack calls on it,
// then re-parses the response the transaction layer would build.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sip/msg/MessageBuilder.h"
#include "sip/msg/SipMessage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::sip;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = SipMessage::parse(text);
  if (!r.message) return 0;
  const auto& m = *r.message;
  (void)m.topVia();
  (void)m.from();
  (void)m.to();
  (void)m.cseq();
  (void)m.maxForwards();
  (void)m.expires();
  for (auto id : {HeaderId::Via, HeaderId::Contact, HeaderId::Route, HeaderId::Supported}) {
    for (auto v : m.headerValues(id)) {
      (void)Via::parse(v);
      (void)NameAddr::parse(v);
    }
  }
  (void)Uri::parse(m.requestUri());
  if (m.isRequest()) {
    auto again = SipMessage::parse(makeResponse(m, 400, r.error, "tag").serialize());
    (void)again;
  }
  return 0;
}
