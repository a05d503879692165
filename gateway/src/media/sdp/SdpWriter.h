#pragma once
// Serializes a SessionDescription in one canonical order with CRLF line ends
// (RFC 8866 §5). For any description parseSdp accepted,
// parseSdp(writeSdp(d)) == d.

#include <string>

#include "media/sdp/SessionDescription.h"

namespace callgate::media::sdp {

// Session: v o s [c] [b] t, then a=group, msid-semantic, ice-lite, ice-ufrag,
// ice-pwd, ice-options, fingerprint, setup, direction, the rest. Each media
// section: m, c, b, then a=rtcp, ice-ufrag, ice-pwd, ice-options,
// fingerprint, setup, mid, extmap, direction, rtcp-mux, rtcp-rsize, per
// format rtpmap/fmtp/rtcp-fb, ptime, maxptime, ssrc-group, ssrc, msid,
// crypto, candidate, end-of-candidates, the rest. Every format with an
// encoding gets an a=rtpmap, static payload types included.
std::string writeSdp(const SessionDescription& session);

}  // namespace callgate::media::sdp
