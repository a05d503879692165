#pragma once
// The vocabulary of SIP messages: methods, header names, and the structured
// header values parsed on access. Every type here is a view into text owned
// elsewhere (usually a SipMessage) and valid only while that text lives.

#include <cstdint>
#include <optional>
#include <string_view>

namespace callgate::sip {

enum class Method : uint8_t {
  Unknown,
  Invite,
  Ack,
  Bye,
  Cancel,
  Options,
  Register,
  Info,
  Update,
  Prack,
  Refer,
  Message,
  Subscribe,
  Notify,
  Publish
};
std::string_view methodName(Method method);  // "" for Unknown
Method parseMethod(std::string_view token);  // case-sensitive (RFC 3261 §7.1)

enum class HeaderId : uint8_t {
  Unknown,
  Via,
  From,
  To,
  CallId,
  CSeq,
  Contact,
  MaxForwards,
  ContentLength,
  ContentType,
  ContentEncoding,
  Route,
  RecordRoute,
  Authorization,
  ProxyAuthorization,
  WwwAuthenticate,
  ProxyAuthenticate,
  Expires,
  SessionExpires,
  MinSe,
  Supported,
  Require,
  ProxyRequire,
  Unsupported,
  Allow,
  AllowEvents,
  UserAgent,
  Server,
  Event,
  ReferTo,
  Subject,
  Accept,
  RSeq,
  RAck,
  Date,
  Timestamp,
  Warning,
  RetryAfter,
  ReplyTo
};
// Case-insensitive; compact forms too (RFC 3261 §7.3.3, RFC 3515, RFC 4028).
HeaderId headerIdFor(std::string_view name);
std::string_view canonicalHeaderName(HeaderId id);
// Headers whose value is a comma-separated list (RFC 3261 §7.3.1).
bool isListHeader(HeaderId id);

struct HeaderField {
  HeaderId id = HeaderId::Unknown;
  std::string_view name;
  std::string_view value;  // trimmed; folded lines already joined
};

// ";a=b;lr" parameter lists: finds `name` (case-insensitive); a parameter
// present without a value yields an empty view.
std::optional<std::string_view> findParam(std::string_view params, std::string_view name);

struct Uri {
  std::string_view scheme;  // compare case-insensitively
  std::string_view user;
  std::string_view password;
  std::string_view host;  // IPv6 without brackets
  uint16_t port = 0;      // 0: not given
  bool hostIsIpv6 = false;
  std::string_view params;   // without the leading ';'
  std::string_view headers;  // without the leading '?'

  static std::optional<Uri> parse(std::string_view text);
  std::optional<std::string_view> param(std::string_view name) const {
    return findParam(params, name);
  }
  bool isSip() const;  // sip: or sips:
};

struct NameAddr {
  std::string_view displayName;  // without quotes
  std::string_view uriText;      // between <>, or the bare addr-spec
  Uri uri;
  std::string_view params;  // header parameters, without the leading ';'

  static std::optional<NameAddr> parse(std::string_view text);
  std::optional<std::string_view> param(std::string_view name) const {
    return findParam(params, name);
  }
  std::string_view tag() const { return param("tag").value_or(std::string_view{}); }
};

struct Via {
  std::string_view protocolName;     // "SIP"
  std::string_view protocolVersion;  // "2.0"
  std::string_view transport;        // "UDP", "TCP", "TLS", "WS", "WSS", ...
  std::string_view host;
  uint16_t port = 0;
  bool hostIsIpv6 = false;
  std::string_view params;

  static std::optional<Via> parse(std::string_view oneViaValue);
  std::optional<std::string_view> param(std::string_view name) const {
    return findParam(params, name);
  }
  std::string_view branch() const { return param("branch").value_or(std::string_view{}); }
};

struct CSeq {
  uint32_t number = 0;
  Method method = Method::Unknown;
  std::string_view methodName;

  static std::optional<CSeq> parse(std::string_view text);
};

// RFC 3261 token characters (§25.1).
bool isTokenChar(char c);
bool isToken(std::string_view text);

}  // namespace callgate::sip
