#pragma once
// WebSocket (RFC 6455) for SIP over WebSocket (RFC 7118): the server side of
// the opening handshake and a frame decoder that checks every rule before it
// buffers a byte. Wire input never throws.

#include <cstdint>
#include <string>
#include <string_view>

namespace callgate::net::ws {

struct HandshakeResult {
  enum class Status { Incomplete, Accepted, Rejected };
  Status status = Status::Incomplete;
  size_t consumed = 0;   // bytes of the request (Accepted)
  std::string response;  // full HTTP response to send: 101, or 4xx when Rejected
  std::string path;
  std::string origin;
  std::string error;
};

// Parses an HTTP/1.1 Upgrade request at the start of `buffered`. The client
// must offer `requiredProtocol` in Sec-WebSocket-Protocol (RFC 7118 §4.1).
HandshakeResult acceptHandshake(std::string_view buffered, std::string_view requiredProtocol,
                                size_t maxBytes);
// base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2).
std::string acceptKeyFor(std::string_view clientKey);

enum class Opcode : uint8_t {
  Continuation = 0,
  Text = 1,
  Binary = 2,
  Close = 8,
  Ping = 9,
  Pong = 10
};

class FrameDecoder {
 public:
  explicit FrameDecoder(size_t maxMessageBytes) : maxMessageBytes_(maxMessageBytes) {}

  struct Event {
    enum class Kind { NeedMore, Message, Ping, Pong, Close, Error };
    Kind kind = Kind::NeedMore;
    Opcode opcode = Opcode::Text;
    std::string payload;
    uint16_t closeCode = 0;  // Close: the peer's code; Error: the code to close with
    std::string error;
  };

  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // Call until NeedMore. After Error, close the connection with closeCode.
  Event next();
  size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  size_t maxMessageBytes_;
  std::string buffer_;
  size_t consumed_ = 0;
  std::string message_;  // fragments so far
  bool inMessage_ = false;
  Opcode messageOpcode_ = Opcode::Text;
  bool failed_ = false;
};

// Server frames: unmasked, FIN set.
std::string encodeFrame(Opcode opcode, std::string_view payload);
std::string encodeClose(uint16_t code, std::string_view reason);
// Client side, for tests and load generators.
std::string buildClientHandshake(std::string_view hostPort, std::string_view path,
                                 std::string_view protocol, std::string_view key);
std::string encodeMaskedFrame(Opcode opcode, std::string_view payload, uint32_t maskKey);

bool isValidUtf8(std::string_view text);

}  // namespace callgate::net::ws
