// The packet path must not allocate after construction (DESIGN.md, "Threads
// and the media path"). Each per-packet function runs between two readings
// of the allocation counter (support/AllocationCounter.h).

#include <array>
#include <boost/test/unit_test.hpp>
#include <string>

#include "media/codec/AudioFrame.h"
#include "media/codec/G711.h"
#include "media/codec/JitterBuffer.h"
#include "media/codec/OpusCodec.h"
#include "media/codec/TelephoneEvent.h"
#include "support/AllocationCounter.h"

namespace codec = callgate::media::codec;

BOOST_AUTO_TEST_SUITE(no_allocation)

BOOST_AUTO_TEST_CASE(packet_path_functions_do_not_allocate) {
  std::string error;
  codec::JitterBuffer jb;
  auto encoder = codec::OpusEncoder::create(8000, 1, 5, 16000, &error);
  auto decoder = codec::OpusDecoder::create(8000, 1, &error);
  BOOST_REQUIRE(encoder && decoder);
  codec::AudioFrame frame;
  frame.count = codec::kFrameSamples8k;
  std::array<uint8_t, 1500> packet{};
  std::array<uint8_t, codec::kFrameSamples8k> g711{};
  std::array<int16_t, 5760> pcm{};
  unsigned long played = 0;
  unsigned long events = 0;

  const unsigned long before = callgate::test::allocationCount();
  for (int i = 0; i < 200; ++i) {
    for (size_t s = 0; s < frame.count; ++s) frame.samples[s] = static_cast<int16_t>(s * 97 + i);
    const int bytes = encoder->encode(frame.interleaved(), packet);
    if (bytes <= 0) break;
    const auto seq = static_cast<uint16_t>(i);
    if (i % 10 != 3) {
      jb.push(seq, static_cast<uint32_t>(160 * i),
              std::span<const uint8_t>(packet.data(), static_cast<size_t>(bytes)), i * 20'000,
              i == 0);
    }
    const auto f = jb.pop(i * 20'000 + 5'000);
    if (f.kind == codec::JitterBuffer::FrameKind::Packet) {
      ++played;
      decoder->decode(f.payload, pcm);
    } else if (f.kind == codec::JitterBuffer::FrameKind::Missing) {
      decoder->decodeLost(160, pcm);
    }
    codec::ulawEncode(std::span<const int16_t>(pcm.data(), 160), g711);
    codec::alawDecode(g711, std::span<int16_t>(pcm.data(), 160));
    codec::upmixToStereo(frame);
    codec::downmixToMono(frame);
    codec::DtmfGenerator gen(static_cast<uint8_t>(i % 16), 120);
    while (auto p = gen.next()) {
      if (codec::parseTelephoneEvent(p->payload)) ++events;
    }
  }
  const unsigned long after = callgate::test::allocationCount();
  BOOST_TEST(after == before);
  BOOST_TEST(played > 150U);
  BOOST_TEST(events == 200U * 5U);
  (void)jb.stats();
}

BOOST_AUTO_TEST_SUITE_END()
