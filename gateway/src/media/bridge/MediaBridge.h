#pragma once
// Carries one call's audio between its two legs, on the call's media worker.
// The path is chosen when SDP is negotiated, not per packet: passthrough
// (payload type, SSRC, sequence and timestamp rewritten) when both legs
// share a codec, transcoding (jitter buffer, decode to 8 kHz PCM, encode)
// when they do not. Each side sees one SSRC from us for the whole call, with
// sequence numbers and timestamps that never jump back or reset — across
// hold, re-INVITE and a change of path — so SRTP rollover counters and
// receivers' jitter buffers stay in step. No allocation, lock or log line per
// packet.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "media/bridge/StreamFormat.h"

namespace callgate::media::bridge {

// Where a bridge sends what it produced for one side. `buffer` holds
// `length` bytes and has room for kSinkCapacity; the sink may rewrite it in
// place (SRTP protection).
inline constexpr size_t kSinkCapacity = 1500 + 144;
class PacketSink {
 public:
  virtual ~PacketSink() = default;
  virtual bool sendRtp(uint8_t* buffer, size_t length) = 0;
  virtual bool sendRtcp(uint8_t* buffer, size_t length) = 0;
};

enum class Side : uint8_t { A, B };

struct BridgeSettings {
  int opusComplexity = 5;
  int opusBitrate = 32000;
  int jitterBufferMaxMs = 200;
  std::string cname;  // RTCP SDES CNAME we send on both sides
};

struct BridgeStats {
  uint64_t relayed = 0;           // packets passed through unchanged in payload
  uint64_t transcodedFrames = 0;  // 20 ms frames encoded by us
  uint64_t concealedFrames = 0;   // frames made up by PLC
  uint64_t droppedWrongPayloadType = 0;
  uint64_t telephoneEvents = 0;  // RFC 4733 packets carried or generated
  uint64_t rtcpSent = 0;
  bool transcoding = false;
};

class MediaBridge {
 public:
  // `ssrcA`/`ssrcB` are the SSRCs we send toward each side (announced in SDP).
  static std::unique_ptr<MediaBridge> create(PacketSink& sideA, PacketSink& sideB, uint32_t ssrcA,
                                             uint32_t ssrcB, const BridgeSettings& settings);
  virtual ~MediaBridge() = default;

  // After every offer/answer: the formats each leg agreed, and whether each
  // leg may receive from us (its direction: sendrecv/recvonly yes,
  // sendonly/inactive no). May switch between passthrough and transcoding.
  // Returns false with *error when no path exists for these formats.
  virtual bool configure(const StreamFormat& formatA, bool sendToA, const StreamFormat& formatB,
                         bool sendToB, std::string* error) = 0;

  // Plain RTP/RTCP received from a side (already SRTP-unprotected). The
  // buffer may be rewritten in place.
  virtual void onRtp(Side from, std::span<uint8_t> packet, int64_t nowUs) = 0;
  virtual void onRtcp(Side from, std::span<uint8_t> packet, int64_t nowUs) = 0;
  // Every 20 ms: transcoding plays out its jitter buffers; RTCP reports are
  // sent when due (RFC 3550 §6.2, about every 5 s per side).
  virtual void onTick(int64_t nowUs) = 0;
  // An RFC 4733 event toward a side (DTMF that arrived as SIP INFO).
  virtual bool sendDtmf(Side to, char digit, int durationMs) = 0;

  virtual BridgeStats stats() const = 0;
};

}  // namespace callgate::media::bridge
