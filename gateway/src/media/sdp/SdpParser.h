#pragma once
// Parses an SDP body (RFC 8866) into a SessionDescription. The text is
// hostile: every count and length is bounded, numbers are range-checked, and
// a malformed field the gateway relies on (m=, c=, o=, rtpmap, candidate,
// fingerprint, crypto, ssrc, rtcp) rejects the whole description with a
// message naming the line. Attributes the gateway does not interpret are
// kept verbatim, never dropped.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "media/sdp/SessionDescription.h"

namespace callgate::media::sdp {

inline constexpr size_t kMaxSdpBytes = 64 * 1024;
inline constexpr size_t kMaxLineBytes = 4096;  // without the line end
inline constexpr size_t kMaxMediaSections = 64;
inline constexpr size_t kMaxFormatsPerMedia = 256;
// a= and b= lines in total. Each payload type of an RTP m= line counts once
// and its a=rtpmap does not, so a description written back (with an
// a=rtpmap for every static payload type) never holds more than it was
// charged for.
inline constexpr size_t kMaxAttributes = 1024;

// Accepts LF or CRLF line ends. v=0 must come first and o= must be present;
// a missing s= or t= (some phones omit them) reads as "-" and "0 0". Lines of
// unknown type (i=, u=, e=, p=, k=, z=, r= ...) are ignored. On failure
// returns nullopt and, when `error` is given, stores a message such as
// "line 7: m= line needs a port".
std::optional<SessionDescription> parseSdp(std::string_view text, std::string* error);

}  // namespace callgate::media::sdp
