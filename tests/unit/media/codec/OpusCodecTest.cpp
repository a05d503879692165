#include <array>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "media/codec/AudioFrame.h"
#include "media/codec/OpusCodec.h"
#include "support/ToneAnalysis.h"

// ::OpusEncoder is libopus's handle, so the wrappers are named through the
// namespace.
namespace codec = callgate::media::codec;
using callgate::test::fillSine;
using callgate::test::rms;
using callgate::test::toneEnergyFraction;
using codec::downmixStereoToMono;
using codec::kFrameSamples16k;
using codec::kFrameSamples48k;
using codec::kFrameSamples8k;
using codec::kMaxFrameSamples;

namespace {

// Encodes `frames` 20 ms frames of a sine at the encoder's rate and decodes
// every packet with `decoder`; returns the decoded mono/stereo PCM.
std::vector<int16_t> encodeDecodeTone(codec::OpusEncoder& encoder, codec::OpusDecoder& decoder,
                                      double frequency, int frames) {
  std::vector<int16_t> decoded;
  std::array<int16_t, kMaxFrameSamples> pcm{};
  std::array<uint8_t, 1500> packet{};
  std::array<int16_t, 5760 * 2> out{};
  const size_t frameSamples = encoder.frameSamples();
  for (int f = 0; f < frames; ++f) {
    const std::span<int16_t> frame(pcm.data(),
                                   frameSamples * static_cast<size_t>(encoder.channels()));
    fillSine(frame, encoder.channels(), encoder.sampleRate(), frequency, 8000.0,
             static_cast<size_t>(f) * frameSamples);
    const int bytes = encoder.encode(frame, packet);
    BOOST_REQUIRE(bytes > 0);
    const int n =
        decoder.decode(std::span<const uint8_t>(packet.data(), static_cast<size_t>(bytes)), out);
    BOOST_REQUIRE(n > 0);
    decoded.insert(decoded.end(), out.begin(), out.begin() + n * decoder.channels());
  }
  return decoded;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(opus_codec)

BOOST_AUTO_TEST_CASE(create_validates_parameters) {
  std::string error;
  BOOST_TEST(!codec::OpusEncoder::create(44100, 1, 5, 32000, &error));
  BOOST_TEST(!error.empty());
  error.clear();
  BOOST_TEST(!codec::OpusEncoder::create(48000, 3, 5, 32000, &error));
  BOOST_TEST(!error.empty());
  BOOST_TEST(!codec::OpusEncoder::create(48000, 2, 11, 32000, &error));
  BOOST_TEST(!codec::OpusEncoder::create(48000, 2, 5, 1000, &error));
  BOOST_TEST(!codec::OpusDecoder::create(22050, 1, &error));
  BOOST_TEST(!codec::OpusDecoder::create(8000, 0, &error));
  auto encoder = codec::OpusEncoder::create(8000, 1, 0, 6000, &error);
  BOOST_REQUIRE(encoder);
  BOOST_TEST(encoder->frameSamples() == kFrameSamples8k);
  BOOST_TEST(encoder->setInbandFec(true));
  BOOST_TEST(encoder->setPacketLossPercent(10));
  BOOST_TEST(!encoder->setPacketLossPercent(101));
  BOOST_TEST(encoder->setDtx(true));
  BOOST_TEST(!encoder->setBitrate(5));
}

BOOST_AUTO_TEST_CASE(stereo_48k_decodes_to_8k_mono_tone) {
  std::string error;
  auto encoder = codec::OpusEncoder::create(48000, 2, 5, 64000, &error);
  BOOST_REQUIRE_MESSAGE(encoder, error);
  auto decoder = codec::OpusDecoder::create(8000, 1, &error);
  BOOST_REQUIRE_MESSAGE(decoder, error);
  const auto pcm = encodeDecodeTone(*encoder, *decoder, 1000.0, 50);
  BOOST_REQUIRE(pcm.size() == 50 * kFrameSamples8k);
  // Skip the codec's start-up; judge the last 500 ms in 100 ms blocks.
  for (size_t start = 4000; start + 800 <= pcm.size(); start += 800) {
    const std::span<const int16_t> block(pcm.data() + start, 800);
    BOOST_TEST(rms(block) > 3000.0);
    BOOST_TEST(toneEnergyFraction(block, 8000, 1000) > 0.9);
    BOOST_TEST(toneEnergyFraction(block, 8000, 440) < 0.01);
  }
}

BOOST_AUTO_TEST_CASE(narrowband_8k_decodes_to_48k_tone) {
  std::string error;
  auto encoder = codec::OpusEncoder::create(8000, 1, 5, 16000, &error);
  BOOST_REQUIRE_MESSAGE(encoder, error);
  auto decoder = codec::OpusDecoder::create(48000, 2, &error);
  BOOST_REQUIRE_MESSAGE(decoder, error);
  auto pcm = encodeDecodeTone(*encoder, *decoder, 440.0, 50);
  BOOST_REQUIRE(pcm.size() == 50 * kFrameSamples48k * 2);
  const size_t mono = downmixStereoToMono(pcm);
  for (size_t start = 24000; start + 4800 <= mono; start += 4800) {
    const std::span<const int16_t> block(pcm.data() + start, 4800);
    BOOST_TEST(rms(block) > 3000.0);
    BOOST_TEST(toneEnergyFraction(block, 48000, 440) > 0.9);
    BOOST_TEST(toneEnergyFraction(block, 48000, 1000) < 0.01);
  }
}

BOOST_AUTO_TEST_CASE(loss_concealment_and_fec) {
  std::string error;
  auto encoder = codec::OpusEncoder::create(16000, 1, 5, 24000, &error);
  BOOST_REQUIRE(encoder);
  BOOST_TEST(encoder->setInbandFec(true));
  BOOST_TEST(encoder->setPacketLossPercent(20));
  auto decoder = codec::OpusDecoder::create(16000, 1, &error);
  BOOST_REQUIRE(decoder);

  std::array<int16_t, kFrameSamples16k> pcm{};
  std::array<int16_t, 5760> out{};
  std::vector<std::vector<uint8_t>> packets;
  for (int f = 0; f < 40; ++f) {
    fillSine(pcm, 1, 16000, 440.0, 8000.0, static_cast<size_t>(f) * kFrameSamples16k);
    std::array<uint8_t, 1500> packet{};
    const int bytes = encoder->encode(pcm, packet);
    BOOST_REQUIRE(bytes > 0);
    packets.emplace_back(packet.begin(), packet.begin() + bytes);
  }
  for (int f = 0; f < 30; ++f)
    BOOST_REQUIRE(decoder->decode(packets[static_cast<size_t>(f)], out) == 320);

  // Packet 30 is lost: recover it from the FEC copy inside packet 31.
  BOOST_TEST(decoder->decodeFec(packets[31], 320, out) == 320);
  const std::span<const int16_t> recovered(out.data(), 320);
  BOOST_TEST(rms(recovered) > 1000.0);
  BOOST_TEST(toneEnergyFraction(recovered, 16000, 440) > 0.5);
  BOOST_TEST(decoder->decode(packets[31], out) == 320);

  // Packet 32 is lost with no FEC to hand: concealment still yields a frame.
  BOOST_TEST(decoder->decodeLost(320, out) == 320);
  BOOST_TEST(rms(std::span<const int16_t>(out.data(), 320)) > 100.0);
  BOOST_TEST(decoder->decode(packets[33], out) == 320);

  // Concealment sizes must be whole 2.5 ms units that fit the output.
  BOOST_TEST(decoder->decodeLost(100, out) == -1);
  BOOST_TEST(decoder->decodeLost(0, out) == -1);
  std::array<int16_t, 100> small{};
  BOOST_TEST(decoder->decodeLost(320, small) == -1);
  BOOST_TEST(decoder->decodeFec({}, 320, out) == -1);
}

BOOST_AUTO_TEST_CASE(bad_input_returns_minus_one) {
  std::string error;
  auto decoder = codec::OpusDecoder::create(8000, 1, &error);
  BOOST_REQUIRE(decoder);
  std::array<int16_t, 5760> out{};
  BOOST_TEST(decoder->decode({}, out) == -1);
  // Code 3 (RFC 6716 §3.2.5) announcing 63 frames of 20 ms: over 120 ms.
  const std::array<uint8_t, 2> tooLong{0xFF, 0x3F};
  BOOST_TEST(decoder->decode(tooLong, out) == -1);
  // Code 3 with no frame-count byte.
  const std::array<uint8_t, 1> truncated{0x03};
  BOOST_TEST(decoder->decode(truncated, out) == -1);
  // Code 2 whose first frame length runs past the end of the packet.
  const std::array<uint8_t, 3> badLength{0x02, 0xFB, 0x00};
  BOOST_TEST(decoder->decode(badLength, out) == -1);
  // A valid 20 ms packet into an output too small for it.
  auto encoder = codec::OpusEncoder::create(8000, 1, 5, 16000, &error);
  BOOST_REQUIRE(encoder);
  std::array<int16_t, kFrameSamples8k> pcm{};
  std::array<uint8_t, 200> packet{};
  const int bytes = encoder->encode(pcm, packet);
  BOOST_REQUIRE(bytes > 0);
  std::array<int16_t, 80> small{};
  BOOST_TEST(decoder->decode(std::span<const uint8_t>(packet.data(), static_cast<size_t>(bytes)),
                             small) == -1);
  // Encoder: a frame that is not 20 ms, and no room for the packet.
  std::array<int16_t, 100> shortFrame{};
  BOOST_TEST(encoder->encode(shortFrame, packet) == -1);
  BOOST_TEST(encoder->encode(pcm, std::span<uint8_t>()) == -1);
}

BOOST_AUTO_TEST_SUITE_END()
