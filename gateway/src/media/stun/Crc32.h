#pragma once
// CRC-32 as used by Ethernet, zlib and the STUN FINGERPRINT attribute
// (RFC 8489 §14.7 refers to ITU V.42): reflected polynomial 0xEDB88320,
// initial value and final XOR 0xFFFFFFFF. Table-driven, no allocation.

#include <cstdint>
#include <span>

namespace callgate::media::stun {

uint32_t crc32(std::span<const uint8_t> data);

}  // namespace callgate::media::stun
