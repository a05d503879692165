// Fuzzes the server side of the WebSocket opening handshake.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/WebSocket.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)callgate::net::ws::acceptHandshake(text, "sip", 8192);
  return 0;
}
