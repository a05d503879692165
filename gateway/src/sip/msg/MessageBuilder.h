#pragma once
// Builds a SIP message as text: start line, headers in the order given, and
// Content-Length always written (RFC 3261 §20.14: mandatory on streams).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/msg/HeaderTypes.h"

namespace callgate::sip {

class SipMessage;

class MessageBuilder {
 public:
  static MessageBuilder request(Method method, std::string_view requestUri);
  static MessageBuilder request(std::string_view methodToken, std::string_view requestUri);
  // An empty reason takes defaultReason(status).
  static MessageBuilder response(int status, std::string_view reason = {});

  MessageBuilder& header(std::string_view name, std::string_view value);
  MessageBuilder& header(HeaderId id, std::string_view value);
  // Inserts before every other header (a Via added by the transaction layer).
  MessageBuilder& prependHeader(std::string_view name, std::string_view value);
  MessageBuilder& body(std::string_view contentType, std::string_view body);

  std::string serialize() const;
  int status() const { return status_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  std::string startLine_;
  int status_ = 0;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string contentType_;
  std::string body_;
};

std::string_view defaultReason(int status);

// RFC 3261 §8.2.6.2: a response copying every Via (in order), From, To (with
// `toTag` added when To has no tag), Call-ID and CSeq; 100 also copies Timestamp.
MessageBuilder makeResponse(const SipMessage& request, int status, std::string_view reason = {},
                            std::string_view toTag = {});

}  // namespace callgate::sip
