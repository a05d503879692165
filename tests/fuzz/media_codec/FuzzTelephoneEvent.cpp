// Fuzzes RFC 4733 telephone-event parsing and writing, the DTMF character
// map, and the packet sequence of the DTMF generator.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "media/codec/TelephoneEvent.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::media::codec;
  const std::span<const uint8_t> input(data, size);

  const auto event = parseTelephoneEvent(input);
  check(event.has_value() == (size >= kTelephoneEventSize));
  if (event) {
    std::array<uint8_t, kTelephoneEventSize> out{};
    check(writeTelephoneEvent(*event, out) == kTelephoneEventSize);
    // Rewriting clears only the reserved R bit (RFC 4733 §2.3.3).
    check(out[0] == data[0] && out[1] == (data[1] & 0xBF) && out[2] == data[2] &&
          out[3] == data[3]);
    check(parseTelephoneEvent(out).value() == *event);
  }

  if (size >= 1) {
    const char c = static_cast<char>(data[0]);
    if (const auto code = dtmfEventFromChar(c)) {
      const auto back = dtmfCharFromEvent(*code);
      check(back.has_value() && (*back == c || *back == c - 'a' + 'A'));
    }
    if (const auto ch = dtmfCharFromEvent(data[0])) check(dtmfEventFromChar(*ch) == data[0]);
  }

  if (size >= 8) {
    static constexpr std::array<uint32_t, 4> kRates{8000, 16000, 48000, 1000};
    const uint32_t durationMs = static_cast<uint32_t>((data[5] << 8) | data[6]) * 4;
    const uint32_t intervalMs = data[7];
    DtmfGenerator gen(data[4], durationMs, data[1], kRates[data[2] & 3], intervalMs);
    size_t count = 0;
    uint16_t lastDuration = 0;
    uint32_t lastSend = 0;
    while (auto p = gen.next()) {
      const bool isEnd = count + DtmfGenerator::kEndRepeats >= gen.packetCount();
      check(p->marker == (count == 0));
      check(p->timestampOffset == 0);
      check(p->event.end == isEnd);
      check(p->event.duration >= lastDuration);
      check(p->sendAtMs >= lastSend);
      check(p->event.volume <= 63);
      check(parseTelephoneEvent(p->payload).value() == p->event);
      lastDuration = p->event.duration;
      lastSend = p->sendAtMs;
      ++count;
      check(count <= gen.packetCount());
    }
    check(count == gen.packetCount());
  }
  return 0;
}
