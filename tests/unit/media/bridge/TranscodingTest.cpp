// Transcoding: jitter buffer, decode to 8 kHz, encode, one frame per 20 ms
// tick; checked by decoding what the far side got and finding the tone.

#include <array>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "BridgeTestUtil.h"
#include "CallFixture.h"
#include "media/codec/AudioFrame.h"
#include "media/codec/G711.h"
#include "media/codec/OpusCodec.h"

namespace codec = callgate::media::codec;
using namespace callgate::media::bridge;
using namespace callgate::media::bridge::test;

namespace {

constexpr uint32_t kSource = 0x0C0C0C0C;

// One 20 ms PCMU packet of a sine (frame index k).
std::vector<uint8_t> pcmuTone(double frequency, int k) {
  std::array<int16_t, codec::kFrameSamples8k> pcm{};
  fillSine(pcm, 1, 8000, frequency, 8000, static_cast<size_t>(k) * pcm.size());
  std::vector<uint8_t> out(pcm.size());
  codec::ulawEncode(pcm, out);
  return out;
}

// Feeds `frames` packets from A (skipping `lose`), ticking every 20 ms, and
// ticks once more so the last packet plays out.
template <typename MakePayload>
void feed(Call& c, uint8_t pt, uint32_t tsStep, int frames, MakePayload make, int lose = -1) {
  for (int k = 0; k < frames; ++k) {
    if (k != lose) {
      const auto payload = make(k);
      c.rtp(Side::A,
            makeRtp(pt, static_cast<uint16_t>(7000 + k),
                    12'345U + tsStep * static_cast<uint32_t>(k), kSource, payload, k == 0));
    }
    c.tick();
    c.now += 20'000;
  }
  c.tick();
}

// The fraction of energy at `frequency` in each 100 ms block after the
// first `skipBlocks`.
std::vector<double> blockFractions(const std::vector<int16_t>& pcm, double rate, double frequency,
                                   size_t skipBlocks) {
  const auto block = static_cast<size_t>(rate / 10);
  std::vector<double> out;
  for (size_t b = skipBlocks; (b + 1) * block <= pcm.size(); ++b) {
    out.push_back(toneEnergyFraction(std::span<const int16_t>(pcm.data() + b * block, block), rate,
                                     frequency));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bridge_transcoding)

BOOST_AUTO_TEST_CASE(pcmu_tone_reaches_opus_side_as_the_same_tone) {
  Call c(pcmu(), opus());
  BOOST_TEST(c.bridge->stats().transcoding);
  feed(c, 0, 160, 50, [](int k) { return pcmuTone(1000, k); });

  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 50U);
  BOOST_TEST(consecutive(out));
  BOOST_TEST(out[0].marker);
  std::string error;
  auto decoder = codec::OpusDecoder::create(48000, 1, &error);
  BOOST_REQUIRE(decoder);
  std::vector<int16_t> pcm;
  std::array<int16_t, 5760> frame{};
  for (size_t k = 0; k < out.size(); ++k) {
    BOOST_TEST(out[k].payloadType == 111);
    BOOST_TEST(out[k].ssrc == Call::kSsrcB);
    if (k > 0) BOOST_TEST(out[k].timestamp - out[k - 1].timestamp == 960U);
    const int n = decoder->decode(out[k].payload, frame);
    BOOST_REQUIRE(n == 960);
    pcm.insert(pcm.end(), frame.begin(), frame.begin() + n);
  }
  const auto fractions = blockFractions(pcm, 48000, 1000, 2);
  BOOST_REQUIRE(fractions.size() >= 7U);
  for (const double f : fractions) BOOST_TEST(f > 0.8);
  BOOST_TEST(rms(std::span<const int16_t>(pcm).subspan(pcm.size() / 2)) > 2000.0);
  BOOST_TEST(c.bridge->stats().transcodedFrames == 50U);
  BOOST_TEST(c.bridge->stats().concealedFrames == 0U);
}

BOOST_AUTO_TEST_CASE(opus_tone_reaches_pcma_side_as_the_same_tone) {
  Call c(opus(), pcma());
  std::string error;
  auto encoder = codec::OpusEncoder::create(48000, 1, 5, 32000, &error);
  BOOST_REQUIRE(encoder);
  feed(c, 111, 960, 50, [&](int k) {
    std::array<int16_t, codec::kFrameSamples48k> pcm{};
    fillSine(pcm, 1, 48000, 440, 8000, static_cast<size_t>(k) * pcm.size());
    std::array<uint8_t, 1500> packet{};
    const int bytes = encoder->encode(pcm, packet);
    return std::vector<uint8_t>(packet.begin(), packet.begin() + std::max(bytes, 0));
  });

  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 50U);
  BOOST_TEST(consecutive(out));
  std::vector<int16_t> pcm;
  for (size_t k = 0; k < out.size(); ++k) {
    BOOST_TEST(out[k].payloadType == 8);
    BOOST_TEST(out[k].payload.size() == 160U);
    if (k > 0) BOOST_TEST(out[k].timestamp - out[k - 1].timestamp == 160U);
    std::array<int16_t, 160> frame{};
    codec::alawDecode(out[k].payload, frame);
    pcm.insert(pcm.end(), frame.begin(), frame.end());
  }
  const auto fractions = blockFractions(pcm, 8000, 440, 2);
  BOOST_REQUIRE(fractions.size() >= 7U);
  for (const double f : fractions) BOOST_TEST(f > 0.8);
  BOOST_TEST(rms(std::span<const int16_t>(pcm).subspan(pcm.size() / 2)) > 2000.0);
}

BOOST_AUTO_TEST_CASE(pcmu_to_pcma_is_exact_transcoding) {
  // Both are 8 kHz: each sample goes µ-law → linear → A-law, nothing else.
  Call c(pcmu(), pcma());
  feed(c, 0, 160, 10, [](int k) { return pcmuTone(700, k); });
  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 10U);
  for (size_t k = 0; k < out.size(); ++k) {
    const auto in = pcmuTone(700, static_cast<int>(k));
    std::vector<uint8_t> expected(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      expected[i] = codec::linearToAlaw(codec::ulawToLinear(in[i]));
    }
    BOOST_TEST(out[k].payload == expected);
  }
}

BOOST_AUTO_TEST_CASE(one_lost_packet_gives_one_concealed_frame) {
  Call c(pcmu(), opus());
  feed(
      c, 0, 160, 40, [](int k) { return pcmuTone(1000, k); }, 20);
  const auto& out = c.b.rtp;
  BOOST_TEST(c.bridge->stats().concealedFrames == 1U);
  // The concealed frame is sent too: no gap in sequence or timeline.
  BOOST_REQUIRE_EQUAL(out.size(), 40U);
  BOOST_TEST(consecutive(out));
  for (size_t k = 1; k < out.size(); ++k) {
    BOOST_TEST(out[k].timestamp - out[k - 1].timestamp == 960U);
  }
  BOOST_TEST(c.bridge->stats().transcodedFrames == 40U);
}

BOOST_AUTO_TEST_CASE(g711_loss_is_concealed_by_fading_repeat) {
  Call c(pcma(), pcmu());
  feed(
      c, 8, 160, 12,
      [](int k) {
        std::array<int16_t, 160> pcm{};
        fillSine(pcm, 1, 8000, 500, 8000, static_cast<size_t>(k) * 160);
        std::vector<uint8_t> out(160);
        codec::alawEncode(pcm, out);
        return out;
      },
      6);
  const auto& out = c.b.rtp;
  BOOST_REQUIRE_EQUAL(out.size(), 12U);
  BOOST_TEST(c.bridge->stats().concealedFrames == 1U);
  std::array<int16_t, 160> previous{};
  std::array<int16_t, 160> concealed{};
  codec::ulawDecode(out[5].payload, previous);
  codec::ulawDecode(out[6].payload, concealed);
  // Half the last good frame, within G.711 quantisation.
  for (size_t i = 0; i < 160; ++i) {
    BOOST_TEST(std::abs(concealed[i] - previous[i] / 2) <= 300);
  }
}

BOOST_AUTO_TEST_CASE(nothing_is_sent_before_the_first_packet) {
  Call c(pcmu(), opus());
  for (int k = 0; k < 20; ++k) {
    c.tick();
    c.now += 20'000;
  }
  BOOST_TEST(c.b.rtp.empty());
  BOOST_TEST(c.a.rtp.empty());
}

BOOST_AUTO_TEST_CASE(late_ticks_catch_up_at_most_three_frames) {
  Call c(pcmu(), pcma());
  // Packets every 20 ms, ticks only every 60 ms: each tick plays three.
  for (int k = 0; k < 30; ++k) {
    c.rtp(Side::A, makeRtp(0, static_cast<uint16_t>(k), 160U * static_cast<uint32_t>(k), kSource,
                           pcmuTone(1000, k)));
    if (k % 3 == 2) c.tick();
    c.now += 20'000;
  }
  const size_t regular = c.b.rtp.size();
  BOOST_TEST(regular >= 25U);
  BOOST_TEST(consecutive(c.b.rtp));
  for (size_t k = 1; k < regular; ++k) {
    BOOST_TEST(c.b.rtp[k].timestamp - c.b.rtp[k - 1].timestamp == 160U);
  }
  // A stall of 200 ms: at most three frames come out of one tick, and the
  // timeline still moves by the whole stall.
  const uint32_t lastTs = c.b.rtp.back().timestamp;
  c.now += 200'000;
  c.tick();
  BOOST_TEST(c.b.rtp.size() - regular <= 3U);
  if (c.b.rtp.size() > regular) {
    BOOST_TEST(c.b.rtp.back().timestamp - lastTs >= 160U * 10);
  }
}

BOOST_AUTO_TEST_SUITE_END()
