#pragma once
// A SIP message (RFC 3261 §7): one owned buffer plus views into it. The start
// line and the header block are split when the message is parsed; the values
// of individual headers are parsed on access (Via, NameAddr, CSeq ...).
// Parsing never throws: hostile input gets an error text fit for a 400
// reason phrase.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sip/msg/HeaderTypes.h"

namespace callgate::sip {

struct ParseLimits {
  size_t maxMessageBytes = 65535;
  size_t maxHeaders = 100;
  size_t maxHeaderBytes = 8192;
};

struct ParseResult;

class SipMessage {
 public:
  SipMessage(const SipMessage& other);
  SipMessage& operator=(const SipMessage& other);
  SipMessage(SipMessage&&) noexcept = default;
  SipMessage& operator=(SipMessage&&) noexcept = default;
  ~SipMessage() = default;

  // One complete message: a datagram, a framed stream message or one
  // WebSocket message. Copies the bytes into the message's own buffer.
  static ParseResult parse(std::string_view bytes, const ParseLimits& limits = {});

  bool isRequest() const { return isRequest_; }
  bool isResponse() const { return !isRequest_; }
  // Requests: from the request line; responses: from CSeq.
  Method method() const { return method_; }
  std::string_view methodName() const { return methodName_; }
  std::string_view requestUri() const { return requestUri_; }
  int statusCode() const { return statusCode_; }
  std::string_view reasonPhrase() const { return reason_; }

  std::span<const HeaderField> headers() const { return headers_; }
  const HeaderField* find(HeaderId id) const;
  std::string_view headerValue(HeaderId id) const;
  std::string_view headerValue(std::string_view name) const;
  // Every value of a header, comma-separated lists split (respecting quotes and
  // <>) for the headers RFC 3261 defines as lists.
  std::vector<std::string_view> headerValues(HeaderId id) const;
  std::string_view body() const { return body_; }
  std::string_view raw() const { return {buffer_.get(), size_}; }

  std::string_view callId() const { return headerValue(HeaderId::CallId); }
  std::optional<Via> topVia() const;
  std::optional<NameAddr> from() const;
  std::optional<NameAddr> to() const;
  std::optional<CSeq> cseq() const;
  std::optional<uint32_t> maxForwards() const;
  std::optional<uint32_t> expires() const;

 private:
  SipMessage() = default;
  void rebase(const SipMessage& other);

  std::unique_ptr<char[]> buffer_;  // views below point into it; moves keep it in place
  size_t size_ = 0;
  bool isRequest_ = false;
  Method method_ = Method::Unknown;
  std::string_view methodName_;
  std::string_view requestUri_;
  int statusCode_ = 0;
  std::string_view reason_;
  std::vector<HeaderField> headers_;
  std::string_view body_;

  friend class MessageParser;
};

struct ParseResult {
  // Set when the start line and header block could be split.
  std::optional<SipMessage> message;
  // Empty: valid. Non-empty with `message` set: split but invalid; a request
  // can still be answered with 400 and this text as the reason phrase.
  std::string error;
  // The status to answer an invalid request with: 400, or 505 for a SIP
  // version we do not speak, 513 for a message over the size limit.
  int status = 400;
};

}  // namespace callgate::sip
