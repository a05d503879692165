#include "sip/msg/SipMessage.h"

#include <charconv>
#include <cstring>

#include "sip/msg/TextUtil.h"

namespace callgate::sip {
namespace {

std::optional<uint32_t> parseUint32(std::string_view text, uint64_t max) {
  text = trim(text);
  if (text.empty() || text.size() > 10) return std::nullopt;
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return static_cast<uint32_t>(value);
}

// Raw control characters are not allowed in header values; escaped ones
// inside a quoted string are (quoted-pair, RFC 3261 §25.1).
bool hasControlChars(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if ((u < 0x20 && s[i] != '\t') || u == 0x7f) return true;
  }
  return false;
}

// Headers RFC 3261 allows only once.
bool isSingleton(HeaderId id) {
  switch (id) {
    case HeaderId::From:
    case HeaderId::To:
    case HeaderId::CallId:
    case HeaderId::CSeq:
    case HeaderId::MaxForwards:
    case HeaderId::ContentLength:
    case HeaderId::ContentType:
    case HeaderId::Expires:
    case HeaderId::SessionExpires:
    case HeaderId::MinSe:
      return true;
    default:
      return false;
  }
}

}  // namespace

// Fills a SipMessage from its own buffer. One pass over the start line and
// header block; values are only trimmed and unfolded here.
class MessageParser {
 public:
  MessageParser(SipMessage& m, const ParseLimits& limits) : m_(m), limits_(limits) {}

  // Returns false when the message cannot even be split (result.message unset).
  bool split(std::string& error, int& status);
  std::string validate(int& status) const;

 private:
  bool parseStartLine(std::string_view line, std::string& error, int& status);

  SipMessage& m_;
  const ParseLimits& limits_;
};

bool MessageParser::parseStartLine(std::string_view line, std::string& error, int& status) {
  if (line.starts_with("SIP/")) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    if (!line.starts_with("SIP/2.0 ")) {
      error = "Unsupported SIP version";
      return false;
    }
    auto rest = line.substr(8);
    if (rest.size() < 3 || !isDigit(rest[0]) || !isDigit(rest[1]) || !isDigit(rest[2]) ||
        (rest.size() > 3 && rest[3] != ' ')) {
      error = "Bad status line";
      return false;
    }
    m_.statusCode_ = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
    if (m_.statusCode_ < 100 || m_.statusCode_ > 699) {
      error = "Bad status code";
      return false;
    }
    m_.reason_ = rest.size() > 4 ? rest.substr(4) : std::string_view{};
    m_.isRequest_ = false;
    return true;
  }
  // Request-Line = Method SP Request-URI SP SIP-Version: exactly one SP each
  // (RFC 4475 §3.1.2.7, §3.1.2.8).
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos ||
      line.find(' ', sp2 + 1) != std::string_view::npos) {
    error = "Bad request line";
    return false;
  }
  m_.methodName_ = line.substr(0, sp1);
  m_.requestUri_ = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const auto version = line.substr(sp2 + 1);
  if (!isToken(m_.methodName_) || m_.requestUri_.empty()) {
    error = "Bad request line";
    return false;
  }
  m_.isRequest_ = true;
  m_.method_ = parseMethod(m_.methodName_);
  if (version != "SIP/2.0") {
    if (version.starts_with("SIP/")) {
      error = "Version Not Supported";
      status = 505;
    } else {
      error = "Bad request line";
    }
    // Still split the rest so a response can be formed.
    return true;
  }
  return true;
}

