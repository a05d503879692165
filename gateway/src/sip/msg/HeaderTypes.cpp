#include "sip/msg/HeaderTypes.h"

#include <array>
#include <charconv>
#include <cstring>

#include "sip/msg/TextUtil.h"

namespace callgate::sip {
namespace {

struct MethodEntry {
  Method method;
  std::string_view name;
};
constexpr std::array<MethodEntry, 14> kMethods{{
    {Method::Invite, "INVITE"},
    {Method::Ack, "ACK"},
    {Method::Bye, "BYE"},
    {Method::Cancel, "CANCEL"},
    {Method::Options, "OPTIONS"},
    {Method::Register, "REGISTER"},
    {Method::Info, "INFO"},
    {Method::Update, "UPDATE"},
    {Method::Prack, "PRACK"},
    {Method::Refer, "REFER"},
    {Method::Message, "MESSAGE"},
    {Method::Subscribe, "SUBSCRIBE"},
    {Method::Notify, "NOTIFY"},
    {Method::Publish, "PUBLISH"},
}};

struct HeaderEntry {
  HeaderId id;
  std::string_view name;
  char compact;  // 0: none
};
constexpr std::array<HeaderEntry, 38> kHeaders{{
    {HeaderId::Via, "Via", 'v'},
    {HeaderId::From, "From", 'f'},
    {HeaderId::To, "To", 't'},
    {HeaderId::CallId, "Call-ID", 'i'},
    {HeaderId::CSeq, "CSeq", 0},
    {HeaderId::Contact, "Contact", 'm'},
    {HeaderId::MaxForwards, "Max-Forwards", 0},
    {HeaderId::ContentLength, "Content-Length", 'l'},
    {HeaderId::ContentType, "Content-Type", 'c'},
    {HeaderId::ContentEncoding, "Content-Encoding", 'e'},
    {HeaderId::Route, "Route", 0},
    {HeaderId::RecordRoute, "Record-Route", 0},
    {HeaderId::Authorization, "Authorization", 0},
    {HeaderId::ProxyAuthorization, "Proxy-Authorization", 0},
    {HeaderId::WwwAuthenticate, "WWW-Authenticate", 0},
    {HeaderId::ProxyAuthenticate, "Proxy-Authenticate", 0},
    {HeaderId::Expires, "Expires", 0},
    {HeaderId::SessionExpires, "Session-Expires", 'x'},
    {HeaderId::MinSe, "Min-SE", 0},
    {HeaderId::Supported, "Supported", 'k'},
    {HeaderId::Require, "Require", 0},
    {HeaderId::ProxyRequire, "Proxy-Require", 0},
    {HeaderId::Unsupported, "Unsupported", 0},
    {HeaderId::Allow, "Allow", 0},
    {HeaderId::AllowEvents, "Allow-Events", 'u'},
    {HeaderId::UserAgent, "User-Agent", 0},
    {HeaderId::Server, "Server", 0},
    {HeaderId::Event, "Event", 'o'},
    {HeaderId::ReferTo, "Refer-To", 'r'},
    {HeaderId::Subject, "Subject", 's'},
    {HeaderId::Accept, "Accept", 0},
    {HeaderId::RSeq, "RSeq", 0},
    {HeaderId::RAck, "RAck", 0},
    {HeaderId::Date, "Date", 0},
    {HeaderId::Timestamp, "Timestamp", 0},
    {HeaderId::Warning, "Warning", 0},
    {HeaderId::RetryAfter, "Retry-After", 0},
    {HeaderId::ReplyTo, "Reply-To", 0},
}};

bool isHostChar(char c) {
  return isAlnum(c) || c == '-' || c == '.' || c == '_';
}

bool isUserChar(char c) {
  // unreserved / escaped / user-unreserved (RFC 3261 §25.1); '%' escapes are
  // kept as they are.
  if (isAlnum(c)) return true;
  return std::strchr("-_.!~*'()%&=+$,;?/", c) != nullptr && c != '\0';
}

bool isParamChar(char c) {
  // paramchar, plus ';' '=' separators and '[' ']' ':' for maddr and friends.
  if (isAlnum(c)) return true;
  return std::strchr("-_.!~*'()%[]/:&+$=;@", c) != nullptr && c != '\0';
}

// host [":" port]; sets host/port/ipv6. Returns false for anything malformed.
bool parseHostPort(std::string_view text, std::string_view& host, uint16_t& port, bool& ipv6) {
  ipv6 = false;
  port = 0;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    host = text.substr(1, close - 1);
    for (char c : host) {
      if (!isHexDigit(c) && c != ':' && c != '.') return false;
    }
    ipv6 = true;
    rest = text.substr(close + 1);
  } else {
    const auto colon = text.find(':');
    host = text.substr(0, colon);
    if (host.empty()) return false;
    for (char c : host) {
      if (!isHostChar(c)) return false;
    }
    rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon);
  }
  if (rest.empty()) return true;
  if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return false;
  unsigned value = 0;
  const auto digits = rest.substr(1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return true;
}

}  // namespace

