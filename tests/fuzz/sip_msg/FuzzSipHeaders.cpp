// Fuzzes Via and CSeq parsing and the stream framer used on TCP and TLS.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sip/msg/Framing.h"
#include "sip/msg/HeaderTypes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::sip;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto v = Via::parse(text)) {
    (void)v->branch();
    (void)v->param("rport");
  }
  (void)CSeq::parse(text);
  (void)headerIdFor(text);
  std::string error;
  (void)sipStreamMessageLength(text, 4096, &error);
  (void)leadingKeepaliveBytes(text);
  return 0;
}
