#include "net/WebSocket.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace callgate::net::ws {
namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool listContains(std::string_view list, std::string_view item) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (iequals(trimmed(list.substr(0, comma)), item)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

std::string base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(n));
  return out;
}

HandshakeResult reject(int status, std::string_view reasonPhrase, std::string error,
                       std::string_view extraHeader = {}) {
  HandshakeResult r;
  r.status = HandshakeResult::Status::Rejected;
  r.error = std::move(error);
  r.response = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reasonPhrase) + "\r\n";
  if (!extraHeader.empty()) r.response += std::string(extraHeader) + "\r\n";
  r.response += "Connection: close\r\nContent-Type: text/plain\r\nContent-Length: " +
                std::to_string(r.error.size()) + "\r\n\r\n" + r.error;
  return r;
}

bool validCloseCode(uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1011 && code != 1004 && code != 1005 && code != 1006;
}

}  // namespace

std::string acceptKeyFor(std::string_view clientKey) {
  std::string input(clientKey);
  input.append(kGuid);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha1(), nullptr);
  return base64(digest, length);
}

HandshakeResult acceptHandshake(std::string_view buffered, std::string_view requiredProtocol,
                                size_t maxBytes) {
  const auto end = buffered.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (buffered.size() > maxBytes)
      return reject(431, "Request Header Fields Too Large", "handshake too big");
    return {};
  }
  if (end + 4 > maxBytes)
    return reject(431, "Request Header Fields Too Large", "handshake too big");
  const auto head = buffered.substr(0, end + 2);
  const auto firstEnd = head.find("\r\n");
  const auto requestLine = head.substr(0, firstEnd);
  // GET <path> HTTP/1.1
  const auto sp1 = requestLine.find(' ');
  const auto sp2 = requestLine.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1 || requestLine.substr(0, sp1) != "GET" ||
      requestLine.substr(sp2 + 1) != "HTTP/1.1") {
    return reject(400, "Bad Request", "not an HTTP/1.1 GET");
  }
  std::string_view upgrade, connection, key, version, protocols, origin;
  size_t pos = firstEnd + 2;
  while (pos < head.size()) {
    const auto lineEnd = head.find("\r\n", pos);
    const auto line = head.substr(pos, lineEnd - pos);
    pos = lineEnd + 2;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return reject(400, "Bad Request", "malformed header");
    const auto name = line.substr(0, colon);
    const auto value = trimmed(line.substr(colon + 1));
    if (iequals(name, "Upgrade"))
      upgrade = value;
    else if (iequals(name, "Connection"))
      connection = value;
    else if (iequals(name, "Sec-WebSocket-Key"))
      key = value;
    else if (iequals(name, "Sec-WebSocket-Version"))
      version = value;
    else if (iequals(name, "Sec-WebSocket-Protocol"))
      protocols = value;
    else if (iequals(name, "Origin"))
      origin = value;
  }
  if (!iequals(upgrade, "websocket") || !listContains(connection, "upgrade")) {
    return reject(400, "Bad Request", "not a WebSocket upgrade");
  }
  if (version != "13") {
    return reject(426, "Upgrade Required", "unsupported WebSocket version",
                  "Sec-WebSocket-Version: 13");
  }
  // The key is 16 random bytes in base64: 24 characters ending in "==".
  if (key.size() != 24 || !key.ends_with("=="))
    return reject(400, "Bad Request", "bad Sec-WebSocket-Key");
  for (char c : key.substr(0, 22)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') {
      return reject(400, "Bad Request", "bad Sec-WebSocket-Key");
    }
  }
  if (!listContains(protocols, requiredProtocol)) {
    return reject(400, "Bad Request",
                  "Sec-WebSocket-Protocol must offer '" + std::string(requiredProtocol) + "'");
  }
  HandshakeResult r;
  r.status = HandshakeResult::Status::Accepted;
  r.consumed = end + 4;
  r.path = std::string(requestLine.substr(sp1 + 1, sp2 - sp1 - 1));
  r.origin = std::string(origin);
  r.response =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: " +
      acceptKeyFor(key) + "\r\nSec-WebSocket-Protocol: " + std::string(requiredProtocol) +
      "\r\n\r\n";
  return r;
}

