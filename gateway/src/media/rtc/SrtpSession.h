#pragma once
// SRTP and SRTCP (RFC 3711, RFC 7714 AES-GCM) for one leg, with libsrtp2:
// one policy for what we send, one for what we receive. Packets are
// transformed in place; nothing is allocated per packet.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "media/rtc/SrtpKeys.h"

namespace callgate::media::rtc {

// Bytes protect() may append (authentication tag, MKI): keep them free
// after every packet handed to it.
inline constexpr size_t kSrtpMaxTrailer = 144;

enum class SrtpResult : uint8_t { Ok, AuthenticationFailed, Replay, Malformed, Failed };

class SrtpSession {
 public:
  // Process-wide libsrtp2 start-up; safe to call more than once.
  static void initLibrary();
  // nullptr and *error when libsrtp refuses the keys.
  static std::unique_ptr<SrtpSession> create(const SrtpKeys& keys, std::string* error);
  ~SrtpSession();
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  // `length` is updated; the buffer holds `capacity` bytes in all.
  SrtpResult protectRtp(uint8_t* packet, size_t& length, size_t capacity);
  SrtpResult protectRtcp(uint8_t* packet, size_t& length, size_t capacity);
  SrtpResult unprotectRtp(uint8_t* packet, size_t& length);
  SrtpResult unprotectRtcp(uint8_t* packet, size_t& length);

  SrtpProfile profile() const { return profile_; }

 private:
  SrtpSession() = default;
  // owned
  void* sender_ = nullptr;    // srtp_t for what we send
  void* receiver_ = nullptr;  // srtp_t for what we receive
  SrtpProfile profile_ = SrtpProfile::AesCm128HmacSha1_80;
};

}  // namespace callgate::media::rtc