bool MessageParser::split(std::string& error, int& status) {
  char* const data = m_.buffer_.get();
  size_t size = m_.size_;
  size_t pos = 0;
  // Leading CRLFs are ignored (RFC 3261 §7.5).
  while (pos < size && (data[pos] == '\r' || data[pos] == '\n')) ++pos;

  auto lineEnd = [&](size_t from) -> size_t {
    const void* nl = std::memchr(data + from, '\n', size - from);
    return nl ? static_cast<size_t>(static_cast<const char*>(nl) - data) : size;
  };
  auto lineText = [&](size_t from, size_t nl) {
    size_t end = nl;
    if (end > from && data[end - 1] == '\r') --end;
    return std::string_view(data + from, end - from);
  };

  size_t nl = lineEnd(pos);
  if (nl == size) {
    error = "No header block";
    return false;
  }
  std::string startError;
  if (!parseStartLine(lineText(pos, nl), startError, status)) {
    error = startError;
    return false;
  }
  pos = nl + 1;

  // Header lines, unfolding continuations in place (RFC 3261 §7.3.1).
  bool ended = false;
  while (pos < size) {
    nl = lineEnd(pos);
    if (nl == size) break;
    const auto line = lineText(pos, nl);
    if (line.empty()) {
      pos = nl + 1;
      ended = true;
      break;
    }
    if (isSpace(line.front())) {
      error = "Continuation line without a header";
      return false;
    }
    size_t end = nl;
    while (end + 1 < size && isSpace(data[end + 1])) {
      // Fold: the CRLF becomes spaces and the header goes on.
      data[end] = ' ';
      if (end > 0 && data[end - 1] == '\r') data[end - 1] = ' ';
      end = lineEnd(end + 1);
      if (end == size) break;
    }
    if (end == size) break;
    const auto full = lineText(pos, end);
    if (full.size() > limits_.maxHeaderBytes) {
      error = "Header too long";
      return false;
    }
    const auto colon = full.find(':');
    if (colon == std::string_view::npos) {
      error = "Malformed header line";
      return false;
    }
    auto name = full.substr(0, colon);
    while (!name.empty() && isSpace(name.back())) name.remove_suffix(1);
    if (!isToken(name)) {
      error = "Malformed header name";
      return false;
    }
    if (m_.headers_.size() >= limits_.maxHeaders) {
      error = "Too many headers";
      return false;
    }
    const auto value = trim(full.substr(colon + 1));
    m_.headers_.push_back(HeaderField{headerIdFor(name), name, value});
    pos = end + 1;
  }
  if (!ended) {
    error = "Header block not terminated";
    return false;
  }

  // Content-Length decides the body of a datagram (RFC 3261 §18.3): larger
  // than what arrived is an error, smaller truncates.
  const size_t available = size - pos;
  std::optional<uint32_t> contentLength;
  for (const auto& h : m_.headers_) {
    if (h.id != HeaderId::ContentLength) continue;
    const auto parsed = parseUint32(h.value, 0xFFFFFFFFULL);
    if (!parsed) {
      error = "Bad Content-Length";
      m_.body_ = {};
      return true;
    }
    if (contentLength && *contentLength != *parsed) {
      error = "Conflicting Content-Length";
      return true;
    }
    contentLength = parsed;
  }
  if (contentLength) {
    if (*contentLength > available) {
      error = "Content-Length larger than body";
      return true;
    }
    m_.body_ = std::string_view(data + pos, *contentLength);
  } else {
    m_.body_ = std::string_view(data + pos, available);
  }
  if (!startError.empty()) error = startError;
  return true;
}

std::string MessageParser::validate(int& status) const {
  status = 400;
  for (const auto& h : m_.headers_) {
    if (hasControlChars(h.value)) return "Control character in " + std::string(h.name);
  }
  for (size_t i = 0; i < m_.headers_.size(); ++i) {
    const auto id = m_.headers_[i].id;
    if (!isSingleton(id)) continue;
    for (size_t j = i + 1; j < m_.headers_.size(); ++j) {
      if (m_.headers_[j].id == id) return "Multiple " + std::string(canonicalHeaderName(id));
    }
  }
  const auto via = m_.topVia();
  if (!m_.find(HeaderId::Via)) return "Missing Via";
  if (!via) return "Bad Via";
  for (const auto& value : m_.headerValues(HeaderId::Via)) {
    if (!Via::parse(value)) return "Bad Via";
  }
  if (!m_.find(HeaderId::From)) return "Missing From";
  if (!m_.from()) return "Bad From";
  if (!m_.find(HeaderId::To)) return "Missing To";
  if (!m_.to()) return "Bad To";
  const auto callId = m_.callId();
  if (callId.empty()) return "Missing Call-ID";
  for (char c : callId) {
    if (isSpace(c)) return "Bad Call-ID";
  }
  if (!m_.find(HeaderId::CSeq)) return "Missing CSeq";
  const auto cseq = m_.cseq();
  if (!cseq) return "Bad CSeq";
  if (m_.find(HeaderId::MaxForwards) && !m_.maxForwards()) return "Bad Max-Forwards";
  if (m_.find(HeaderId::Expires) && !m_.expires()) return "Bad Expires";
  if (m_.isRequest_) {
    if (cseq->methodName != m_.methodName_) return "CSeq method does not match";
    const auto uri = Uri::parse(m_.requestUri_);
    if (!uri) return "Bad Request-URI";
    // RFC 3261 §19.1.1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
    if (!uri->headers.empty()) return "Bad Request-URI: headers are not allowed";
    for (const auto& contact : m_.headerValues(HeaderId::Contact)) {
      if (contact != "*" && !NameAddr::parse(contact)) return "Bad Contact";
    }
  } else {
    // Responses take their method from CSeq.
    m_.method_ = cseq->method;
    m_.methodName_ = cseq->methodName;
  }
  return {};
}

