#pragma once
// The SDP model (RFC 8866) with the WebRTC and SIP attributes the gateway
// negotiates pulled out into typed fields; every other attribute is kept
// verbatim, in order, so nothing a peer sent is lost when a description is
// parsed and written again. All strings are owned: a description outlives
// the message it came from.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "media/sdp/Candidate.h"

namespace callgate::media::sdp {

enum class Direction : uint8_t { SendRecv, SendOnly, RecvOnly, Inactive };
enum class Setup : uint8_t { None, ActPass, Active, Passive, HoldConn };  // RFC 4145 §4

// c=IN <addressType> <address>; the address as written (multicast TTL and
// count suffixes included).
struct Connection {
  std::string addressType = "IP4";
  std::string address;
  bool operator==(const Connection&) const = default;
};

// o=<username> <sess-id> <sess-version> IN <addrtype> <address> (RFC 8866 §5.2).
struct Origin {
  std::string username = "-";
  uint64_t sessionId = 0;
  uint64_t sessionVersion = 0;
  std::string addressType = "IP4";
  std::string address = "0.0.0.0";
  bool operator==(const Origin&) const = default;
};

// One RTP payload type of a media section: its a=rtpmap, a=fmtp and a=rtcp-fb.
struct Format {
  uint8_t payloadType = 0;
  std::string encoding;  // as written ("opus", "PCMU", "telephone-event")
  uint32_t clockRate = 0;
  uint32_t channels = 1;
  std::string fmtp;                       // parameters after the payload type
  std::vector<std::string> rtcpFeedback;  // "nack", "nack pli", "transport-cc" ...
  bool operator==(const Format&) const = default;
};

// a=fingerprint (RFC 8122 §5).
struct Fingerprint {
  std::string algorithm;  // lower-case ("sha-256")
  std::string value;      // as written
  bool operator==(const Fingerprint&) const = default;
};

// a=crypto:<tag> <suite> <key-params> [<session-params>] (RFC 4568 §9.1).
struct Crypto {
  uint32_t tag = 0;
  std::string suite;
  std::string keyParams;  // "inline:<key||salt>[|lifetime][|MKI:length]"
  std::string sessionParams;
  bool operator==(const Crypto&) const = default;
};

// a=ssrc:<ssrc> <attribute>[:<value>] (RFC 5576 §4.1).
struct SsrcAttribute {
  uint32_t ssrc = 0;
  std::string attribute;
  std::string value;
  bool operator==(const SsrcAttribute&) const = default;
};

// Any attribute kept verbatim: a=<name> or a=<name>:<value>.
struct Attribute {
  std::string name;
  std::string value;
  bool hasValue = false;
  bool operator==(const Attribute&) const = default;
};

// a=group:<semantics> <id>... (RFC 5888) and a=ssrc-group (RFC 5576 §4.2).
struct Group {
  std::string semantics;
  std::vector<std::string> ids;
  bool operator==(const Group&) const = default;
};

struct MediaDescription {
  std::string type;  // audio, video, application ...
  uint16_t port = 0;
  uint16_t portCount = 0;                 // m=<media> <port>/<count>; 0 = not written
  std::string protocol;                   // RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF ...
  std::vector<std::string> formatTokens;  // as in the m= line
  // One per payload type on an RTP m= line, in m= order. Static payload types
  // (RFC 3551 §6) get their encoding without an a=rtpmap.
  std::vector<Format> formats;
  std::optional<Connection> connection;
  std::vector<std::string> bandwidth;  // raw "AS:64", "TIAS:64000"
  std::optional<Direction> direction;
  std::string mid;
  std::string iceUfrag, icePwd;
  std::vector<std::string> iceOptions;
  std::vector<Candidate> candidates;
  bool endOfCandidates = false;
  std::vector<Fingerprint> fingerprints;
  Setup setup = Setup::None;
  bool rtcpMux = false;
  bool rtcpRsize = false;
  std::optional<uint16_t> rtcpPort;  // a=rtcp:<port> [IN <type> <addr>] (RFC 3605)
  std::optional<Connection> rtcpConnection;
  std::vector<SsrcAttribute> ssrcs;
  std::vector<Group> ssrcGroups;
  std::string msid;
  std::vector<Crypto> crypto;
  std::optional<uint32_t> ptime, maxptime;
  std::vector<Attribute> extmaps;          // a=extmap, verbatim (name "extmap")
  std::vector<Attribute> otherAttributes;  // everything else, in order, verbatim

  bool operator==(const MediaDescription&) const = default;

  const Format* findFormat(uint8_t pt) const;
  Format* findFormat(uint8_t pt);
  bool isRtp() const;
};

struct SessionDescription {
  Origin origin;
  std::string sessionName = "-";
  std::optional<Connection> connection;
  std::vector<std::string> bandwidth;
  std::string timing = "0 0";
  std::vector<Group> groups;  // a=group:BUNDLE 0 1
  std::string iceUfrag, icePwd;
  bool iceLite = false;
  std::vector<std::string> iceOptions;
  std::vector<Fingerprint> fingerprints;
  Setup setup = Setup::None;
  std::optional<Direction> direction;
  std::string msidSemantic;  // "WMS *"
  std::vector<Attribute> otherAttributes;
  std::vector<MediaDescription> media;

  bool operator==(const SessionDescription&) const = default;
};

// Values a media section inherits from the session level when it has none of
// its own. Firefox writes the fingerprint at session level (RFC 8122 §5
// allows both); direction and c= follow RFC 8866 §5.14 and §5.7.
Direction effectiveDirection(const SessionDescription& session, const MediaDescription& media);
const std::vector<Fingerprint>& effectiveFingerprints(const SessionDescription& session,
                                                      const MediaDescription& media);
Setup effectiveSetup(const SessionDescription& session, const MediaDescription& media);
// {ufrag, pwd}, each taken from the media section when set there (RFC 8839 §5.4).
std::pair<std::string_view, std::string_view> effectiveIceCredentials(
    const SessionDescription& session, const MediaDescription& media);
std::optional<Connection> effectiveConnection(const SessionDescription& session,
                                              const MediaDescription& media);

// The first a=group with these semantics (compared case-insensitively), or null.
const Group* findGroup(const SessionDescription& session, std::string_view semantics);

std::string_view directionName(Direction direction);             // "sendrecv" ...
std::optional<Direction> parseDirection(std::string_view name);  // case-sensitive
std::string_view setupName(Setup setup);                         // "" for None
std::optional<Setup> parseSetup(std::string_view value);         // case-insensitive; never None

// The encoding a static payload type has without an a=rtpmap (RFC 3551 §6,
// Tables 4 and 5); nullopt for dynamic or unassigned types.
std::optional<Format> staticFormat(uint8_t payloadType);

// An RTP profile ("RTP/AVP", "UDP/TLS/RTP/SAVPF" ...): its formats are payload types.
bool isRtpProtocol(std::string_view protocol);

}  // namespace callgate::media::sdp
