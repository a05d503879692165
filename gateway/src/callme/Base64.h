#pragma once
// Base64 (RFC 4648 §4) and its URL-safe alphabet without padding (§5), for
// Call Me tokens and the token secret. Decoders return nullopt on any byte
// outside the alphabet or a malformed tail; they never throw.

#include <optional>
#include <string>
#include <string_view>

namespace callgate::callme {

std::string base64Encode(std::string_view bytes);
std::optional<std::string> base64Decode(std::string_view text);

// RFC 4648 §5 ('-' and '_'), no '=' padding (as JWS, RFC 7515 §2).
std::string base64UrlEncode(std::string_view bytes);
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace callgate::callme
