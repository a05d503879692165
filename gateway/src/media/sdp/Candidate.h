#pragma once
// ICE candidates as carried in a=candidate (RFC 8839 §5.1, grammar from
// RFC 8445 §5.1 and RFC 6544 §4.5 for TCP): parsed into owned fields, written
// back in the canonical order.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callgate::media::sdp {

struct Candidate {
  std::string foundation;  // 1*32 ice-char
  uint32_t component = 1;  // 1..256; RTP 1, RTCP 2
  std::string transport;   // "udp"/"tcp" as written
  uint32_t priority = 0;
  std::string address;  // IPv4, IPv6 or FQDN (mDNS ".local" names too)
  uint16_t port = 0;
  std::string type;  // host/srflx/prflx/relay
  std::string relatedAddress;
  uint16_t relatedPort = 0;
  // Name/value pairs after typ/raddr/rport, in order: tcptype, generation,
  // ufrag, network-id, network-cost ...
  std::vector<std::pair<std::string, std::string>> extensions;

  bool operator==(const Candidate&) const = default;

  // The value of the first extension called `name`, if any.
  std::optional<std::string_view> extension(std::string_view name) const;
};

// Parses the text after "a=candidate:" (an optional leading "candidate:", as
// trickled candidates carry it, is skipped). On failure returns nullopt and,
// when `error` is given, stores why ("bad port").
std::optional<Candidate> parseCandidate(std::string_view valueAfterColon, std::string* error);

// The text after "a=candidate:", e.g.
// "1 1 udp 2122260223 192.0.2.1 54400 typ host generation 0".
std::string writeCandidate(const Candidate& candidate);

}  // namespace callgate::media::sdp
