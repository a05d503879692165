#include "sip/msg/Framing.h"

#include <charconv>

#include "sip/msg/HeaderTypes.h"
#include "sip/msg/TextUtil.h"

namespace callgate::sip {

size_t leadingKeepaliveBytes(std::string_view buffered) {
  size_t n = 0;
  while (n + 1 < buffered.size() + 1 && n < buffered.size() &&
         (buffered[n] == '\r' || buffered[n] == '\n')) {
    ++n;
  }
  return n;
}

std::optional<size_t> sipStreamMessageLength(std::string_view buffered, size_t maxMessageBytes,
                                             std::string* error) {
  const auto end = buffered.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (buffered.size() > maxMessageBytes) {
      if (error) *error = "header block exceeds the message size limit";
    }
    return std::nullopt;
  }
  const size_t headerBytes = end + 4;
  std::optional<uint64_t> contentLength;
  size_t pos = buffered.find("\r\n");  // skip the start line
  while (pos != std::string_view::npos && pos < end) {
    pos += 2;
    const auto lineEnd = buffered.find("\r\n", pos);
    const auto line = buffered.substr(pos, lineEnd - pos);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos && !line.empty() && !isSpace(line.front())) {
      const auto name = trim(line.substr(0, colon));
      if (headerIdFor(name) == HeaderId::ContentLength) {
        const auto value = trim(line.substr(colon + 1));
        uint64_t n = 0;
        const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || p != value.data() + value.size() || value.empty()) {
          if (error) *error = "bad Content-Length on a stream";
          return std::nullopt;
        }
        if (contentLength && *contentLength != n) {
          if (error) *error = "conflicting Content-Length on a stream";
          return std::nullopt;
        }
        contentLength = n;
      }
    }
    pos = lineEnd;
  }
  if (!contentLength) {
    if (error) *error = "no Content-Length on a stream";
    return std::nullopt;
  }
  if (headerBytes + *contentLength > maxMessageBytes) {
    if (error) *error = "message exceeds the size limit";
    return std::nullopt;
  }
  if (buffered.size() < headerBytes + *contentLength) return std::nullopt;
  return headerBytes + static_cast<size_t>(*contentLength);
}

}  // namespace callgate::sip