FrameDecoder::Event FrameDecoder::next() {
  using Kind = Event::Kind;
  auto fail = [&](uint16_t code, std::string error) {
    failed_ = true;
    Event e;
    e.kind = Kind::Error;
    e.closeCode = code;
    e.error = std::move(error);
    return e;
  };
  if (failed_) return fail(1002, "decoder already failed");
  // Compact once half the buffer is consumed: amortised O(1) per byte.
  if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(buffer_.data()) + consumed_;
  const size_t avail = buffer_.size() - consumed_;
  if (avail < 2) return {};
  const bool fin = (p[0] & 0x80) != 0;
  if ((p[0] & 0x70) != 0) return fail(1002, "reserved bits set without an extension");
  const auto opcode = static_cast<Opcode>(p[0] & 0x0f);
  const bool masked = (p[1] & 0x80) != 0;
  uint64_t length = p[1] & 0x7f;
  size_t header = 2;
  const bool control = (p[0] & 0x08) != 0;
  switch (opcode) {
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
    case Opcode::Close:
    case Opcode::Ping:
    case Opcode::Pong:
      break;
    default:
      return fail(1002, "unknown opcode");
  }
  if (!masked) return fail(1002, "client frame not masked");
  if (control && (!fin || length > 125)) return fail(1002, "bad control frame");
  if (length == 126) {
    if (avail < 4) return {};
    length = (uint64_t{p[2]} << 8) | p[3];
    header = 4;
  } else if (length == 127) {
    if (avail < 10) return {};
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | p[2 + i];
    if (length >> 63) return fail(1002, "bad frame length");
    header = 10;
  }
  if (!control && message_.size() + length > maxMessageBytes_) return fail(1009, "message too big");
  if (avail < header + 4) return {};
  if (avail - header - 4 < length) return {};
  const unsigned char* mask = p + header;
  const unsigned char* data = mask + 4;
  std::string payload(static_cast<size_t>(length), '\0');
  for (size_t i = 0; i < length; ++i) payload[i] = static_cast<char>(data[i] ^ mask[i & 3]);
  consumed_ += header + 4 + static_cast<size_t>(length);

  Event e;
  if (control) {
    if (opcode == Opcode::Ping) {
      e.kind = Kind::Ping;
    } else if (opcode == Opcode::Pong) {
      e.kind = Kind::Pong;
    } else {
      e.kind = Kind::Close;
      if (payload.size() == 1) return fail(1002, "bad close payload");
      if (payload.size() >= 2) {
        e.closeCode = static_cast<uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                            static_cast<unsigned char>(payload[1]));
        if (!validCloseCode(e.closeCode)) return fail(1002, "bad close code");
        if (!isValidUtf8(std::string_view(payload).substr(2)))
          return fail(1007, "bad close reason");
      }
    }
    e.opcode = opcode;
    e.payload = std::move(payload);
    return e;
  }
  if (opcode == Opcode::Continuation) {
    if (!inMessage_) return fail(1002, "continuation without a message");
  } else {
    if (inMessage_) return fail(1002, "new message inside a fragmented one");
    inMessage_ = true;
    messageOpcode_ = opcode;
    message_.clear();
  }
  message_.append(payload);
  if (!fin) return next();
  inMessage_ = false;
  if (messageOpcode_ == Opcode::Text && !isValidUtf8(message_)) return fail(1007, "text not UTF-8");
  e.kind = Kind::Message;
  e.opcode = messageOpcode_;
  e.payload = std::move(message_);
  message_.clear();
  return e;
}

namespace {
std::string frameHeader(Opcode opcode, size_t length, bool masked) {
  std::string out;
  out.push_back(static_cast<char>(0x80 | static_cast<uint8_t>(opcode)));
  const uint8_t maskBit = masked ? 0x80 : 0;
  if (length < 126) {
    out.push_back(static_cast<char>(maskBit | length));
  } else if (length <= 0xffff) {
    out.push_back(static_cast<char>(maskBit | 126));
    out.push_back(static_cast<char>(length >> 8));
    out.push_back(static_cast<char>(length & 0xff));
  } else {
    out.push_back(static_cast<char>(maskBit | 127));
    for (int i = 7; i >= 0; --i)
      out.push_back(static_cast<char>((uint64_t{length} >> (8 * i)) & 0xff));
  }
  return out;
}
}  // namespace

std::string encodeFrame(Opcode opcode, std::string_view payload) {
  std::string out = frameHeader(opcode, payload.size(), false);
  out.append(payload);
  return out;
}

std::string encodeClose(uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xff));
  payload.append(reason.substr(0, 123));
  return encodeFrame(Opcode::Close, payload);
}

std::string buildClientHandshake(std::string_view hostPort, std::string_view path,
                                 std::string_view protocol, std::string_view key) {
  std::string out =
      "GET " + std::string(path) + " HTTP/1.1\r\nHost: " + std::string(hostPort) +
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + std::string(key) +
      "\r\nSec-WebSocket-Version: 13\r\n";
  if (!protocol.empty()) out += "Sec-WebSocket-Protocol: " + std::string(protocol) + "\r\n";
  out += "\r\n";
  return out;
}

std::string encodeMaskedFrame(Opcode opcode, std::string_view payload, uint32_t maskKey) {
  std::string out = frameHeader(opcode, payload.size(), true);
  const unsigned char mask[4] = {
      static_cast<unsigned char>(maskKey >> 24), static_cast<unsigned char>(maskKey >> 16),
      static_cast<unsigned char>(maskKey >> 8), static_cast<unsigned char>(maskKey)};
  out.append(reinterpret_cast<const char*>(mask), 4);
  for (size_t i = 0; i < payload.size(); ++i) {
    out.push_back(static_cast<char>(static_cast<unsigned char>(payload[i]) ^ mask[i & 3]));
  }
  return out;
}

bool isValidUtf8(std::string_view text) {
  size_t i = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  while (i < text.size()) {
    const unsigned char c = s[i];
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= text.size() || (s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace callgate::net::ws
