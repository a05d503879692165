#include <array>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "../rtp/HexBytes.h"
#include "media/stun/Crc32.h"
#include "media/stun/StunMessage.h"

using namespace callgate::media::stun;
using callgate::media::test::hexBytes;
using callgate::net::SocketAddress;

namespace {

constexpr TransactionId kTid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

std::span<const uint8_t> asBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(stun_message)

BOOST_AUTO_TEST_CASE(crc32_check_value) {
  // The standard check value of CRC-32/ISO-HDLC.
  BOOST_TEST(crc32(asBytes("123456789")) == 0xCBF43926U);
  BOOST_TEST(crc32({}) == 0U);
}

BOOST_AUTO_TEST_CASE(ice_check_round_trip) {
  std::array<uint8_t, 200> buffer{};
  StunWriter w(buffer);
  BOOST_TEST(w.begin(StunMethod::kBinding, StunClass::Request, kTid));
  BOOST_TEST(w.addUsername("remote:local"));
  BOOST_TEST(w.addPriority(1845501695));
  BOOST_TEST(w.addIceControlling(0x0102030405060708ULL));
  BOOST_TEST(w.addUseCandidate());
  BOOST_TEST(w.addMessageIntegrity("secret-password"));
  BOOST_TEST(w.addFingerprint());
  // 20 header + 16 username + 8 + 12 + 4 + 24 + 8
  BOOST_TEST(w.size() == 92U);

  const auto m = StunMessage::parse(w.bytes());
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST((m->messageClass() == StunClass::Request));
  BOOST_TEST(m->method() == StunMethod::kBinding);
  BOOST_TEST(m->transactionId()[11] == 12);
  BOOST_TEST(m->username().value() == "remote:local");
  BOOST_TEST(m->priority().value() == 1845501695U);
  BOOST_TEST(m->iceControlling().value() == 0x0102030405060708ULL);
  BOOST_TEST(!m->iceControlled().has_value());
  BOOST_TEST(m->useCandidate());
  BOOST_TEST(m->verifyMessageIntegrity("secret-password"));
  BOOST_TEST(!m->verifyMessageIntegrity("secret-passwore"));
  BOOST_TEST(m->verifyFingerprint());
}

BOOST_AUTO_TEST_CASE(error_response_round_trip) {
  std::array<uint8_t, 200> buffer{};
  StunWriter w(buffer);
  BOOST_TEST(w.begin(StunMethod::kBinding, StunClass::Error, kTid));
  BOOST_TEST(w.addErrorCode(487, "Role Conflict"));
  BOOST_TEST(w.addFingerprint());
  const auto m = StunMessage::parse(w.bytes());
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST((m->messageClass() == StunClass::Error));
  BOOST_TEST(m->method() == StunMethod::kBinding);
  BOOST_TEST(((w.bytes()[0] << 8) | w.bytes()[1]) == 0x0111);
  const auto error = m->errorCode();
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(error->code == 487);
  BOOST_TEST(error->reason == "Role Conflict");
  BOOST_TEST(!m->hasMessageIntegrity());
  BOOST_TEST(!m->verifyMessageIntegrity("x"));
  BOOST_TEST(m->verifyFingerprint());

  BOOST_TEST(!w.addErrorCode(299, "x"));
  BOOST_TEST(!w.addErrorCode(700, "x"));
}

BOOST_AUTO_TEST_CASE(message_types_interleave_class_bits) {
  std::array<uint8_t, 20> buffer{};
  StunWriter w(buffer);
  const std::pair<StunClass, uint16_t> cases[] = {{StunClass::Request, 0x0001},
                                                  {StunClass::Indication, 0x0011},
                                                  {StunClass::Success, 0x0101},
                                                  {StunClass::Error, 0x0111}};
  for (const auto& [cls, type] : cases) {
    BOOST_TEST(w.begin(StunMethod::kBinding, cls, kTid));
    BOOST_TEST(((buffer[0] << 8) | buffer[1]) == type);
    const auto m = StunMessage::parse(w.bytes());
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST((m->messageClass() == cls));
  }
  // A method using every bit: 0xfff with the class bits interleaved.
  BOOST_TEST(w.begin(0x0fff, StunClass::Success, kTid));
  BOOST_TEST(((buffer[0] << 8) | buffer[1]) == 0x3fef);
  BOOST_TEST(StunMessage::parse(w.bytes())->method() == 0x0fff);
  BOOST_TEST(!w.begin(0x1000, StunClass::Request, kTid));
}

BOOST_AUTO_TEST_CASE(writer_refuses_what_does_not_fit) {
  std::array<uint8_t, 32> buffer{};
  StunWriter w(buffer);
  BOOST_TEST(!w.addUsername("a"));  // before begin()
  BOOST_TEST(w.begin(StunMethod::kBinding, StunClass::Request, kTid));
  BOOST_TEST(w.addUsername("12345678"));  // 12 bytes: 32 used
  BOOST_TEST(w.size() == 32U);
  BOOST_TEST(!w.addUseCandidate());
  BOOST_TEST(!w.addFingerprint());
  BOOST_TEST(w.size() == 32U);
  const auto m = StunMessage::parse(w.bytes());
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->username().value() == "12345678");
  std::array<uint8_t, 19> tiny{};
  StunWriter t(tiny);
  BOOST_TEST(!t.begin(StunMethod::kBinding, StunClass::Request, kTid));
}

