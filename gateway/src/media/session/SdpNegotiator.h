#pragma once
// Offer/answer for a call whose media the gateway anchors (RFC 3264). Each
// leg gets SDP of its own kind: WebRTC (UDP/TLS/RTP/SAVPF with ICE, DTLS
// fingerprint, rtcp-mux, BUNDLE) toward browsers, RTP/AVP (or RTP/SAVP with
// SDES) toward SIP peers. An offer from one side becomes an offer to the
// other listing codecs both sides share first, so the far side's choice can
// be relayed untranscoded; the answer to the first side is written only
// when the far side has answered, with the same codec when it can be and a
// transcodable one when not. Pure functions on the signalling thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "media/bridge/StreamFormat.h"
#include "media/sdp/SessionDescription.h"

namespace callgate::media::session {

enum class LegKind : uint8_t { WebRtc, Rtp };

struct CodecChoice {
  bridge::AudioCodec codec = bridge::AudioCodec::Pcmu;
  uint8_t payloadType = 0;
  uint32_t clockRate = 8000;
  uint32_t channels = 1;
  std::string fmtp;
  bool operator==(const CodecChoice&) const = default;
};

// What one side's offer or answer says about its audio stream.
struct RemoteAudio {
  size_t mediaIndex = 0;  // the m= section carrying the audio we use
  LegKind kind = LegKind::Rtp;
  std::vector<CodecChoice> codecs;  // codecs we know, in the side's order
  std::optional<uint8_t> telephoneEvent8k;
  std::optional<uint8_t> telephoneEvent48k;
  sdp::Direction direction = sdp::Direction::SendRecv;
  std::string address;  // c= (0.0.0.0 on an RFC 2543 hold)
  uint16_t port = 0;
  std::optional<uint16_t> rtcpPort;
  bool rtcpMux = false;
  std::string mid;
  // WebRTC
  std::string iceUfrag, icePassword;
  std::vector<std::string> candidates;  // "candidate:..." values
  std::string fingerprintAlgorithm, fingerprint;
  sdp::Setup setup = sdp::Setup::None;
  // RTP/SAVP
  bool savp = false;
  std::vector<sdp::Crypto> crypto;
};

// Reads the first usable audio section; nullopt with a reason fit for a
// SIP 488 when there is none or it lacks what its profile needs.
std::optional<RemoteAudio> readAudio(const sdp::SessionDescription& description,
                                     std::string* error);

// What we put in our own SDP for one leg.
struct LocalTransport {
  std::string address;  // advertised IP for c= and o=
  uint16_t rtpPort = 9;
  uint16_t rtcpPort = 0;  // 0 = rtpPort + 1 (nothing written)
  // WebRTC
  std::string iceUfrag, icePassword;
  std::vector<std::string> candidates;
  std::string fingerprintAlgorithm, fingerprint;
  // RTP/SAVP: our inline key (base64 of key||salt) and its suite
  std::string sdesSuite;
  std::string sdesKeyBase64;
  // Our stream toward this leg
  uint32_t ssrc = 0;
  std::string cname;
  std::string msidStream;
  std::string msidTrack;
  // o= line: the version goes up with every new SDP on the leg (RFC 3264 §8)
  uint64_t sessionId = 0;
  uint64_t sessionVersion = 0;
};

struct LegProfile {
  LegKind kind = LegKind::Rtp;
  std::vector<bridge::AudioCodec> codecs;  // allowed, in order of preference
  bool sdes = false;                       // RTP/SAVP toward this leg
};

// An offer toward a leg. Codecs in `shared` (offered by the other side)
// come first so the answer can be relayed without transcoding. `setup`:
// actpass on a first offer, our established role on a re-offer.
sdp::SessionDescription makeOffer(const LegProfile& profile,
                                  const std::vector<bridge::AudioCodec>& shared,
                                  const LocalTransport& local, sdp::Direction direction,
                                  sdp::Setup setup);

// The answer to `offer` (whose audio `audio` describes) with `codec`; every
// other m= section is rejected with port 0 and left out of BUNDLE.
sdp::SessionDescription makeAnswer(const sdp::SessionDescription& offer, const RemoteAudio& audio,
                                   const CodecChoice& codec, const LocalTransport& local,
                                   sdp::Direction direction, sdp::Setup setup);

// The codec to answer an offer with when the other leg carries `other`:
// the same one if offered and allowed (relay), else the first offered one
// that is allowed (transcode). nullopt when none is allowed.
std::optional<CodecChoice> chooseAnswerCodec(const RemoteAudio& offer,
                                             const std::vector<bridge::AudioCodec>& allowed,
                                             bridge::AudioCodec other);

// RFC 3264 §6.1: the direction an answer takes to an offered one, given
// what we want ourselves.
sdp::Direction answerDirection(sdp::Direction offered, sdp::Direction wanted);

// The bridge's view of a leg: its codec and telephone-event payload type.
bridge::StreamFormat streamFormat(const CodecChoice& codec, const RemoteAudio& side);

// The DTLS role our answer takes to an offered a=setup (RFC 5763 §5): active
// unless the offerer insists on being active itself.
sdp::Setup answerSetup(sdp::Setup offered);

std::vector<bridge::AudioCodec> codecsOf(const RemoteAudio& audio);
// Opus, PCMU, PCMA: every codec the gateway can relay or transcode.
std::vector<bridge::AudioCodec> allAudioCodecs();

}  // namespace callgate::media::session
