#pragma once
// Parsers for the values of single SDP lines and attributes with structure
// (c=, a=rtpmap, a=fingerprint, a=crypto, a=ssrc, a=group, a=rtcp). Each
// takes the trimmed text after "x=" or "a=name:" and returns nullopt when it
// is malformed; SdpParser decides whether that rejects the description or
// leaves the line verbatim.

#include <cstdint>
#include <optional>
#include <string_view>

#include "media/sdp/SessionDescription.h"

namespace callgate::media::sdp {

// "IN <addrtype> <address>" (RFC 8866 §5.7); the network type must be IN.
std::optional<Connection> parseConnectionValue(std::string_view value);

// "<encoding>/<clock rate>[/<channels>]" (RFC 8866 §6.6).
struct RtpMapEncoding {
  std::string_view encoding;
  uint32_t clockRate = 0;
  uint32_t channels = 1;
};
std::optional<RtpMapEncoding> parseRtpMapEncoding(std::string_view text);

// "<hash-func> <fingerprint>" (RFC 8122 §5); the algorithm is lower-cased.
std::optional<Fingerprint> parseFingerprintValue(std::string_view value);

// "<tag> <crypto-suite> <key-params> [<session-param> ...]" (RFC 4568 §9.1).
std::optional<Crypto> parseCryptoValue(std::string_view value);

// "<ssrc-id> <attribute>[:<value>]" (RFC 5576 §4.1).
std::optional<SsrcAttribute> parseSsrcValue(std::string_view value);

// "<semantics> [<id> ...]" for a=group (RFC 5888 §5) and a=ssrc-group.
std::optional<Group> parseGroupValue(std::string_view value);

// "<port> [IN <addrtype> <address>]" (RFC 3605 §2.1).
struct RtcpValue {
  uint16_t port = 0;
  std::optional<Connection> connection;
};
std::optional<RtcpValue> parseRtcpValue(std::string_view value);

}  // namespace callgate::media::sdp