BOOST_AUTO_TEST_CASE(writer_keeps_integrity_and_fingerprint_last) {
  std::array<uint8_t, 200> buffer{};
  StunWriter w(buffer);
  BOOST_TEST(w.begin(StunMethod::kBinding, StunClass::Request, kTid));
  BOOST_TEST(w.addMessageIntegrity("k"));
  BOOST_TEST(!w.addPriority(1));
  BOOST_TEST(!w.addMessageIntegrity("k"));
  BOOST_TEST(w.addFingerprint());
  BOOST_TEST(!w.addFingerprint());
  BOOST_TEST(!w.addUseCandidate());
  BOOST_TEST(w.size() == 20U + 24 + 8);
  const auto m = StunMessage::parse(w.bytes());
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->verifyMessageIntegrity("k"));
  BOOST_TEST(m->verifyFingerprint());
}

BOOST_AUTO_TEST_CASE(empty_key_is_a_key) {
  std::array<uint8_t, 100> buffer{};
  StunWriter w(buffer);
  BOOST_TEST(w.begin(StunMethod::kBinding, StunClass::Request, kTid));
  BOOST_TEST(w.addMessageIntegrity(std::string_view()));
  const auto m = StunMessage::parse(w.bytes());
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->verifyMessageIntegrity(""));
  // A previous, different key must not linger in the MAC context.
  BOOST_TEST(!m->verifyMessageIntegrity("other"));
  BOOST_TEST(m->verifyMessageIntegrity(std::string_view()));
}

BOOST_AUTO_TEST_CASE(attributes_after_integrity_are_ignored) {
  // USERNAME after MESSAGE-INTEGRITY is not covered by it (RFC 8489 §14.5).
  std::array<uint8_t, 100> buffer{};
  StunWriter w(buffer);
  BOOST_TEST(w.begin(StunMethod::kBinding, StunClass::Request, kTid));
  BOOST_TEST(w.addPriority(5));
  BOOST_TEST(w.addMessageIntegrity("k"));
  std::vector<uint8_t> bytes(w.bytes().begin(), w.bytes().end());
  const auto extra = hexBytes("00 06 00 04 61 62 63 64");
  bytes.insert(bytes.end(), extra.begin(), extra.end());
  bytes[3] = static_cast<uint8_t>(bytes.size() - 20);
  const auto m = StunMessage::parse(bytes);
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->priority().value() == 5U);
  BOOST_TEST(!m->username().has_value());
  size_t seen = 0;
  for (const StunAttribute a : *m) seen += a.type == StunAttr::kUsername ? 1 : 0;
  BOOST_TEST(seen == 1U);  // iteration still shows it
  BOOST_TEST(m->verifyMessageIntegrity("k"));
}

BOOST_AUTO_TEST_CASE(rejects_malformed_messages) {
  const char* bad[] = {
      "",
      "00 01 00 00 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b",           // 19 bytes
      "40 01 00 00 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c",        // top bits
      "00 01 00 00 21 12 a4 43 01 02 03 04 05 06 07 08 09 0a 0b 0c",        // cookie
      "00 01 00 04 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c",        // length > data
      "00 01 00 02 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 00",  // not multiple of 4
      // attribute value past the end
      "00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 06 00 05 61 62 63 64",
      // MESSAGE-INTEGRITY of the wrong size
      "00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 08 00 04 00 00 00 00",
      // FINGERPRINT not last
      ("00 01 00 10 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 80 28 00 04 00 00 00 00"
       " 00 25 00 00 00 25 00 00"),
      // FINGERPRINT of the wrong size
      "00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 80 28 00 02 00 00 00 00",
  };
  for (const char* text : bad) {
    const auto bytes = hexBytes(text);
    BOOST_TEST(!StunMessage::parse(bytes).has_value(), text);
  }
  BOOST_TEST(
      !looksLikeStun(hexBytes("00 01 00 00 21 12 a4 43 01 02 03 04 05 06 07 08 09 0a 0b 0c")));
}

BOOST_AUTO_TEST_CASE(malformed_attribute_values_read_as_absent) {
  // PRIORITY of 2 bytes, ICE-CONTROLLING of 4, XOR-MAPPED-ADDRESS family 3,
  // ERROR-CODE class 7: the message parses, the getters decline.
  const auto bytes = hexBytes(
      "00 01 00 28 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c"
      "00 24 00 02 00 01 00 00"
      "80 2a 00 04 00 00 00 01"
      "00 20 00 08 00 03 a1 47 e1 12 a6 43"
      "00 09 00 04 00 00 07 01"
      "00 06 00 00");
  const auto m = StunMessage::parse(bytes);
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(!m->priority().has_value());
  BOOST_TEST(!m->iceControlling().has_value());
  BOOST_TEST(!m->xorMappedAddress().has_value());
  BOOST_TEST(!m->errorCode().has_value());
  BOOST_TEST(m->username().value().empty());
  BOOST_TEST(!m->hasFingerprint());
  BOOST_TEST(!m->verifyFingerprint());
}

BOOST_AUTO_TEST_SUITE_END()
