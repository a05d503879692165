// Passthrough: payload untouched; payload type, SSRC, sequence number and
// timestamp rewritten onto the one output stream per side.

#include <array>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "BridgeTestUtil.h"
#include "CallFixture.h"
#include "media/codec/AudioFrame.h"
#include "media/codec/OpusCodec.h"

namespace codec = callgate::media::codec;
using namespace callgate::media::bridge;
using namespace callgate::media::bridge::test;

namespace {

constexpr uint32_t kSource = 0x11112222;

// Sends `count` 20 ms packets from A starting at the fixture's clock.
void sendRun(Call& c, uint8_t pt, uint32_t ssrc, uint16_t firstSeq, uint32_t firstTs,
             uint32_t tsStep, int count, size_t payloadSize = 160) {
  for (int k = 0; k < count; ++k) {
    const auto payload = fillPayload(payloadSize, static_cast<uint8_t>(firstSeq + k));
    c.rtp(Side::A, makeRtp(pt, static_cast<uint16_t>(firstSeq + k),
                           firstTs + tsStep * static_cast<uint32_t>(k), ssrc, payload));
    c.now += 20'000;
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bridge_passthrough)

BOOST_AUTO_TEST_CASE(rewrites_payload_type_ssrc_sequence_and_timestamp) {
  Call c(opus(111, 126), opus(109, 101));
  BOOST_TEST(!c.bridge->stats().transcoding);
  // Input sequence numbers wrap at 65535 on the way.
  for (int k = 0; k < 10; ++k) {
    const auto payload = fillPayload(60, static_cast<uint8_t>(k));
    c.rtp(Side::A, makeRtp(111, static_cast<uint16_t>(65530 + k),
                           4'294'960'000U + 960U * static_cast<uint32_t>(k), kSource, payload));
    c.now += 20'000;
  }
  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 10U);
  BOOST_TEST(c.a.rtp.empty());
  BOOST_TEST(consecutive(out));
  for (size_t k = 0; k < out.size(); ++k) {
    BOOST_TEST(out[k].payloadType == 109);
    BOOST_TEST(out[k].ssrc == Call::kSsrcB);
    BOOST_TEST(out[k].timestamp == out[0].timestamp + 960U * k);
    BOOST_TEST(out[k].marker == (k == 0));  // the first packet starts our stream
    BOOST_TEST(out[k].payload == fillPayload(60, static_cast<uint8_t>(k)));
    BOOST_TEST(out[k].size == 12U + 60U);
  }
  BOOST_TEST(c.bridge->stats().relayed == 10U);
}

BOOST_AUTO_TEST_CASE(strips_csrcs_extension_and_padding) {
  Call c(pcmu(), pcmu(0));
  // V=2 P=1 X=1 CC=2, PT 0, seq 7, ts 1000, SSRC, two CSRCs, a one-byte
  // extension (RFC 8285) of one word, 20 bytes of payload, 4 of padding.
  std::vector<uint8_t> p = {0xB2, 0x00, 0x00, 0x07, 0x00, 0x00, 0x03, 0xE8, 0x11, 0x11,
                            0x22, 0x22, 0xC1, 0xC1, 0xC1, 0xC1, 0xC2, 0xC2, 0xC2, 0xC2,
                            0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0x00, 0x00};
  const auto payload = fillPayload(20, 3);
  p.insert(p.end(), payload.begin(), payload.end());
  p.insert(p.end(), {0x00, 0x00, 0x00, 0x04});
  c.rtp(Side::A, p);
  BOOST_REQUIRE_EQUAL(c.b.rtp.size(), 1U);
  const SentRtp& s = c.b.rtp[0];
  BOOST_TEST(s.size == 12U + 20U);
  BOOST_TEST(s.bytes[0] == 0x80);  // no padding, extension or CSRCs
  BOOST_TEST(s.payload == payload);
  BOOST_TEST(s.ssrc == Call::kSsrcB);
}

BOOST_AUTO_TEST_CASE(new_source_ssrc_continues_sequence_and_timeline) {
  Call c(opus(), opus());
  sendRun(c, 111, kSource, 100, 1000, 960, 5);
  // The sender restarts (re-INVITE) with another SSRC and numbering, after
  // a pause: 1 s beyond the regular 20 ms.
  c.now += 1'000'000;
  sendRun(c, 111, 0x33334444, 9000, 777'777, 960, 5);
  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 10U);
  BOOST_TEST(consecutive(out));
  BOOST_TEST(out[5].timestamp == out[4].timestamp + 48'000U + 960U);  // elapsed wall time
  BOOST_TEST(out[5].marker);
  for (size_t k = 6; k < 10; ++k) {
    BOOST_TEST(!out[k].marker);
    BOOST_TEST(out[k].timestamp == out[5].timestamp + 960U * (k - 5));
  }
}

BOOST_AUTO_TEST_CASE(sequence_jump_counts_as_new_source) {
  Call c(pcmu(), pcmu());
  sendRun(c, 0, kSource, 100, 1000, 160, 3);
  sendRun(c, 0, kSource, 100 + 3 + 5000, 1000 + 160 * 3, 160, 3);  // same SSRC, jump > 1000
  sendRun(c, 0, kSource, 4600, 1000 + 160 * 6, 160, 2);            // ... and one back beyond 100
  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 8U);
  BOOST_TEST(consecutive(out));
  BOOST_TEST(out[3].marker);
  BOOST_TEST(out[6].marker);
  for (size_t k = 1; k < out.size(); ++k) {
    BOOST_TEST(out[k].timestamp == out[k - 1].timestamp + 160U);
  }
}

BOOST_AUTO_TEST_CASE(reordered_input_stays_reordered) {
  Call c(pcmu(), pcmu());
  const std::array<uint16_t, 6> order = {500, 501, 503, 502, 504, 505};
  for (const uint16_t seq : order) {
    const auto payload = fillPayload(160, static_cast<uint8_t>(seq));
    c.rtp(Side::A, makeRtp(0, seq, 8000U + 160U * (seq - 500U), kSource, payload));
    c.now += 20'000;
  }
  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), order.size());
  for (size_t k = 0; k < out.size(); ++k) {
    const uint16_t rel = order[k] - 500;
    BOOST_TEST(out[k].sequence == static_cast<uint16_t>(out[0].sequence + rel));
    BOOST_TEST(out[k].timestamp == out[0].timestamp + 160U * rel);
    BOOST_TEST(out[k].payload == fillPayload(160, static_cast<uint8_t>(order[k])));
  }
}

BOOST_AUTO_TEST_CASE(unknown_payload_type_is_dropped_without_a_sequence_gap) {
  Call c(pcmu(), pcmu());
  const auto payload = fillPayload(160, 1);
  c.rtp(Side::A, makeRtp(0, 1, 0, kSource, payload));
  c.now += 20'000;
  c.rtp(Side::A, makeRtp(13, 2, 160, kSource, fillPayload(1, 0)));  // comfort noise, not agreed
  c.now += 20'000;
  c.rtp(Side::A, makeRtp(0, 3, 320, kSource, payload));
  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 2U);
  BOOST_TEST(consecutive(out));
  BOOST_TEST(out[1].timestamp == out[0].timestamp + 320U);  // the timeline is the sender's
  BOOST_TEST(c.bridge->stats().droppedWrongPayloadType == 1U);
  BOOST_TEST(c.bridge->stats().relayed == 2U);
}