std::string_view methodName(Method method) {
  for (const auto& m : kMethods) {
    if (m.method == method) return m.name;
  }
  return {};
}

Method parseMethod(std::string_view token) {
  for (const auto& m : kMethods) {
    if (m.name == token) return m.method;
  }
  return Method::Unknown;
}

HeaderId headerIdFor(std::string_view name) {
  if (name.size() == 1) {
    const char c = toLower(name.front());
    for (const auto& h : kHeaders) {
      if (h.compact == c) return h.id;
    }
    return HeaderId::Unknown;
  }
  for (const auto& h : kHeaders) {
    if (equalsIgnoreCase(h.name, name)) return h.id;
  }
  return HeaderId::Unknown;
}

std::string_view canonicalHeaderName(HeaderId id) {
  for (const auto& h : kHeaders) {
    if (h.id == id) return h.name;
  }
  return {};
}

bool isListHeader(HeaderId id) {
  switch (id) {
    case HeaderId::Via:
    case HeaderId::Contact:
    case HeaderId::Route:
    case HeaderId::RecordRoute:
    case HeaderId::Supported:
    case HeaderId::Require:
    case HeaderId::ProxyRequire:
    case HeaderId::Unsupported:
    case HeaderId::Allow:
    case HeaderId::AllowEvents:
    case HeaderId::Accept:
    case HeaderId::ContentEncoding:
    case HeaderId::Warning:
      return true;
    default:
      return false;
  }
}

bool isTokenChar(char c) {
  return isAlnum(c) || (c != '\0' && std::strchr("-.!%*_+`'~", c) != nullptr);
}

bool isToken(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

std::optional<std::string_view> findParam(std::string_view params, std::string_view name) {
  std::optional<std::string_view> found;
  forEachParam(params, [&](std::string_view key, std::optional<std::string_view> value) {
    if (!found && equalsIgnoreCase(key, name)) found = value.value_or(std::string_view{});
  });
  return found;
}

bool Uri::isSip() const {
  return equalsIgnoreCase(scheme, "sip") || equalsIgnoreCase(scheme, "sips");
}

std::optional<Uri> Uri::parse(std::string_view text) {
  Uri uri;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  uri.scheme = text.substr(0, colon);
  if (!isAlpha(uri.scheme.front())) return std::nullopt;
  for (char c : uri.scheme) {
    if (!isAlnum(c) && c != '+' && c != '-' && c != '.') return std::nullopt;
  }
  std::string_view rest = text.substr(colon + 1);
  if (rest.empty()) return std::nullopt;
  for (char c : rest) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"') {
      return std::nullopt;
    }
  }
  if (!uri.isSip()) {
    // tel: and other schemes are kept whole; whether they are routable is for
    // the layer above to decide (RFC 4475 §3.1.1.12).
    const auto semi = rest.find(';');
    uri.user = rest.substr(0, semi);
    if (semi != std::string_view::npos) uri.params = rest.substr(semi + 1);
    return uri;
  }
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    // '?' may appear in the user part, so only a '?' after the '@' starts headers.
    const auto at = rest.find('@');
    if (at == std::string_view::npos || q > at) {
      uri.headers = rest.substr(q + 1);
      rest = rest.substr(0, q);
    }
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    auto userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (userinfo.empty()) return std::nullopt;
    if (const auto pc = userinfo.find(':'); pc != std::string_view::npos) {
      uri.password = userinfo.substr(pc + 1);
      userinfo = userinfo.substr(0, pc);
    }
    for (char c : userinfo) {
      if (!isUserChar(c)) return std::nullopt;
    }
    uri.user = userinfo;
    if (uri.user.empty()) return std::nullopt;
  }
  const auto semi = rest.find(';');
  const auto hostport = rest.substr(0, semi);
  if (!parseHostPort(hostport, uri.host, uri.port, uri.hostIsIpv6)) return std::nullopt;
  if (semi != std::string_view::npos) {
    uri.params = rest.substr(semi + 1);
    for (char c : uri.params) {
      if (!isParamChar(c)) return std::nullopt;
    }
  }
  return uri;
}

