#pragma once
// Finding message boundaries on a stream transport (TCP, TLS): the header
// block ends at the first empty line and Content-Length, mandatory on streams
// (RFC 3261 §18.3), gives the body.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace callgate::sip {

// Length of the first complete message in `buffered`; nullopt while more bytes
// are needed. Sets *error (and returns nullopt) when the stream can never
// become valid: no Content-Length, a bad one, or a header block over the limit.
std::optional<size_t> sipStreamMessageLength(std::string_view buffered, size_t maxMessageBytes,
                                             std::string* error);

// Bytes of CRLF keepalive at the start of `buffered` (RFC 5626 §3.5.1): a
// "\r\n\r\n" ping or a lone "\r\n" pong.
size_t leadingKeepaliveBytes(std::string_view buffered);

}  // namespace callgate::sip
