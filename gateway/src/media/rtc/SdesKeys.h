#pragma once
// SDES keying (RFC 4568): the master key and salt an a=crypto line carries
// inline, base64-encoded, for the suites we support.

#include <optional>
#include <string>
#include <string_view>

#include "media/rtc/SrtpKeys.h"

namespace callgate::media::rtc {

// "AES_CM_128_HMAC_SHA1_80" (RFC 4568) or "AEAD_AES_128_GCM" (RFC 7714 §12).
std::optional<SrtpProfile> sdesSuiteProfile(std::string_view suite);
// A fresh random key||salt for the suite, base64 as the inline parameter wants.
std::string generateSdesKey(SrtpProfile profile);
// The key||salt of "inline:<base64>[|lifetime][|mki:len]"; nullopt when it is
// not base64 of exactly the suite's length or carries an MKI (unsupported).
std::optional<std::array<uint8_t, 32>> parseSdesKey(std::string_view keyParams,
                                                    SrtpProfile profile);
// Keys for a session: ours to send with, theirs to receive with.
std::optional<SrtpKeys> sdesKeys(SrtpProfile profile, std::string_view localBase64,
                                 std::string_view remoteKeyParams);

}  // namespace callgate::media::rtc
