#include <array>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <vector>

#include "media/codec/TelephoneEvent.h"

using namespace callgate::media::codec;

namespace callgate::media::codec {
inline std::ostream& operator<<(std::ostream& os, const TelephoneEvent& e) {
  return os << "{event " << int{e.event} << (e.end ? " end" : "") << " volume " << int{e.volume}
            << " duration " << e.duration << "}";
}
}  // namespace callgate::media::codec

BOOST_AUTO_TEST_SUITE(telephone_event)

BOOST_AUTO_TEST_CASE(parses_rfc4733_example_packets) {
  // RFC 4733 §5, Table 5: digit 9 at volume 10, first packet after 50 ms.
  const std::array<uint8_t, 4> first{0x09, 0x0A, 0x01, 0x90};
  const auto e = parseTelephoneEvent(first);
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->event == 9);
  BOOST_TEST(!e->end);
  BOOST_TEST(e->volume == 10);
  BOOST_TEST(e->duration == 400);

  const std::array<uint8_t, 4> last{0x09, 0x8A, 0x06, 0x40};
  const auto end = parseTelephoneEvent(last);
  BOOST_REQUIRE(end.has_value());
  BOOST_TEST(end->end);
  BOOST_TEST(end->duration == 1600);
}

BOOST_AUTO_TEST_CASE(reserved_bit_is_ignored_and_fields_masked) {
  // §2.3.3: R must be ignored by receivers.
  const std::array<uint8_t, 4> withR{0x0B, 0xFF, 0xFF, 0xFF};
  const auto e = parseTelephoneEvent(withR);
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->event == 11);
  BOOST_TEST(e->end);
  BOOST_TEST(e->volume == 63);
  BOOST_TEST(e->duration == 0xFFFF);
}

BOOST_AUTO_TEST_CASE(short_payloads_are_rejected_and_extra_events_ignored) {
  BOOST_TEST(!parseTelephoneEvent({}).has_value());
  const std::array<uint8_t, 3> three{0x01, 0x0A, 0x00};
  BOOST_TEST(!parseTelephoneEvent(three).has_value());
  // Two events in one packet (§2.5.1.5): the first is reported.
  const std::array<uint8_t, 8> two{0x01, 0x8A, 0x03, 0x20, 0x02, 0x0A, 0x00, 0xA0};
  const auto e = parseTelephoneEvent(two);
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->event == 1);
  BOOST_TEST(e->duration == 800);
}

BOOST_AUTO_TEST_CASE(writes_and_round_trips) {
  const TelephoneEvent e{11, true, 7, 1234};
  std::array<uint8_t, 4> out{};
  BOOST_TEST(writeTelephoneEvent(e, out) == 4U);
  BOOST_TEST(out == (std::array<uint8_t, 4>{0x0B, 0x87, 0x04, 0xD2}));
  BOOST_TEST(parseTelephoneEvent(out).value() == e);

  std::array<uint8_t, 3> small{};
  BOOST_TEST(writeTelephoneEvent(e, small) == 0U);
  BOOST_TEST(writeTelephoneEvent(TelephoneEvent{1, false, 64, 0}, out) == 0U);
}

BOOST_AUTO_TEST_CASE(dtmf_characters_map_both_ways) {
  const char chars[] = "0123456789*#ABCD";
  for (uint8_t code = 0; code < 16; ++code) {
    BOOST_TEST(dtmfEventFromChar(chars[code]).value() == code);
    BOOST_TEST(dtmfCharFromEvent(code).value() == chars[code]);
  }
  BOOST_TEST(dtmfEventFromChar('d').value() == 15);
  BOOST_TEST(!dtmfEventFromChar('E').has_value());
  BOOST_TEST(!dtmfEventFromChar('x').has_value());
  BOOST_TEST(!dtmfEventFromChar(' ').has_value());
  BOOST_TEST(!dtmfCharFromEvent(16).has_value());
  BOOST_TEST(!dtmfCharFromEvent(255).has_value());
}

BOOST_AUTO_TEST_CASE(generator_follows_rfc4733_table_5) {
  // Digit 9 held for 200 ms at 8000 Hz: updates at 50, 100, 150 ms, then
  // the end packet at 200 ms and its two retransmissions.
  DtmfGenerator gen(9, 200);
  BOOST_TEST(gen.packetCount() == 6U);
  std::vector<DtmfPacket> packets;
  while (auto p = gen.next()) packets.push_back(*p);
  BOOST_REQUIRE(packets.size() == 6U);
  const std::array<uint16_t, 6> durations{400, 800, 1200, 1600, 1600, 1600};
  const std::array<uint32_t, 6> sendAt{50, 100, 150, 200, 250, 300};
  for (size_t i = 0; i < packets.size(); ++i) {
    BOOST_TEST(packets[i].marker == (i == 0));
    BOOST_TEST(packets[i].timestampOffset == 0U);
    BOOST_TEST(packets[i].event.event == 9);
    BOOST_TEST(packets[i].event.volume == 10);
    BOOST_TEST(packets[i].event.end == (i >= 3));
    BOOST_TEST(packets[i].event.duration == durations[i]);
    BOOST_TEST(packets[i].sendAtMs == sendAt[i]);
    BOOST_TEST(parseTelephoneEvent(packets[i].payload).value() == packets[i].event);
  }
  BOOST_TEST(packets[0].payload == (std::array<uint8_t, 4>{0x09, 0x0A, 0x01, 0x90}));
  BOOST_TEST(packets[5].payload == (std::array<uint8_t, 4>{0x09, 0x8A, 0x06, 0x40}));
  BOOST_TEST(!gen.next().has_value());
  gen.restart();
  BOOST_TEST(gen.next()->marker);
}

BOOST_AUTO_TEST_CASE(generator_short_and_long_tones) {
  // Shorter than one interval: the end packet is the first, with the marker.
  DtmfGenerator quick(1, 30);
  auto p = quick.next();
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->marker);
  BOOST_TEST(p->event.end);
  BOOST_TEST(p->event.duration == 240);
  BOOST_TEST(!quick.next()->marker);
  BOOST_TEST(quick.next().has_value());
  BOOST_TEST(!quick.next().has_value());

  // A duration that is a multiple of the interval gets no update at its end.
  DtmfGenerator exact(5, 100, 10, 8000, 50);
  BOOST_TEST(exact.packetCount() == 4U);  // 50 ms update, end ×3 at 100 ms

  // WebRTC's telephone-event/48000: 16 bits cover 1365 ms at most.
  DtmfGenerator longTone(0, 5000, 10, 48000, 50);
  BOOST_TEST(longTone.durationMs() == 1365U);
  uint16_t previous = 0;
  size_t count = 0;
  while (auto q = longTone.next()) {
    BOOST_TEST(q->event.duration >= previous);
    previous = q->event.duration;
    ++count;
  }
  BOOST_TEST(count == longTone.packetCount());
  BOOST_TEST(previous == 65520);  // 1365 ms × 48
}

BOOST_AUTO_TEST_SUITE_END()
