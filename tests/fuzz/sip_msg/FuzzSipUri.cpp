// Fuzzes URI and name-addr parsing (From, To, Contact, Route values).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sip/msg/HeaderTypes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::sip;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto u = Uri::parse(text)) {
    (void)u->param("transport");
    (void)u->isSip();
  }
  if (auto n = NameAddr::parse(text)) {
    (void)n->tag();
    (void)n->param("expires");
  }
  return 0;
}
