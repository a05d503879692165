#pragma once
// Base64 (RFC 4648 §4) for <base64> values. Decoding skips XML whitespace,
// since senders wrap long values into lines, and is otherwise strict.

#include <optional>
#include <string>
#include <string_view>

namespace callgate::mgmt::xmlrpc {

// Padded, no line breaks.
std::string encodeBase64(std::string_view bytes);

// nullopt for a character outside the alphabet, a length (without
// whitespace) that is not a multiple of 4, misplaced padding, or pad bits
// that are not zero (RFC 4648 §3.5 lets decoders reject those).
std::optional<std::string> decodeBase64(std::string_view text);

}  // namespace callgate::mgmt::xmlrpc
