#include <boost/test/unit_test.hpp>

#include "net/WebSocket.h"

using namespace callgate::net::ws;
using Kind = FrameDecoder::Event::Kind;

namespace {
const std::string kHandshake =
    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Protocol: sip\r\nOrigin: https://shop.example\r\n\r\n";
}

BOOST_AUTO_TEST_SUITE(websocket)

// RFC 6455 §1.3.
BOOST_AUTO_TEST_CASE(accept_key_example) {
  BOOST_TEST(acceptKeyFor("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

BOOST_AUTO_TEST_CASE(handshake_accepted_after_split_arrival) {
  BOOST_TEST((acceptHandshake(kHandshake.substr(0, 40), "sip", 8192).status ==
              HandshakeResult::Status::Incomplete));
  const auto r = acceptHandshake(kHandshake + "extra", "sip", 8192);
  BOOST_REQUIRE((r.status == HandshakeResult::Status::Accepted));
  BOOST_TEST(r.consumed == kHandshake.size());
  BOOST_TEST(r.origin == "https://shop.example");
  BOOST_TEST(r.response.find("Sec-WebSocket-Protocol: sip\r\n") != std::string::npos);
  BOOST_TEST(r.response.find("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(handshake_rejections) {
  auto noSip = kHandshake;
  noSip.replace(noSip.find("Protocol: sip"), 13, "Protocol: xmpp");
  BOOST_TEST(acceptHandshake(noSip, "sip", 8192).response.starts_with("HTTP/1.1 400"));
  auto v8 = kHandshake;
  v8.replace(v8.find("Version: 13"), 11, "Version: 8");
  BOOST_TEST(acceptHandshake(v8, "sip", 8192).response.starts_with("HTTP/1.1 426"));
  BOOST_TEST((acceptHandshake(std::string(9000, 'a'), "sip", 8192).status ==
              HandshakeResult::Status::Rejected));
}

BOOST_AUTO_TEST_CASE(masked_text_frame_byte_by_byte) {
  // RFC 6455 §5.7: a masked "Hello".
  const std::string frame = encodeMaskedFrame(Opcode::Text, "Hello", 0x37fa213d);
  BOOST_TEST(frame == std::string("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11));
  FrameDecoder d(1024);
  for (size_t i = 0; i + 1 < frame.size(); ++i) {
    d.feed(frame.substr(i, 1));
    BOOST_TEST((d.next().kind == Kind::NeedMore));
  }
  d.feed(frame.substr(frame.size() - 1));
  const auto e = d.next();
  BOOST_TEST((e.kind == Kind::Message));
  BOOST_TEST(e.payload == "Hello");
}

BOOST_AUTO_TEST_CASE(fragments_with_interleaved_ping) {
  FrameDecoder d(1024);
  std::string first = encodeMaskedFrame(Opcode::Text, "Hel", 1);
  first[0] = static_cast<char>(0x01);  // FIN clear
  d.feed(first + encodeMaskedFrame(Opcode::Ping, "p", 2) +
         encodeMaskedFrame(Opcode::Continuation, "lo", 3));
  BOOST_TEST((d.next().kind == Kind::Ping));
  const auto e = d.next();
  BOOST_TEST((e.kind == Kind::Message));
  BOOST_TEST(e.payload == "Hello");
}

BOOST_AUTO_TEST_CASE(protocol_errors) {
  auto expectError = [](const std::string& bytes, uint16_t code, size_t max = 1024) {
    FrameDecoder d(max);
    d.feed(bytes);
    const auto e = d.next();
    BOOST_TEST((e.kind == Kind::Error));
    BOOST_TEST(e.closeCode == code);
  };
  expectError(encodeFrame(Opcode::Text, "unmasked"), 1002);
  std::string rsv = encodeMaskedFrame(Opcode::Text, "x", 1);
  rsv[0] = static_cast<char>(rsv[0] | 0x40);
  expectError(rsv, 1002);
  expectError(encodeMaskedFrame(Opcode::Continuation, "x", 1), 1002);
  expectError(encodeMaskedFrame(Opcode::Text, std::string(2000, 'a'), 1), 1009);
  expectError(encodeMaskedFrame(Opcode::Text, "\xff\xfe", 1), 1007);
  expectError(encodeMaskedFrame(Opcode::Ping, std::string(126, 'a'), 1), 1002);
  std::string unknown = encodeMaskedFrame(Opcode::Text, "x", 1);
  unknown[0] = static_cast<char>(0x83);
  expectError(unknown, 1002);
}

BOOST_AUTO_TEST_CASE(close_frame_code) {
  FrameDecoder d(1024);
  d.feed(encodeMaskedFrame(Opcode::Close, std::string("\x03\xe8", 2) + "bye", 5));
  const auto e = d.next();
  BOOST_TEST((e.kind == Kind::Close));
  BOOST_TEST(e.closeCode == 1000);
}

BOOST_AUTO_TEST_SUITE_END()
