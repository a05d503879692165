#include "media_sip.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "net/WebSocket.h"

namespace callgate::bench {
namespace {

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// Header lines between the start line and the blank line.
template <typename F>
void forEachHeader(std::string_view message, F&& f) {
  size_t pos = message.find("\r\n");
  while (pos != std::string_view::npos) {
    pos += 2;
    const size_t end = message.find("\r\n", pos);
    if (end == std::string_view::npos || end == pos) return;
    const std::string_view line = message.substr(pos, end - pos);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      if (!f(trim(line.substr(0, colon)), trim(line.substr(colon + 1)), line)) return;
    }
    pos = end;
  }
}

}  // namespace

std::string_view sipHeader(std::string_view message, std::string_view name,
                           std::string_view compact) {
  std::string_view found;
  forEachHeader(message, [&](std::string_view key, std::string_view value, std::string_view) {
    if (equalsNoCase(key, name) || (!compact.empty() && equalsNoCase(key, compact))) {
      found = value;
      return false;
    }
    return true;
  });
  return found;
}

std::string sipViaLines(std::string_view message) {
  std::string out;
  forEachHeader(message, [&](std::string_view key, std::string_view, std::string_view line) {
    if (equalsNoCase(key, "Via") || equalsNoCase(key, "v")) {
      out.append(line);
      out.append("\r\n");
    }
    return true;
  });
  return out;
}

int sipStatus(std::string_view message) {
  if (!message.starts_with("SIP/2.0 ") || message.size() < 11) return 0;
  int status = 0;
  for (size_t i = 8; i < 11; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(message[i]))) return 0;
    status = status * 10 + (message[i] - '0');
  }
  return status;
}

std::string_view sipMethod(std::string_view message) {
  if (sipStatus(message) != 0) return {};
  return message.substr(0, message.find(' '));
}

std::string_view sipCseqMethod(std::string_view message) {
  const auto cseq = sipHeader(message, "CSeq", "");
  const auto space = cseq.find(' ');
  return space == std::string_view::npos ? std::string_view() : trim(cseq.substr(space + 1));
}

std::string_view sipRequestUser(std::string_view message) {
  const auto lineEnd = message.find("\r\n");
  const auto line = message.substr(0, lineEnd);
  const auto colon = line.find("sip:");
  if (colon == std::string_view::npos) return {};
  const auto rest = line.substr(colon + 4);
  const auto at = rest.find('@');
  return at == std::string_view::npos ? std::string_view() : rest.substr(0, at);
}

std::string_view sipBody(std::string_view message) {
  const auto blank = message.find("\r\n\r\n");
  return blank == std::string_view::npos ? std::string_view() : message.substr(blank + 4);
}

std::string sipContactUri(std::string_view message) {
  const auto contact = sipHeader(message, "Contact", "m");
  const auto lt = contact.find('<');
  const auto gt = contact.find('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    return std::string(contact.substr(lt + 1, gt - lt - 1));
  }
  return std::string(contact.substr(0, contact.find(';')));
}

std::string_view sipTag(std::string_view headerValue) {
  const auto tag = headerValue.find(";tag=");
  if (tag == std::string_view::npos) return {};
  auto value = headerValue.substr(tag + 5);
  return value.substr(0, value.find_first_of(";> "));
}

