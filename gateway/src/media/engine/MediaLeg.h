#pragma once
// One side of a call's media on a worker: where its packets come from and
// go to. A WebRtcLeg speaks ICE/DTLS/SRTP, an RtpLeg plain (or SDES) RTP.
// Legs hand plain RTP/RTCP up to their listener (the call's bridge) and
// take plain RTP/RTCP to send, protecting it themselves.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "media/rtc/SrtpSession.h"

namespace callgate::media::engine {

class MediaCounters;

// Room every outgoing packet buffer must have: the largest datagram we send
// plus what SRTP may append.
inline constexpr size_t kMaxDatagram = 1500;
inline constexpr size_t kPacketCapacity = kMaxDatagram + rtc::kSrtpMaxTrailer;

class MediaLeg {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // Plain RTP or RTCP from the peer, valid until the call returns.
    virtual void onLegRtp(MediaLeg& leg, std::span<uint8_t> packet) = 0;
    virtual void onLegRtcp(MediaLeg& leg, std::span<uint8_t> packet) = 0;
    // Media can flow (DTLS done, or at once for plain RTP).
    virtual void onLegReady(MediaLeg& leg) = 0;
    // ICE failed or lost consent, DTLS failed: the leg is dead.
    virtual void onLegFailed(MediaLeg& leg, std::string_view reason) = 0;
  };

  MediaLeg(Listener& listener, MediaCounters& counters)
      : listener_(listener), counters_(counters) {}
  virtual ~MediaLeg() = default;
  MediaLeg(const MediaLeg&) = delete;
  MediaLeg& operator=(const MediaLeg&) = delete;

  // `buffer` holds `length` bytes of plain RTP/RTCP and has room for
  // kPacketCapacity; it is protected in place. False when not sent.
  virtual bool sendRtp(uint8_t* buffer, size_t length) = 0;
  virtual bool sendRtcp(uint8_t* buffer, size_t length) = 0;
  virtual bool ready() const = 0;

  // Monotonic microseconds of the last media (RTP or RTCP) from the peer; 0 = none yet.
  int64_t lastReceivedUs() const { return lastReceivedUs_; }

 protected:
  // Unprotects `packet` in place when `srtp` is set, counts it and hands it
  // to the listener; a packet that fails SRTP is counted and dropped.
  void deliver(rtc::SrtpSession* srtp, std::span<uint8_t> packet, bool rtcp);

  // passed in
  Listener& listener_;
  MediaCounters& counters_;
  // owned
  int64_t lastReceivedUs_ = 0;
};

}  // namespace callgate::media::engine
