#include "media/sdp/Candidate.h"

#include "media/sdp/SdpText.h"

namespace callgate::media::sdp {
namespace {

// RFC 8839 §5.1: ice-char = ALPHA / DIGIT / "+" / "/".
bool isIceChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

bool validFoundation(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!isIceChar(c)) return false;
  }
  return true;
}

std::optional<Candidate> fail(std::string* error, const char* why) {
  if (error != nullptr) *error = why;
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> Candidate::extension(std::string_view name) const {
  for (const auto& [key, value] : extensions) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<Candidate> parseCandidate(std::string_view valueAfterColon, std::string* error) {
  auto value = text::trim(valueAfterColon);
  constexpr std::string_view kPrefix = "candidate:";
  if (value.size() >= kPrefix.size() &&
      text::equalsIgnoreCase(value.substr(0, kPrefix.size()), kPrefix)) {
    value.remove_prefix(kPrefix.size());
  }
  text::Tokens tokens(value);
  Candidate c;

  const auto foundation = tokens.next();
  if (!validFoundation(foundation)) return fail(error, "bad foundation");
  c.foundation = foundation;

  // RFC 8839 §5.1: component-id = 1*3DIGIT, between 1 and 256.
  const auto component = text::parseNumber<uint32_t>(tokens.next());
  if (!component || *component < 1 || *component > 256) return fail(error, "bad component id");
  c.component = *component;

  const auto transport = tokens.next();
  if (transport.empty()) return fail(error, "missing transport");
  c.transport = transport;

  const auto priority = text::parseNumber<uint32_t>(tokens.next());
  if (!priority) return fail(error, "bad priority");
  c.priority = *priority;

  const auto address = tokens.next();
  if (address.empty()) return fail(error, "missing address");
  c.address = address;

  const auto port = text::parseNumber<uint16_t>(tokens.next());
  if (!port) return fail(error, "bad port");
  c.port = *port;

  if (tokens.next() != "typ") return fail(error, "missing typ");
  const auto type = tokens.next();
  if (type.empty()) return fail(error, "missing candidate type");
  c.type = type;

  bool haveRaddr = false;
  bool haveRport = false;
  while (!tokens.atEnd()) {
    const auto name = tokens.next();
    const auto extValue = tokens.next();
    if (extValue.empty()) return fail(error, "extension without value");
    if (name == "typ") return fail(error, "duplicate typ");
    if (name == "raddr") {
      if (haveRaddr) return fail(error, "duplicate raddr");
      haveRaddr = true;
      c.relatedAddress = extValue;
    } else if (name == "rport") {
      const auto relatedPort = text::parseNumber<uint16_t>(extValue);
      if (haveRport || !relatedPort) return fail(error, "bad rport");
      haveRport = true;
      c.relatedPort = *relatedPort;
    } else {
      c.extensions.emplace_back(name, extValue);
    }
  }
  return c;
}

std::string writeCandidate(const Candidate& c) {
  std::string out;
  out.reserve(96 + c.address.size() + c.relatedAddress.size());
  out += c.foundation;
  out += ' ';
  out += std::to_string(c.component);
  out += ' ';
  out += c.transport;
  out += ' ';
  out += std::to_string(c.priority);
  out += ' ';
  out += c.address;
  out += ' ';
  out += std::to_string(c.port);
  out += " typ ";
  out += c.type;
  // rport 0 is what an absent rport reads as, so it is left out: the line
  // never grows past what was received.
  if (!c.relatedAddress.empty()) {
    out += " raddr ";
    out += c.relatedAddress;
  }
  if (c.relatedPort != 0) {
    out += " rport ";
    out += std::to_string(c.relatedPort);
  }
  for (const auto& [name, value] : c.extensions) {
    out += ' ';
    out += name;
    out += ' ';
    out += value;
  }
  return out;
}

}  // namespace callgate::media::sdp