std::string sipResponse(std::string_view request, int status, std::string_view reason,
                        std::string_view toTag, std::string_view extraHeaders,
                        std::string_view contentType, std::string_view body) {
  std::string out = "SIP/2.0 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  out += sipViaLines(request);
  out += "From: " + std::string(sipHeader(request, "From", "f")) + "\r\n";
  std::string to(sipHeader(request, "To", "t"));
  if (sipTag(to).empty() && !toTag.empty()) to += ";tag=" + std::string(toTag);
  out += "To: " + to + "\r\n";
  out += "Call-ID: " + std::string(sipHeader(request, "Call-ID", "i")) + "\r\n";
  out += "CSeq: " + std::string(sipHeader(request, "CSeq", "")) + "\r\n";
  out += extraHeaders;
  if (!contentType.empty()) out += "Content-Type: " + std::string(contentType) + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

// ---- WebSocket client -------------------------------------------------------

WsClient::~WsClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool WsClient::connect(const std::string& ip, uint16_t port, std::string* error) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    return false;
  }
  // Any 16 bytes base64-encoded will do as the key (RFC 6455 §4.1).
  const std::string request = net::ws::buildClientHandshake(ip + ":" + std::to_string(port), "/",
                                                            "sip", "Y2FsbGdhdGUtYmVuY2gtMQ==");
  if (!sendAll(request)) {
    *error = "cannot send the WebSocket handshake";
    return false;
  }
  std::string response;
  char buf[4096];
  while (response.find("\r\n\r\n") == std::string::npos) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) {
      *error = "no WebSocket handshake response";
      return false;
    }
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      *error = "connection closed during the WebSocket handshake";
      return false;
    }
    response.append(buf, static_cast<size_t>(n));
  }
  if (!response.starts_with("HTTP/1.1 101")) {
    *error = "WebSocket handshake refused: " + response.substr(0, response.find("\r\n"));
    return false;
  }
  inbuf_ = response.substr(response.find("\r\n\r\n") + 4);
  return true;
}

bool WsClient::sendAll(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      closed_ = true;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool WsClient::sendText(std::string_view text) {
  maskSeed_ = maskSeed_ * 1664525u + 1013904223u;
  return sendAll(net::ws::encodeMaskedFrame(net::ws::Opcode::Text, text, maskSeed_));
}

bool WsClient::nextFrame(uint8_t& opcode, bool& fin, std::string& payload) {
  if (inbuf_.size() < 2) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(inbuf_.data());
  fin = (p[0] & 0x80) != 0;
  opcode = p[0] & 0x0f;
  const bool masked = (p[1] & 0x80) != 0;
  uint64_t length = p[1] & 0x7f;
  size_t header = 2;
  if (length == 126) {
    if (inbuf_.size() < 4) return false;
    length = (uint64_t{p[2]} << 8) | p[3];
    header = 4;
  } else if (length == 127) {
    if (inbuf_.size() < 10) return false;
    length = 0;
    for (size_t i = 0; i < 8; ++i) length = (length << 8) | p[2 + i];
    header = 10;
  }
  const size_t maskBytes = masked ? 4 : 0;
  if (length > (1u << 24)) {  // nothing the gateway sends is this large
    closed_ = true;
    return false;
  }
  if (inbuf_.size() < header + maskBytes + length) return false;
  payload.assign(inbuf_, header + maskBytes, static_cast<size_t>(length));
  if (masked) {
    for (size_t i = 0; i < payload.size(); ++i) {
      payload[i] = static_cast<char>(static_cast<uint8_t>(payload[i]) ^ p[header + (i & 3)]);
    }
  }
  inbuf_.erase(0, header + maskBytes + static_cast<size_t>(length));
  return true;
}

std::vector<std::string> WsClient::onReadable() {
  std::vector<std::string> messages;
  char buf[65536];
  for (;;) {
    const auto n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      inbuf_.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) closed_ = true;
    break;
  }
  uint8_t opcode = 0;
  bool fin = false;
  std::string payload;
  while (nextFrame(opcode, fin, payload)) {
    switch (opcode) {
      case 0x0:  // continuation
      case 0x1:  // text
      case 0x2:  // binary
        fragments_ += payload;
        if (fin) {
          messages.push_back(std::move(fragments_));
          fragments_.clear();
        }
        break;
      case 0x9:  // ping: answer with the same payload (RFC 6455 §5.5.3)
        maskSeed_ = maskSeed_ * 1664525u + 1013904223u;
        sendAll(net::ws::encodeMaskedFrame(net::ws::Opcode::Pong, payload, maskSeed_));
        break;
      case 0x8:
        closed_ = true;
        break;
      default:
        break;
    }
  }
  return messages;
}

}  // namespace callgate::bench