BOOST_AUTO_TEST_CASE(telephone_event_payload_type_is_mapped) {
  Call c(opus(111, 126), opus(109, 101));
  sendRun(c, 111, kSource, 10, 96'000, 960, 2, 40);
  const std::vector<uint8_t> event = {5, 0x0A, 0x03, 0xC0};  // digit 5, 960 ticks
  c.rtp(Side::A, makeRtp(126, 12, 96'000 + 1920, kSource, event, true));
  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 3U);
  BOOST_TEST(out[2].payloadType == 101);
  BOOST_TEST(out[2].payload == event);
  BOOST_TEST(out[2].timestamp == out[0].timestamp + 1920U);
  BOOST_TEST(out[2].marker);
  BOOST_TEST(c.bridge->stats().telephoneEvents == 1U);
}

BOOST_AUTO_TEST_CASE(telephone_event_without_a_match_is_dropped) {
  const std::vector<uint8_t> event = {5, 0x0A, 0x03, 0xC0};
  {
    Call c(opus(111, 126, 48000), opus(111, 101, 8000));  // clock rates differ
    c.rtp(Side::A, makeRtp(126, 1, 0, kSource, event, true));
    BOOST_TEST(c.b.rtp.empty());
    BOOST_TEST(c.bridge->stats().droppedWrongPayloadType == 1U);
  }
  {
    Call c(pcmu(0, 101), pcmu(0, std::nullopt));  // B agreed no events
    c.rtp(Side::A, makeRtp(101, 1, 0, kSource, event, true));
    BOOST_TEST(c.b.rtp.empty());
    BOOST_TEST(c.bridge->stats().droppedWrongPayloadType == 1U);
  }
}

BOOST_AUTO_TEST_CASE(hold_and_unhold_continue_the_sequence) {
  Call c(pcmu(), pcmu());
  sendRun(c, 0, kSource, 200, 16'000, 160, 3);
  c.reconfigure(pcmu(), true, pcmu(), false);  // B may not receive
  sendRun(c, 0, kSource, 203, 16'000 + 480, 160, 4);
  BOOST_TEST(c.b.rtp.size() == 3U);
  c.reconfigure(pcmu(), true, pcmu(), true);
  sendRun(c, 0, kSource, 207, 16'000 + 1120, 160, 3);
  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 6U);
  BOOST_TEST(consecutive(out));
  BOOST_TEST(out[3].marker);  // a talk spurt starts for B
  // The timestamp offset stays: the hold pause shows as elapsed time.
  BOOST_TEST(out[3].timestamp == out[2].timestamp + 160U * 5);
  BOOST_TEST(out[5].timestamp == out[3].timestamp + 320U);
}

BOOST_AUTO_TEST_CASE(switching_passthrough_transcoding_passthrough_keeps_one_stream) {
  Call c(pcmu(), pcmu());
  // Phase 1: PCMU relayed.
  sendRun(c, 0, kSource, 1000, 50'000, 160, 10);
  BOOST_REQUIRE_EQUAL(c.b.rtp.size(), 10U);

  // Phase 2: a re-INVITE moves A to Opus; A's audio is now transcoded.
  c.reconfigure(opus(), true, pcmu(), true);
  BOOST_TEST(c.bridge->stats().transcoding);
  std::string error;
  auto encoder = codec::OpusEncoder::create(48000, 1, 5, 32000, &error);
  BOOST_REQUIRE(encoder);
  std::array<int16_t, codec::kFrameSamples48k> pcm{};
  std::array<uint8_t, 1500> packet{};
  for (int k = 0; k < 25; ++k) {
    fillSine(pcm, 1, 48000, 440, 6000, static_cast<size_t>(k) * pcm.size());
    const int bytes = encoder->encode(pcm, packet);
    BOOST_REQUIRE(bytes > 0);
    c.rtp(Side::A, makeRtp(111, static_cast<uint16_t>(3000 + k), 900'000U + 960U * k, 0x5555,
                           std::span<const uint8_t>(packet.data(), static_cast<size_t>(bytes))));
    c.tick();
    c.now += 20'000;
  }
  c.tick();
  const size_t afterTranscoding = c.b.rtp.size();
  BOOST_TEST(afterTranscoding >= 10U + 24U);

  // Phase 3: back to PCMU, relayed again.
  c.reconfigure(pcmu(), true, pcmu(), true);
  BOOST_TEST(!c.bridge->stats().transcoding);
  c.now += 20'000;
  sendRun(c, 0, kSource, 1010, 50'000 + 1600, 160, 10);

  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), afterTranscoding + 10U);
  BOOST_TEST(consecutive(out));
  for (size_t k = 1; k < out.size(); ++k) {
    BOOST_TEST(out[k].payloadType == 0);
    BOOST_TEST(out[k].ssrc == Call::kSsrcB);
    BOOST_TEST(static_cast<int32_t>(out[k].timestamp - out[k - 1].timestamp) > 0);
  }
  // Transcoded frames step one 20 ms frame of the 8 kHz clock each.
  for (size_t k = 11; k < afterTranscoding; ++k) {
    BOOST_TEST(out[k].timestamp - out[k - 1].timestamp == 160U);
  }
  BOOST_TEST(out[10].marker);
  BOOST_TEST(out[afterTranscoding].marker);
}

BOOST_AUTO_TEST_SUITE_END()
