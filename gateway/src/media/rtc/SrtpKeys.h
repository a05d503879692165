#pragma once
// Keys for one SRTP association, as DTLS-SRTP exports them (RFC 5764 §4.2)
// or SDES carries them (RFC 4568).

#include <array>
#include <cstdint>
#include <string_view>

namespace callgate::media::rtc {

enum class SrtpProfile : uint8_t {
  AesCm128HmacSha1_80,  // RFC 3711; key 16, salt 14
  AeadAes128Gcm,        // RFC 7714; key 16, salt 12
};

std::string_view srtpProfileName(SrtpProfile profile);
// Master key and salt lengths of a profile.
size_t srtpKeyLength(SrtpProfile profile);
size_t srtpSaltLength(SrtpProfile profile);

struct SrtpKeys {
  SrtpProfile profile = SrtpProfile::AesCm128HmacSha1_80;
  // Key followed by salt, for what we send and for what we receive.
  std::array<uint8_t, 32> local{};
  std::array<uint8_t, 32> remote{};
};

}  // namespace callgate::media::rtc