std::optional<NameAddr> NameAddr::parse(std::string_view text) {
  NameAddr na;
  text = trim(text);
  if (text.empty()) return std::nullopt;
  std::string_view afterAddr;
  if (text.front() == '"') {
    const auto end = findClosingQuote(text, 0);
    if (end == std::string_view::npos) return std::nullopt;
    na.displayName = text.substr(1, end - 1);
    text = trimLeft(text.substr(end + 1));
    if (text.empty() || text.front() != '<') return std::nullopt;
  }
  if (const auto lt = text.find('<'); lt != std::string_view::npos) {
    if (na.displayName.empty()) {
      const auto display = trim(text.substr(0, lt));
      // An unquoted display name is a sequence of tokens (RFC 3261 §25.1).
      for (char c : display) {
        if (!isTokenChar(c) && c != ' ' && c != '\t') return std::nullopt;
      }
      na.displayName = display;
    }
    const auto gt = text.find('>', lt);
    if (gt == std::string_view::npos) return std::nullopt;
    na.uriText = text.substr(lt + 1, gt - lt - 1);
    afterAddr = trimLeft(text.substr(gt + 1));
  } else {
    // addr-spec without <>: everything after the first ';' is a header
    // parameter (RFC 3261 §20.10), and ',' '?' are not allowed.
    const auto semi = text.find(';');
    na.uriText = trim(text.substr(0, semi));
    if (na.uriText.find_first_of(",?") != std::string_view::npos) return std::nullopt;
    afterAddr = semi == std::string_view::npos ? std::string_view{} : text.substr(semi);
  }
  auto uri = Uri::parse(na.uriText);
  if (!uri) return std::nullopt;
  na.uri = *uri;
  if (!afterAddr.empty()) {
    if (afterAddr.front() != ';') return std::nullopt;
    na.params = trim(afterAddr.substr(1));
    if (!validParams(na.params)) return std::nullopt;
  }
  return na;
}

std::optional<Via> Via::parse(std::string_view value) {
  Via via;
  Scanner s(value);
  via.protocolName = s.token();
  if (via.protocolName.empty() || !s.consume('/')) return std::nullopt;
  via.protocolVersion = s.token();
  if (via.protocolVersion.empty() || !s.consume('/')) return std::nullopt;
  via.transport = s.token();
  if (via.transport.empty()) return std::nullopt;
  s.skipSpace();
  auto rest = s.rest();
  const auto semi = rest.find(';');
  auto sentBy = trim(rest.substr(0, semi));
  // "host : port" with spaces is legal LWS (RFC 4475 §3.1.1.1).
  std::string_view host = sentBy;
  std::string_view portText;
  if (!sentBy.empty() && sentBy.front() == '[') {
    const auto close = sentBy.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = sentBy.substr(0, close + 1);
    portText = trim(sentBy.substr(close + 1));
  } else if (const auto colon = sentBy.find(':'); colon != std::string_view::npos) {
    host = trim(sentBy.substr(0, colon));
    portText = trim(sentBy.substr(colon));
  }
  if (!portText.empty()) {
    if (portText.front() != ':') return std::nullopt;
    portText = trim(portText.substr(1));
  }
  std::string_view parsedHost;
  uint16_t port = 0;
  bool ipv6 = false;
  if (!parseHostPort(host, parsedHost, port, ipv6)) return std::nullopt;
  if (!portText.empty()) {
    unsigned number = 0;
    const auto [last, ec] =
        std::from_chars(portText.data(), portText.data() + portText.size(), number);
    if (ec != std::errc() || last != portText.data() + portText.size() || number > 65535 ||
        number == 0) {
      return std::nullopt;
    }
    port = static_cast<uint16_t>(number);
  }
  via.host = parsedHost;
  via.port = port;
  via.hostIsIpv6 = ipv6;
  if (semi != std::string_view::npos) {
    via.params = trim(rest.substr(semi + 1));
    if (!validParams(via.params)) return std::nullopt;
  }
  return via;
}

std::optional<CSeq> CSeq::parse(std::string_view text) {
  CSeq cseq;
  Scanner s(text);
  const auto digits = s.digits();
  if (digits.empty() || digits.size() > 10) return std::nullopt;
  uint64_t value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  // CSeq must stay below 2^31 (RFC 3261 §8.1.1.5).
  if (value >= (1ULL << 31)) return std::nullopt;
  cseq.number = static_cast<uint32_t>(value);
  if (!s.skipSpace()) return std::nullopt;
  cseq.methodName = s.token();
  if (cseq.methodName.empty() || !s.atEnd()) return std::nullopt;
  cseq.method = parseMethod(cseq.methodName);
  return cseq;
}

}  // namespace callgate::sip
