// Fuzzes the WebSocket frame decoder: the first byte picks a chunk size so
// frames also arrive split at every possible point.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/WebSocket.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::net::ws;
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 64;
  FrameDecoder decoder(4096);
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  while (!rest.empty()) {
    const auto piece = rest.substr(0, chunk);
    rest.remove_prefix(piece.size());
    decoder.feed(piece);
    for (;;) {
      auto e = decoder.next();
      if (e.kind == FrameDecoder::Event::Kind::NeedMore) break;
      if (e.kind == FrameDecoder::Event::Kind::Error) return 0;
    }
  }
  return 0;
}
