#include "media/bridge/CallBridge.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "media/codec/TelephoneEvent.h"
#include "media/rtp/RtpPacket.h"

namespace callgate::media::bridge {

namespace {

// Slots a stalled tick discards from the jitter buffers before it plays the
// newest ones; beyond that the buffers have resynchronised on their own.
constexpr int64_t kMaxDiscardSlots = 50;
constexpr size_t kMaxCname = 255;  // one SDES item (RFC 3550 §6.5)

uint32_t frameTicks(uint32_t clockRate) {
  return clockRate / 50;
}

// The SSRCs are random per call already (RFC 3550 §8.1); mixing them
// (splitmix64's finaliser) gives each call its own reproducible sequence.
uint64_t seedFrom(uint32_t ssrcA, uint32_t ssrcB) {
  uint64_t z = (uint64_t{ssrcA} << 32 | ssrcB) + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

bool checkFormat(const StreamFormat& f, const char* leg, std::string* error) {
  auto fail = [&](const char* what) {
    if (error) {
      *error = leg;
      *error += ": ";
      *error += what;
    }
    return false;
  };
  if (f.payloadType > 127) return fail("payload type out of range");
  const uint32_t expectedClock = f.codec == AudioCodec::Opus ? 48000 : 8000;
  if (f.clockRate != expectedClock) return fail("unsupported RTP clock rate for the codec");
  if (f.telephoneEventPayloadType) {
    if (*f.telephoneEventPayloadType > 127 || *f.telephoneEventPayloadType == f.payloadType) {
      return fail("bad telephone-event payload type");
    }
    if (f.telephoneEventClockRate < 1000 || f.telephoneEventClockRate > 192000) {
      return fail("unsupported telephone-event clock rate");
    }
  }
  return true;
}

}  // namespace

std::unique_ptr<MediaBridge> MediaBridge::create(PacketSink& sideA, PacketSink& sideB,
                                                 uint32_t ssrcA, uint32_t ssrcB,
                                                 const BridgeSettings& settings) {
  return std::make_unique<CallBridge>(sideA, sideB, ssrcA, ssrcB, settings);
}

CallBridge::CallBridge(PacketSink& sideA, PacketSink& sideB, uint32_t ssrcA, uint32_t ssrcB,
                       const BridgeSettings& settings)
    : settings_(settings),
      random_(seedFrom(ssrcA, ssrcB)),
      // RFC 3550 §5.1: random initial sequence number and timestamp.
      peers_{Peer(sideA, ssrcA, static_cast<uint16_t>(random_.next32()), random_.next32()),
             Peer(sideB, ssrcB, static_cast<uint16_t>(random_.next32()), random_.next32())} {
  if (settings_.cname.size() > kMaxCname) settings_.cname.resize(kMaxCname);
}

// ---- control plane -----------------------------------------------------------

bool CallBridge::configure(const StreamFormat& formatA, bool sendToA, const StreamFormat& formatB,
                           bool sendToB, std::string* error) {
  if (!checkFormat(formatA, "leg A", error) || !checkFormat(formatB, "leg B", error)) return false;
  const bool passthrough = sameCodec(formatA, formatB);
  const std::array<const StreamFormat*, 2> formats{&formatA, &formatB};

  // Build what the new path needs before touching anything, so a failure
  // leaves the call as it was.
  std::array<std::unique_ptr<Transcoder>, 2> fresh;
  if (!passthrough) {
    for (size_t i = 0; i < 2; ++i) {
      const StreamFormat& in = *formats[i];
      const StreamFormat& out = *formats[1 - i];
      const Transcoder* current = directions_[i].transcoder.get();
      if (current && current->from() == in.codec && current->fromClock() == in.clockRate &&
          current->to() == out.codec) {
        continue;  // same codecs: keep its state (re-INVITE for hold, new PTs)
      }
      fresh[i] = Transcoder::create(in.codec, in.clockRate, out.codec, settings_, error);
      if (!fresh[i]) return false;
    }
  }

  for (size_t i = 0; i < 2; ++i) {
    Direction& d = directions_[i];
    const StreamFormat& oldIn = peers_[i].format;
    const StreamFormat& oldOut = peers_[1 - i].format;
    if (passthrough) {
      // A new path or clock: the mapping starts over on the output timeline.
      if (!configured_ || d.transcoder || !sameCodec(oldIn, *formats[i]) ||
          !sameCodec(oldOut, *formats[1 - i])) {
        d.mapper.requireRebase();
      }
      d.transcoder.reset();
    } else if (fresh[i]) {
      d.transcoder = std::move(fresh[i]);
      d.timelineStarted = false;
      d.markNext = true;
    }
    d.events.reset();
  }
  peers_[0].format = formatA;
  peers_[0].sendTo = sendToA;
  peers_[1].format = formatB;
  peers_[1].sendTo = sendToB;
  for (Peer& p : peers_) {
    if (!p.format.telephoneEventPayloadType) p.dtmf.clear();
  }
  configured_ = true;
  stats_.transcoding = !passthrough;
  return true;
}

bool CallBridge::sendDtmf(Side to, char digit, int durationMs) {
  Peer& p = peer(to);
  if (!configured_ || !p.format.telephoneEventPayloadType || durationMs <= 0) return false;
  const auto event = codec::dtmfEventFromChar(digit);
  if (!event) return false;
  return p.dtmf.enqueue(*event, static_cast<uint32_t>(durationMs));
}

// ---- packet path -------------------------------------------------------------

void CallBridge::noteClock(int64_t nowUs) {
  if (haveWallOffset_) return;
  // SR NTP timestamps follow the caller's monotonic clock, anchored once to
  // the wall clock so they never jump with it.
  const auto wallUs = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  wallOffsetUs_ = wallUs - nowUs;
  haveWallOffset_ = true;
}

bool CallBridge::audioAllowed(Side to) const {
  const Peer& p = peer(to);
  return p.sendTo && !p.dtmf.toneOn();
}

void CallBridge::sendRtp(Side to, uint8_t payloadType, bool marker, uint16_t sequence,
                         uint32_t timestamp, size_t payloadLength, int64_t nowUs) {
  Peer& p = peer(to);
  p.out.send(p.sink, payloadType, marker, sequence, timestamp, payloadLength, nowUs);
  p.rtcp.mediaFlowing(nowUs, random_);
}

void CallBridge::onRtp(Side from, std::span<uint8_t> bytes, int64_t nowUs) {
  const auto packet = rtp::RtpPacket::parse(bytes);
  if (!packet || !configured_) return;
  noteClock(nowUs);
  Peer& src = peer(from);
  src.rtcp.onRtp(packet->ssrc(), packet->sequence(), packet->timestamp(), src.format.clockRate,
                 nowUs);
  src.rtcp.mediaFlowing(nowUs, random_);

  Direction& d = direction(from);
  if (d.source.observe(packet->ssrc(), packet->sequence())) {
    d.mapper.requireRebase();
    if (d.transcoder) d.transcoder->reset();
    d.markNext = true;
    d.events.reset();
  }
  if (d.transcoder) {
    transcodeInput(from, *packet, nowUs);
  } else {
    relay(from, *packet, nowUs);
  }
}

void CallBridge::relay(Side from, const rtp::RtpPacket& packet, int64_t nowUs) {
  const Side to = other(from);
  const StreamFormat& in = peer(from).format;
  Peer& dst = peer(to);
  Direction& d = direction(from);

  const uint8_t pt = packet.payloadType();
  uint8_t outPt = 0;
  bool event = false;
  if (pt == in.payloadType) {
    outPt = dst.format.payloadType;
  } else if (in.telephoneEventPayloadType && pt == *in.telephoneEventPayloadType &&
             dst.format.telephoneEventPayloadType &&
             in.telephoneEventClockRate == dst.format.telephoneEventClockRate) {
    outPt = *dst.format.telephoneEventPayloadType;
    event = true;
  } else {
    // Unknown payload types, and events the other leg cannot take.
    ++stats_.droppedWrongPayloadType;
    d.mapper.requireSequenceRebase(false);
    return;
  }
  const std::span<const uint8_t> payload = packet.payload();
  if (!audioAllowed(to) || payload.size() > OutputStream::kMaxPayload) {
    d.mapper.requireSequenceRebase(true);
    return;
  }
  const auto mapped = d.mapper.map(packet.sequence(), packet.timestamp(), packet.marker(), dst.out,
                                   dst.format.clockRate, nowUs);
  if (!mapped) return;
  // A fresh 12-byte header: CSRCs, header extensions and padding of the
  // incoming packet stay behind (their ids and meaning are per leg).
  if (!payload.empty()) std::memcpy(dst.out.payloadArea().data(), payload.data(), payload.size());
  sendRtp(to, outPt, mapped->marker, mapped->sequence, mapped->timestamp, payload.size(), nowUs);
  d.mapper.sent(dst.out);
  ++stats_.relayed;
  if (event) ++stats_.telephoneEvents;
}

void CallBridge::transcodeInput(Side from, const rtp::RtpPacket& packet, int64_t nowUs) {
  const Side to = other(from);
  const StreamFormat& in = peer(from).format;
  Peer& dst = peer(to);
  Direction& d = direction(from);

  const uint8_t pt = packet.payloadType();
  if (pt == in.payloadType) {
    d.transcoder->push(packet.sequence(), packet.timestamp(), packet.payload(), packet.marker(),
                       nowUs);
    return;
  }
  if (!in.telephoneEventPayloadType || pt != *in.telephoneEventPayloadType ||
      !dst.format.telephoneEventPayloadType) {
    ++stats_.droppedWrongPayloadType;
    return;
  }
  if (!audioAllowed(to)) return;
  // RFC 4733 events are forwarded, not decoded into tones.
  const uint32_t start =
      d.events.startsEvent(packet.timestamp()) ? nextTimestampToward(to, nowUs) : 0;
  const auto forward =
      d.events.relay(packet.payload(), packet.timestamp(), in.telephoneEventClockRate,
                     dst.format.telephoneEventClockRate, start, nowUs, dst.out.payloadArea());
  if (!forward) return;
  sendRtp(to, *dst.format.telephoneEventPayloadType, forward->marker, dst.out.nextSequence(),
          forward->timestamp, forward->length, nowUs);
  ++stats_.telephoneEvents;
}

uint32_t CallBridge::nextTimestampToward(Side to, int64_t nowUs) {
  Direction& d = direction(other(to));
  if (d.transcoder) {
    if (!d.timelineStarted) startTimeline(d, to, nowUs);
    return d.nextSlotTimestamp;
  }
  const Peer& p = peer(to);
  return p.out.continuationTimestamp(nowUs, p.format.clockRate);
}

void CallBridge::startTimeline(Direction& d, Side to, int64_t nowUs) {
  const Peer& p = peer(to);
  d.nextSlotTimestamp = p.out.continuationTimestamp(nowUs, p.format.clockRate);
  d.timelineStarted = true;
}

void CallBridge::onRtcp(Side from, std::span<uint8_t> packet, int64_t nowUs) {
  // Terminated here, never forwarded; malformed compounds are ignored.
  peer(from).rtcp.onRtcp(packet, nowUs);
}

// ---- the 20 ms tick ----------------------------------------------------------

void CallBridge::onTick(int64_t nowUs) {
  if (!configured_) return;
  noteClock(nowUs);
  runDtmf(Side::A, nowUs);
  runDtmf(Side::B, nowUs);

  if (!haveSchedule_) {
    haveSchedule_ = true;
    nextSlotUs_ = nowUs;
  }
  if (nowUs >= nextSlotUs_) {
    const int64_t due = (nowUs - nextSlotUs_) / kSlotUs + 1;
    const int64_t play = std::min<int64_t>(due, kMaxCatchUpSlots);
    if (due > play) {
      skipSlots(Side::A, due - play, nowUs);
      skipSlots(Side::B, due - play, nowUs);
    }
    for (int64_t i = 0; i < play; ++i) {
      playSlot(Side::A, nowUs);
      playSlot(Side::B, nowUs);
    }
    nextSlotUs_ += due * kSlotUs;
  }

  runRtcp(Side::A, nowUs);
  runRtcp(Side::B, nowUs);
}

void CallBridge::playSlot(Side from, int64_t nowUs) {
  Direction& d = direction(from);
  if (!d.transcoder) return;
  const Side to = other(from);
  Peer& dst = peer(to);
  const bool produce = audioAllowed(to) && !d.events.muting(nowUs);
  const Transcoder::Slot slot = d.transcoder->play(nowUs, produce, dst.out.payloadArea());
  if (!d.timelineStarted) {
    if (!slot.due) return;  // nothing has arrived yet: send nothing
    startTimeline(d, to, nowUs);
  }
  // Once started, the timeline advances every slot, sent or not, so the
  // timestamps follow wall time through silence, hold and events.
  const uint32_t timestamp = d.nextSlotTimestamp;
  d.nextSlotTimestamp += frameTicks(dst.format.clockRate);
  if (!slot.due) return;
  if (!produce) {
    d.markNext = true;
    return;
  }
  if (slot.concealed) ++stats_.concealedFrames;
  if (slot.bytes == 0) return;
  ++stats_.transcodedFrames;
  sendRtp(to, dst.format.payloadType, slot.marker || d.markNext, dst.out.nextSequence(), timestamp,
          slot.bytes, nowUs);
  d.markNext = false;
}

void CallBridge::skipSlots(Side from, int64_t count, int64_t nowUs) {
  Direction& d = direction(from);
  if (!d.transcoder) return;
  const Peer& dst = peer(other(from));
  for (int64_t i = 0; i < std::min(count, kMaxDiscardSlots); ++i) {
    d.transcoder->play(nowUs, false, {});
  }
  if (d.timelineStarted) {
    d.nextSlotTimestamp +=
        static_cast<uint32_t>(static_cast<uint64_t>(count) * frameTicks(dst.format.clockRate));
    d.markNext = true;
  }
}

void CallBridge::runDtmf(Side to, int64_t nowUs) {
  Peer& p = peer(to);
  if (p.dtmf.idle()) return;
  if (!p.format.telephoneEventPayloadType) {
    p.dtmf.clear();
    return;
  }
  if (p.dtmf.readyToStart()) {
    p.dtmf.start(nowUs, nextTimestampToward(to, nowUs), p.format.telephoneEventClockRate);
  }
  while (const auto packet = p.dtmf.due(nowUs)) {
    if (!p.sendTo) continue;  // on hold: the digit is not heard
    std::memcpy(p.out.payloadArea().data(), packet->payload.data(), packet->payload.size());
    sendRtp(to, *p.format.telephoneEventPayloadType, packet->marker, p.out.nextSequence(),
            p.dtmf.timestamp(), packet->payload.size(), nowUs);
    ++stats_.telephoneEvents;
  }
}

void CallBridge::runRtcp(Side to, int64_t nowUs) {
  Peer& p = peer(to);
  if (!p.rtcp.due(nowUs)) return;
  const size_t length =
      p.rtcp.write(std::span<uint8_t>(rtcpBuffer_.data(), kMaxPacket), p.out, p.format.clockRate,
                   nowUs, wallOffsetUs_, settings_.cname, random_);
  if (length == 0) return;
  p.sink.sendRtcp(rtcpBuffer_.data(), length);
  ++stats_.rtcpSent;
}

}  // namespace callgate::media::bridge
