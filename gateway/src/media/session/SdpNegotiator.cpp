#include "media/session/SdpNegotiator.h"

#include <algorithm>
#include <cctype>

#include "media/sdp/Candidate.h"

namespace callgate::media::session {
namespace {

using bridge::AudioCodec;

constexpr uint8_t kOpusPayloadType = 111;
constexpr uint8_t kTelephoneEvent8kPayloadType = 101;
constexpr uint8_t kTelephoneEvent48kPayloadType = 110;
constexpr char kOpusFmtp[] = "minptime=10;useinbandfec=1";

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<AudioCodec> codecOf(const sdp::Format& f) {
  if (equalsNoCase(f.encoding, "opus") && f.clockRate == 48000) return AudioCodec::Opus;
  if (equalsNoCase(f.encoding, "PCMU") && f.clockRate == 8000) return AudioCodec::Pcmu;
  if (equalsNoCase(f.encoding, "PCMA") && f.clockRate == 8000) return AudioCodec::Pcma;
  return std::nullopt;
}

CodecChoice standardChoice(AudioCodec codec) {
  switch (codec) {
    case AudioCodec::Opus:
      return {AudioCodec::Opus, kOpusPayloadType, 48000, 2, kOpusFmtp};
    case AudioCodec::Pcma:
      return {AudioCodec::Pcma, 8, 8000, 1, ""};
    case AudioCodec::Pcmu:
      break;
  }
  return {AudioCodec::Pcmu, 0, 8000, 1, ""};
}

std::string encodingName(AudioCodec codec) {
  switch (codec) {
    case AudioCodec::Opus:
      return "opus";
    case AudioCodec::Pcma:
      return "PCMA";
    case AudioCodec::Pcmu:
      break;
  }
  return "PCMU";
}

sdp::Format formatOf(const CodecChoice& c) {
  sdp::Format f;
  f.payloadType = c.payloadType;
  f.encoding = encodingName(c.codec);
  f.clockRate = c.clockRate;
  f.channels = c.channels;
  f.fmtp = c.fmtp;
  return f;
}

sdp::Format telephoneEvent(uint8_t payloadType, uint32_t clockRate) {
  sdp::Format f;
  f.payloadType = payloadType;
  f.encoding = "telephone-event";
  f.clockRate = clockRate;
  f.fmtp = "0-16";
  return f;
}

std::string addressType(const std::string& address) {
  return address.find(':') == std::string::npos ? "IP4" : "IP6";
}

sdp::SessionDescription sessionShell(const LocalTransport& local) {
  sdp::SessionDescription s;
  s.origin.username = "-";
  s.origin.sessionId = local.sessionId;
  s.origin.sessionVersion = local.sessionVersion;
  s.origin.addressType = addressType(local.address);
  s.origin.address = local.address;
  s.sessionName = "Callgate";
  return s;
}

void addTransport(sdp::MediaDescription& m, LegKind kind, const LocalTransport& local,
                  sdp::Setup setup) {
  m.connection = sdp::Connection{addressType(local.address), local.address};
  m.port = local.rtpPort;
  if (kind == LegKind::WebRtc) {
    m.iceUfrag = local.iceUfrag;
    m.icePwd = local.icePassword;
    m.fingerprints.push_back({local.fingerprintAlgorithm, local.fingerprint});
    m.setup = setup;
    m.rtcpMux = true;
    for (const auto& value : local.candidates) {
      std::string error;
      if (auto c = sdp::parseCandidate(value, &error)) m.candidates.push_back(std::move(*c));
    }
    m.endOfCandidates = true;
    if (!m.candidates.empty()) m.port = m.candidates.front().port;
    // Chromium plays only the SSRC an SDP announced (or any when none is).
    m.ssrcs.push_back({local.ssrc, "cname", local.cname});
    if (!local.msidStream.empty()) {
      m.msid = local.msidStream + " " + local.msidTrack;
      m.ssrcs.push_back({local.ssrc, "msid", local.msidStream + " " + local.msidTrack});
    }
  } else if (local.rtcpPort != 0 && local.rtcpPort != local.rtpPort + 1) {
    m.rtcpPort = local.rtcpPort;
  }
}

sdp::Crypto ourCrypto(uint32_t tag, const LocalTransport& local) {
  sdp::Crypto c;
  c.tag = tag;
  c.suite = local.sdesSuite;
  c.keyParams = "inline:" + local.sdesKeyBase64;
  return c;
}

bool supportedSdesSuite(std::string_view suite) {
  return suite == "AES_CM_128_HMAC_SHA1_80" || suite == "AEAD_AES_128_GCM";
}

}  // namespace

std::vector<AudioCodec> allAudioCodecs() {
  std::vector<AudioCodec> all;
  all.push_back(AudioCodec::Opus);
  all.push_back(AudioCodec::Pcmu);
  all.push_back(AudioCodec::Pcma);
  return all;
}

std::vector<AudioCodec> codecsOf(const RemoteAudio& audio) {
  std::vector<AudioCodec> out;
  for (const auto& c : audio.codecs) out.push_back(c.codec);
  return out;
}

std::optional<RemoteAudio> readAudio(const sdp::SessionDescription& d, std::string* error) {
  auto fail = [&](std::string reason) -> std::optional<RemoteAudio> {
    if (error) *error = std::move(reason);
    return std::nullopt;
  };
  const sdp::MediaDescription* m = nullptr;
  RemoteAudio audio;
  for (size_t i = 0; i < d.media.size(); ++i) {
    const auto& candidate = d.media[i];
    if (candidate.type == "audio" && candidate.port != 0 && candidate.isRtp()) {
      m = &candidate;
      audio.mediaIndex = i;
      break;
    }
  }
  if (!m) return fail("no audio stream");
  const auto& proto = m->protocol;
  if (proto.find("TLS") != std::string::npos || proto.find("SAVPF") != std::string::npos) {
    audio.kind = LegKind::WebRtc;
  } else if (proto == "RTP/SAVP") {
    audio.savp = true;
  } else if (proto != "RTP/AVP" && proto != "RTP/AVPF") {
    return fail("unsupported media profile " + proto);
  }
  for (const auto& f : m->formats) {
    if (auto codec = codecOf(f)) {
      audio.codecs.push_back({*codec, f.payloadType, f.clockRate, f.channels, f.fmtp});
    } else if (equalsNoCase(f.encoding, "telephone-event")) {
      if (f.clockRate == 8000 && !audio.telephoneEvent8k) audio.telephoneEvent8k = f.payloadType;
      if (f.clockRate == 48000 && !audio.telephoneEvent48k) audio.telephoneEvent48k = f.payloadType;
    }
  }
  if (audio.codecs.empty()) return fail("no supported audio codec (opus, PCMU, PCMA)");
  audio.direction = sdp::effectiveDirection(d, *m);
  const auto connection = sdp::effectiveConnection(d, *m);
  if (!connection) return fail("audio stream without a connection address");
  audio.address = connection->address;
  audio.port = m->port;
  audio.rtcpPort = m->rtcpPort;
  audio.rtcpMux = m->rtcpMux;
  audio.mid = m->mid;
  if (audio.kind == LegKind::WebRtc) {
    const auto [ufrag, pwd] = sdp::effectiveIceCredentials(d, *m);
    audio.iceUfrag = std::string(ufrag);
    audio.icePassword = std::string(pwd);
    if (audio.iceUfrag.empty() || audio.icePassword.empty())
      return fail("WebRTC audio without ICE credentials");
    for (const auto& c : m->candidates)
      audio.candidates.push_back("candidate:" + sdp::writeCandidate(c));
    const auto& fingerprints = sdp::effectiveFingerprints(d, *m);
    if (fingerprints.empty()) return fail("WebRTC audio without a DTLS fingerprint");
    audio.fingerprintAlgorithm = fingerprints.front().algorithm;
    audio.fingerprint = fingerprints.front().value;
    audio.setup = sdp::effectiveSetup(d, *m);
  }
  if (audio.savp) {
    for (const auto& c : m->crypto) {
      if (supportedSdesSuite(c.suite)) audio.crypto.push_back(c);
    }
    if (audio.crypto.empty()) return fail("RTP/SAVP without a crypto suite we support");
  }
  return audio;
}

sdp::SessionDescription makeOffer(const LegProfile& profile, const std::vector<AudioCodec>& shared,
                                  const LocalTransport& local, sdp::Direction direction,
                                  sdp::Setup setup) {
  auto s = sessionShell(local);
  sdp::MediaDescription m;
  m.type = "audio";
  m.protocol = profile.kind == LegKind::WebRtc ? "UDP/TLS/RTP/SAVPF"
               : profile.sdes                  ? "RTP/SAVP"
                                               : "RTP/AVP";
  std::vector<AudioCodec> order;
  for (auto c : profile.codecs) {
    if (std::find(shared.begin(), shared.end(), c) != shared.end()) order.push_back(c);
  }
  for (auto c : profile.codecs) {
    if (std::find(order.begin(), order.end(), c) == order.end()) order.push_back(c);
  }
  bool opus = false;
  for (auto c : order) {
    m.formats.push_back(formatOf(standardChoice(c)));
    opus = opus || c == AudioCodec::Opus;
  }
  if (opus) m.formats.push_back(telephoneEvent(kTelephoneEvent48kPayloadType, 48000));
  m.formats.push_back(telephoneEvent(kTelephoneEvent8kPayloadType, 8000));
  for (const auto& f : m.formats) m.formatTokens.push_back(std::to_string(f.payloadType));
  m.direction = direction;
  addTransport(m, profile.kind, local, setup);
  if (profile.kind == LegKind::WebRtc) {
    m.mid = "0";
    s.groups.push_back({"BUNDLE", {"0"}});
    s.msidSemantic = "WMS " + local.msidStream;
  } else {
    m.ptime = 20;
    if (profile.sdes) m.crypto.push_back(ourCrypto(1, local));
  }
  s.media.push_back(std::move(m));
  return s;
}

sdp::SessionDescription makeAnswer(const sdp::SessionDescription& offer, const RemoteAudio& audio,
                                   const CodecChoice& codec, const LocalTransport& local,
                                   sdp::Direction direction, sdp::Setup setup) {
  auto s = sessionShell(local);
  for (size_t i = 0; i < offer.media.size(); ++i) {
    const auto& offered = offer.media[i];
    sdp::MediaDescription m;
    m.type = offered.type;
    m.protocol = offered.protocol;
    m.mid = offered.mid;
    if (i != audio.mediaIndex) {
      // Rejected (RFC 3264 §6): port 0 and one format of the offer's.
      m.port = 0;
      if (!offered.formatTokens.empty()) m.formatTokens.push_back(offered.formatTokens.front());
      if (offered.isRtp() && !offered.formats.empty()) m.formats.push_back(offered.formats.front());
      m.connection = sdp::Connection{addressType(local.address), local.address};
      s.media.push_back(std::move(m));
      continue;
    }
    m.formats.push_back(formatOf(codec));
    const auto te = codec.clockRate == 48000 && audio.telephoneEvent48k ? audio.telephoneEvent48k
                    : audio.telephoneEvent8k                            ? audio.telephoneEvent8k
                                                                        : audio.telephoneEvent48k;
    if (te) {
      m.formats.push_back(telephoneEvent(*te, *te == audio.telephoneEvent48k ? 48000 : 8000));
    }
    for (const auto& f : m.formats) m.formatTokens.push_back(std::to_string(f.payloadType));
    m.direction = direction;
    addTransport(m, audio.kind, local, setup);
    if (audio.kind == LegKind::Rtp) {
      if (audio.rtcpMux) m.rtcpMux = true;
      m.ptime = 20;
      if (audio.savp && !audio.crypto.empty()) {
        LocalTransport keyed = local;
        keyed.sdesSuite = audio.crypto.front().suite;
        m.crypto.push_back(ourCrypto(audio.crypto.front().tag, keyed));
      }
    }
    s.media.push_back(std::move(m));
  }
  if (audio.kind == LegKind::WebRtc && sdp::findGroup(offer, "BUNDLE") && !audio.mid.empty()) {
    s.groups.push_back({"BUNDLE", {audio.mid}});
    s.msidSemantic = "WMS " + local.msidStream;
  }
  return s;
}

std::optional<CodecChoice> chooseAnswerCodec(const RemoteAudio& offer,
                                             const std::vector<AudioCodec>& allowed,
                                             AudioCodec other) {
  auto isAllowed = [&](AudioCodec c) {
    return std::find(allowed.begin(), allowed.end(), c) != allowed.end();
  };
  for (const auto& c : offer.codecs) {
    if (c.codec == other && isAllowed(c.codec)) return c;
  }
  for (const auto& c : offer.codecs) {
    if (isAllowed(c.codec)) return c;
  }
  return std::nullopt;
}

sdp::Direction answerDirection(sdp::Direction offered, sdp::Direction wanted) {
  const bool theySend = offered == sdp::Direction::SendRecv || offered == sdp::Direction::SendOnly;
  const bool theyReceive =
      offered == sdp::Direction::SendRecv || offered == sdp::Direction::RecvOnly;
  const bool weSend =
      theyReceive && (wanted == sdp::Direction::SendRecv || wanted == sdp::Direction::SendOnly);
  const bool weReceive =
      theySend && (wanted == sdp::Direction::SendRecv || wanted == sdp::Direction::RecvOnly);
  if (weSend && weReceive) return sdp::Direction::SendRecv;
  if (weSend) return sdp::Direction::SendOnly;
  if (weReceive) return sdp::Direction::RecvOnly;
  return sdp::Direction::Inactive;
}

bridge::StreamFormat streamFormat(const CodecChoice& codec, const RemoteAudio& side) {
  bridge::StreamFormat f;
  f.codec = codec.codec;
  f.payloadType = codec.payloadType;
  f.clockRate = codec.clockRate;
  if (codec.clockRate == 48000 && side.telephoneEvent48k) {
    f.telephoneEventPayloadType = side.telephoneEvent48k;
    f.telephoneEventClockRate = 48000;
  } else if (side.telephoneEvent8k) {
    f.telephoneEventPayloadType = side.telephoneEvent8k;
    f.telephoneEventClockRate = 8000;
  } else if (side.telephoneEvent48k) {
    f.telephoneEventPayloadType = side.telephoneEvent48k;
    f.telephoneEventClockRate = 48000;
  }
  return f;
}

sdp::Setup answerSetup(sdp::Setup offered) {
  return offered == sdp::Setup::Active ? sdp::Setup::Passive : sdp::Setup::Active;
}

}  // namespace callgate::media::session
