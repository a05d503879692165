#include "media/sdp/SdpAttributes.h"

#include "media/sdp/SdpText.h"

namespace callgate::media::sdp {

std::optional<Connection> parseConnectionValue(std::string_view value) {
  text::Tokens tokens(value);
  const auto netType = tokens.next();
  const auto addrType = tokens.next();
  const auto address = tokens.next();
  if (netType != "IN" || addrType.empty() || address.empty() || !tokens.atEnd()) {
    return std::nullopt;
  }
  return Connection{std::string(addrType), std::string(address)};
}

std::optional<RtpMapEncoding> parseRtpMapEncoding(std::string_view text) {
  RtpMapEncoding out;
  const auto slash = text.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  out.encoding = text.substr(0, slash);
  for (char c : out.encoding) {
    if (text::isSpace(c)) return std::nullopt;
  }
  auto rest = text.substr(slash + 1);
  const auto slash2 = rest.find('/');
  const auto clock = text::parseNumber<uint32_t>(rest.substr(0, slash2));
  if (!clock) return std::nullopt;
  out.clockRate = *clock;
  if (slash2 != std::string_view::npos) {
    // RFC 8866 §6.6: for audio the optional parameter is the channel count.
    const auto channels = text::parseNumber<uint32_t>(rest.substr(slash2 + 1));
    if (!channels) return std::nullopt;
    out.channels = *channels;
  }
  return out;
}

std::optional<Fingerprint> parseFingerprintValue(std::string_view value) {
  const auto [algorithm, fingerprint] = text::splitHead(value);
  if (algorithm.empty() || fingerprint.empty()) return std::nullopt;
  Fingerprint out;
  out.algorithm.reserve(algorithm.size());
  // RFC 8122 §5: hash function names are compared case-insensitively.
  for (char c : algorithm) out.algorithm += text::toLower(c);
  out.value = fingerprint;
  return out;
}

std::optional<Crypto> parseCryptoValue(std::string_view value) {
  text::Tokens tokens(value);
  const auto tagText = tokens.next();
  // RFC 4568 §9.1: tag = 1*9DIGIT.
  if (tagText.size() > 9) return std::nullopt;
  const auto tag = text::parseNumber<uint32_t>(tagText);
  const auto suite = tokens.next();
  const auto keyParams = tokens.next();
  if (!tag || suite.empty() || keyParams.empty()) return std::nullopt;
  Crypto out;
  out.tag = *tag;
  out.suite = suite;
  out.keyParams = keyParams;
  out.sessionParams = tokens.rest();
  return out;
}

std::optional<SsrcAttribute> parseSsrcValue(std::string_view value) {
  const auto [ssrcText, rest] = text::splitHead(value);
  const auto ssrc = text::parseNumber<uint32_t>(ssrcText);
  if (!ssrc) return std::nullopt;
  SsrcAttribute out;
  out.ssrc = *ssrc;
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) {
    out.attribute = rest;
  } else {
    out.attribute = text::trim(rest.substr(0, colon));
    out.value = text::trim(rest.substr(colon + 1));
  }
  return out;
}

std::optional<Group> parseGroupValue(std::string_view value) {
  text::Tokens tokens(value);
  Group out;
  out.semantics = tokens.next();
  if (out.semantics.empty()) return std::nullopt;
  for (auto id = tokens.next(); !id.empty(); id = tokens.next()) out.ids.emplace_back(id);
  return out;
}

std::optional<RtcpValue> parseRtcpValue(std::string_view value) {
  const auto [portText, rest] = text::splitHead(value);
  const auto port = text::parseNumber<uint16_t>(portText);
  if (!port) return std::nullopt;
  RtcpValue out;
  out.port = *port;
  if (!rest.empty()) {
    out.connection = parseConnectionValue(rest);
    if (!out.connection) return std::nullopt;
  }
  return out;
}

}  // namespace callgate::media::sdp