SipMessage::SipMessage(const SipMessage& other) {
  rebase(other);
}

SipMessage& SipMessage::operator=(const SipMessage& other) {
  if (this != &other) rebase(other);
  return *this;
}

void SipMessage::rebase(const SipMessage& other) {
  // Copy the buffer and move every view by the same offset into the copy.
  size_ = other.size_;
  buffer_ = std::make_unique<char[]>(size_ + 1);
  std::memcpy(buffer_.get(), other.buffer_.get(), size_);
  const char* oldBase = other.buffer_.get();
  auto shift = [&](std::string_view v) {
    if (v.data() == nullptr || v.empty()) return std::string_view{};
    return std::string_view(buffer_.get() + (v.data() - oldBase), v.size());
  };
  isRequest_ = other.isRequest_;
  method_ = other.method_;
  methodName_ = shift(other.methodName_);
  requestUri_ = shift(other.requestUri_);
  statusCode_ = other.statusCode_;
  reason_ = shift(other.reason_);
  headers_.clear();
  headers_.reserve(other.headers_.size());
  for (const auto& h : other.headers_) headers_.push_back({h.id, shift(h.name), shift(h.value)});
  body_ = shift(other.body_);
}

ParseResult SipMessage::parse(std::string_view bytes, const ParseLimits& limits) {
  ParseResult result;
  if (bytes.size() > limits.maxMessageBytes) {
    result.error = "Message Too Large";
    result.status = 513;
    return result;
  }
  SipMessage m;
  m.size_ = bytes.size();
  m.buffer_ = std::make_unique<char[]>(bytes.size() + 1);
  std::memcpy(m.buffer_.get(), bytes.data(), bytes.size());
  m.buffer_[bytes.size()] = '\0';
  m.headers_.reserve(16);
  MessageParser parser(m, limits);
  int status = 400;
  std::string error;
  if (!parser.split(error, status)) {
    result.error = error.empty() ? "Malformed message" : error;
    return result;
  }
  if (error.empty()) {
    error = parser.validate(status);
  } else {
    // Keep the framing error; validation still fills a response's method.
    int ignored = 400;
    parser.validate(ignored);
  }
  result.error = std::move(error);
  result.status = result.error.empty() ? 400 : status;
  result.message = std::move(m);
  return result;
}

const HeaderField* SipMessage::find(HeaderId id) const {
  for (const auto& h : headers_) {
    if (h.id == id) return &h;
  }
  return nullptr;
}

std::string_view SipMessage::headerValue(HeaderId id) const {
  const auto* h = find(id);
  if (!h) return {};
  if (isListHeader(id)) {
    std::string_view first;
    forEachListItem(h->value, [&](std::string_view item) {
      if (first.empty()) first = item;
    });
    return first;
  }
  return h->value;
}

std::string_view SipMessage::headerValue(std::string_view name) const {
  const auto id = headerIdFor(name);
  for (const auto& h : headers_) {
    if (id != HeaderId::Unknown ? h.id == id : equalsIgnoreCase(h.name, name)) return h.value;
  }
  return {};
}

std::vector<std::string_view> SipMessage::headerValues(HeaderId id) const {
  std::vector<std::string_view> out;
  for (const auto& h : headers_) {
    if (h.id != id) continue;
    if (isListHeader(id)) {
      forEachListItem(h.value, [&](std::string_view item) { out.push_back(item); });
    } else {
      out.push_back(h.value);
    }
  }
  return out;
}

std::optional<Via> SipMessage::topVia() const {
  const auto value = headerValue(HeaderId::Via);
  if (value.empty()) return std::nullopt;
  return Via::parse(value);
}

std::optional<NameAddr> SipMessage::from() const {
  return NameAddr::parse(headerValue(HeaderId::From));
}

std::optional<NameAddr> SipMessage::to() const {
  return NameAddr::parse(headerValue(HeaderId::To));
}

std::optional<CSeq> SipMessage::cseq() const {
  return CSeq::parse(headerValue(HeaderId::CSeq));
}

std::optional<uint32_t> SipMessage::maxForwards() const {
  const auto* h = find(HeaderId::MaxForwards);
  if (!h) return std::nullopt;
  return parseUint32(h->value, 255);
}

std::optional<uint32_t> SipMessage::expires() const {
  const auto* h = find(HeaderId::Expires);
  if (!h) return std::nullopt;
  return parseUint32(h->value, 0xFFFFFFFFULL);
}

}  // namespace callgate::sip
