#include <array>
#include <boost/test/unit_test.hpp>
#include <vector>

#include "media/rtc/SrtpSession.h"

using namespace callgate::media::rtc;

namespace {

SrtpKeys keysFor(SrtpProfile profile, uint8_t seed) {
  SrtpKeys k;
  k.profile = profile;
  for (size_t i = 0; i < k.local.size(); ++i) {
    k.local[i] = static_cast<uint8_t>(seed + i);
    k.remote[i] = static_cast<uint8_t>(seed * 3 + i * 7);
  }
  return k;
}

SrtpKeys mirrored(SrtpKeys k) {
  std::swap(k.local, k.remote);
  return k;
}

// A minimal RTP packet: V=2, PT 111, the given sequence, 160 payload bytes.
struct Packet {
  std::array<uint8_t, 1500> bytes{};
  size_t length = 0;
};

Packet rtp(uint16_t seq, uint32_t ssrc = 0x11223344) {
  Packet p;
  p.bytes[0] = 0x80;
  p.bytes[1] = 111;
  p.bytes[2] = static_cast<uint8_t>(seq >> 8);
  p.bytes[3] = static_cast<uint8_t>(seq);
  p.bytes[4] = 0;
  p.bytes[5] = 0;
  p.bytes[6] = static_cast<uint8_t>(seq >> 8);
  p.bytes[7] = static_cast<uint8_t>(seq);
  for (int i = 0; i < 4; ++i) p.bytes[8 + i] = static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (size_t i = 12; i < 172; ++i) p.bytes[i] = static_cast<uint8_t>(i * 13);
  p.length = 172;
  return p;
}

Packet rtcpReceiverReport() {
  Packet p;
  const uint8_t rr[] = {0x80, 201, 0, 1, 0xAA, 0xBB, 0xCC, 0xDD};
  std::copy(std::begin(rr), std::end(rr), p.bytes.begin());
  p.length = sizeof rr;
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(srtp_session)

BOOST_AUTO_TEST_CASE(protected_rtp_round_trips_for_both_profiles) {
  for (auto profile : {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AeadAes128Gcm}) {
    const auto keys = keysFor(profile, 7);
    std::string error;
    auto sender = SrtpSession::create(keys, &error);
    auto receiver = SrtpSession::create(mirrored(keys), &error);
    BOOST_TEST_INFO(error);
    BOOST_TEST_REQUIRE(sender != nullptr);
    BOOST_TEST_REQUIRE(receiver != nullptr);
    auto original = rtp(1000);
    auto packet = original;
    BOOST_TEST((sender->protectRtp(packet.bytes.data(), packet.length, packet.bytes.size()) ==
                SrtpResult::Ok));
    // An authentication tag was added and the payload is no longer clear text.
    BOOST_TEST(packet.length ==
               original.length + 10 + (profile == SrtpProfile::AeadAes128Gcm ? 6 : 0));
    BOOST_TEST(!std::equal(packet.bytes.begin() + 12, packet.bytes.begin() + 172,
                           original.bytes.begin() + 12));
    BOOST_TEST((receiver->unprotectRtp(packet.bytes.data(), packet.length) == SrtpResult::Ok));
    BOOST_TEST(packet.length == original.length);
    BOOST_TEST(
        std::equal(packet.bytes.begin(), packet.bytes.begin() + 172, original.bytes.begin()));
  }
}

BOOST_AUTO_TEST_CASE(tampered_packets_fail_authentication) {
  const auto keys = keysFor(SrtpProfile::AesCm128HmacSha1_80, 1);
  std::string error;
  auto sender = SrtpSession::create(keys, &error);
  auto receiver = SrtpSession::create(mirrored(keys), &error);
  auto packet = rtp(5);
  sender->protectRtp(packet.bytes.data(), packet.length, packet.bytes.size());
  packet.bytes[40] ^= 1;
  BOOST_TEST((receiver->unprotectRtp(packet.bytes.data(), packet.length) ==
              SrtpResult::AuthenticationFailed));
  // A packet protected with other keys fails too.
  auto stranger = SrtpSession::create(keysFor(SrtpProfile::AesCm128HmacSha1_80, 99), &error);
  auto other = rtp(6);
  stranger->protectRtp(other.bytes.data(), other.length, other.bytes.size());
  BOOST_TEST((receiver->unprotectRtp(other.bytes.data(), other.length) ==
              SrtpResult::AuthenticationFailed));
}

BOOST_AUTO_TEST_CASE(replayed_packets_are_refused) {
  const auto keys = keysFor(SrtpProfile::AeadAes128Gcm, 3);
  std::string error;
  auto sender = SrtpSession::create(keys, &error);
  auto receiver = SrtpSession::create(mirrored(keys), &error);
  auto packet = rtp(77);
  sender->protectRtp(packet.bytes.data(), packet.length, packet.bytes.size());
  auto copy = packet;
  BOOST_TEST((receiver->unprotectRtp(packet.bytes.data(), packet.length) == SrtpResult::Ok));
  BOOST_TEST((receiver->unprotectRtp(copy.bytes.data(), copy.length) == SrtpResult::Replay));
}

BOOST_AUTO_TEST_CASE(sequence_wrap_keeps_the_rollover_counter_in_step) {
  // Across 65535 → 0 the ROC advances on both sides (RFC 3711 §3.3.1).
  const auto keys = keysFor(SrtpProfile::AesCm128HmacSha1_80, 5);
  std::string error;
  auto sender = SrtpSession::create(keys, &error);
  auto receiver = SrtpSession::create(mirrored(keys), &error);
  for (uint32_t i = 65530; i < 65545; ++i) {
    auto packet = rtp(static_cast<uint16_t>(i));
    BOOST_TEST_REQUIRE((sender->protectRtp(packet.bytes.data(), packet.length,
                                           packet.bytes.size()) == SrtpResult::Ok));
    BOOST_TEST_REQUIRE(
        (receiver->unprotectRtp(packet.bytes.data(), packet.length) == SrtpResult::Ok));
  }
}

BOOST_AUTO_TEST_CASE(rtcp_round_trips_and_needs_room_for_the_trailer) {
  const auto keys = keysFor(SrtpProfile::AesCm128HmacSha1_80, 9);
  std::string error;
  auto sender = SrtpSession::create(keys, &error);
  auto receiver = SrtpSession::create(mirrored(keys), &error);
  auto packet = rtcpReceiverReport();
  size_t tight = packet.length;
  BOOST_TEST((sender->protectRtcp(packet.bytes.data(), tight, packet.length + 4) ==
              SrtpResult::Malformed));
  BOOST_TEST((sender->protectRtcp(packet.bytes.data(), packet.length, packet.bytes.size()) ==
              SrtpResult::Ok));
  BOOST_TEST(packet.length == 8u + 4 + 10);  // SRTCP index and a 80-bit tag
  BOOST_TEST((receiver->unprotectRtcp(packet.bytes.data(), packet.length) == SrtpResult::Ok));
  BOOST_TEST(packet.length == 8u);
  BOOST_TEST(packet.bytes[4] == 0xAA);
}

BOOST_AUTO_TEST_CASE(truncated_packets_are_refused) {
  const auto keys = keysFor(SrtpProfile::AesCm128HmacSha1_80, 2);
  std::string error;
  auto receiver = SrtpSession::create(mirrored(keys), &error);
  uint8_t shortPacket[6] = {0x80, 0, 0, 1, 0, 0};
  size_t length = sizeof shortPacket;
  BOOST_TEST((receiver->unprotectRtp(shortPacket, length) != SrtpResult::Ok));
}

BOOST_AUTO_TEST_SUITE_END()

#include "media/rtc/SdesKeys.h"

BOOST_AUTO_TEST_SUITE(sdes_keys)

BOOST_AUTO_TEST_CASE(generated_keys_parse_back_at_the_suite_length) {
  for (auto profile : {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AeadAes128Gcm}) {
    const auto key = generateSdesKey(profile);
    BOOST_TEST(key.size() == 40u);  // 30 or 28 bytes in base64
    BOOST_TEST(parseSdesKey("inline:" + key, profile).has_value());
    BOOST_TEST(generateSdesKey(profile) != key);
  }
}

BOOST_AUTO_TEST_CASE(rfc4568_example_key_parses) {
  // RFC 4568 §4's example key with a lifetime.
  const auto key = parseSdesKey("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20",
                                SrtpProfile::AesCm128HmacSha1_80);
  BOOST_TEST_REQUIRE(key.has_value());
  BOOST_TEST((*key)[0] == 0x3D);  // 'P','S' → 0x3D 0x2D
  BOOST_TEST((*key)[1] == 0x2D);
  BOOST_TEST(!parseSdesKey("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4",
                           SrtpProfile::AesCm128HmacSha1_80)
                  .has_value());  // MKI
  BOOST_TEST(!parseSdesKey("inline:c2hvcnQ=", SrtpProfile::AesCm128HmacSha1_80).has_value());
  BOOST_TEST(
      !parseSdesKey("PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", SrtpProfile::AesCm128HmacSha1_80)
           .has_value());
  BOOST_TEST(!sdesSuiteProfile("AES_CM_128_HMAC_SHA1_32").has_value());
}

BOOST_AUTO_TEST_CASE(sdes_keys_protect_between_two_ends) {
  const auto profile = SrtpProfile::AesCm128HmacSha1_80;
  const auto ours = generateSdesKey(profile);
  const auto theirs = generateSdesKey(profile);
  const auto a = sdesKeys(profile, ours, "inline:" + theirs);
  const auto b = sdesKeys(profile, theirs, "inline:" + ours);
  BOOST_TEST_REQUIRE(a.has_value());
  BOOST_TEST_REQUIRE(b.has_value());
  std::string error;
  auto sa = SrtpSession::create(*a, &error);
  auto sb = SrtpSession::create(*b, &error);
  auto packet = rtp(9);
  BOOST_TEST(
      (sa->protectRtp(packet.bytes.data(), packet.length, packet.bytes.size()) == SrtpResult::Ok));
  BOOST_TEST((sb->unprotectRtp(packet.bytes.data(), packet.length) == SrtpResult::Ok));
}

BOOST_AUTO_TEST_SUITE_END()
