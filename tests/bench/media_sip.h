#pragma once
// Signalling for the media load generator: just enough SIP text handling to
// place calls over SIP-over-WebSocket (RFC 7118) as a browser would and to
// answer them over UDP as a phone would, plus the client side of a WebSocket
// (RFC 6455) connection. A benchmark tool, not a SIP stack: it trusts the
// gateway under test to send well-formed messages.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::bench {

// Value of the first header called `name` (or its compact form), trimmed.
std::string_view sipHeader(std::string_view message, std::string_view name,
                           std::string_view compact);
// Every Via line verbatim with its CRLF, to echo in a response.
std::string sipViaLines(std::string_view message);
// Status code of a response; 0 for a request.
int sipStatus(std::string_view message);
// Method of a request ("INVITE"); empty for a response.
std::string_view sipMethod(std::string_view message);
// Method named in CSeq.
std::string_view sipCseqMethod(std::string_view message);
// User part of the Request-URI ("c12" of "INVITE sip:c12@host SIP/2.0").
std::string_view sipRequestUser(std::string_view message);
// Body after the blank line.
std::string_view sipBody(std::string_view message);
// The URI inside <...> of a Contact (or the whole value when unbracketed).
std::string sipContactUri(std::string_view message);
// Tag parameter of a From/To value.
std::string_view sipTag(std::string_view headerValue);

// A SIP response to `request` with the given status line text, extra header
// lines (each ending in CRLF) and body; `toTag` is added to To when it has none.
std::string sipResponse(std::string_view request, int status, std::string_view reason,
                        std::string_view toTag, std::string_view extraHeaders,
                        std::string_view contentType, std::string_view body);

// Client side of a WebSocket carrying SIP text messages. Blocking connect and
// handshake; afterwards non-blocking reads through onReadable().
class WsClient {
 public:
  WsClient() = default;
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Connects to ip:port, sends the Upgrade with Sec-WebSocket-Protocol: sip
  // and waits for 101. False with *error on any failure.
  bool connect(const std::string& ip, uint16_t port, std::string* error);
  int fd() const { return fd_; }
  bool open() const { return fd_ >= 0 && !closed_; }

  // One masked text frame.
  bool sendText(std::string_view text);
  // Reads what is there; returns complete text messages. Pings are answered.
  std::vector<std::string> onReadable();

 private:
  bool sendAll(std::string_view bytes);
  // One frame from inbuf_, or false when incomplete.
  bool nextFrame(uint8_t& opcode, bool& fin, std::string& payload);

  // owned
  int fd_ = -1;
  bool closed_ = false;
  std::string inbuf_;
  std::string fragments_;
  uint32_t maskSeed_ = 0x9e3779b9;
};

}  // namespace callgate::bench
