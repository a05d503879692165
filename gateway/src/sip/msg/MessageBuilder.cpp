#include "sip/msg/MessageBuilder.h"

#include "sip/msg/SipMessage.h"

namespace callgate::sip {

MessageBuilder MessageBuilder::request(Method method, std::string_view requestUri) {
  return request(methodName(method), requestUri);
}

MessageBuilder MessageBuilder::request(std::string_view methodToken, std::string_view requestUri) {
  MessageBuilder b;
  b.startLine_.reserve(methodToken.size() + requestUri.size() + 10);
  b.startLine_.append(methodToken).append(" ").append(requestUri).append(" SIP/2.0");
  return b;
}

MessageBuilder MessageBuilder::response(int status, std::string_view reason) {
  MessageBuilder b;
  b.status_ = status;
  if (reason.empty()) reason = defaultReason(status);
  b.startLine_ = "SIP/2.0 " + std::to_string(status) + " ";
  // A reason phrase cannot carry line breaks; drop them rather than emit a header.
  for (char c : reason) {
    if (c != '\r' && c != '\n') b.startLine_.push_back(c);
  }
  return b;
}

MessageBuilder& MessageBuilder::header(std::string_view name, std::string_view value) {
  headers_.emplace_back(std::string(name), std::string(value));
  return *this;
}

MessageBuilder& MessageBuilder::header(HeaderId id, std::string_view value) {
  return header(canonicalHeaderName(id), value);
}

MessageBuilder& MessageBuilder::prependHeader(std::string_view name, std::string_view value) {
  headers_.emplace(headers_.begin(), std::string(name), std::string(value));
  return *this;
}

MessageBuilder& MessageBuilder::body(std::string_view contentType, std::string_view body) {
  contentType_ = std::string(contentType);
  body_ = std::string(body);
  return *this;
}

std::string MessageBuilder::serialize() const {
  size_t size = startLine_.size() + body_.size() + contentType_.size() + 64;
  for (const auto& [name, value] : headers_) size += name.size() + value.size() + 4;
  std::string out;
  out.reserve(size);
  out.append(startLine_).append("\r\n");
  for (const auto& [name, value] : headers_) {
    out.append(name).append(": ");
    for (char c : value) {
      // Header values never carry raw line breaks (header injection).
      out.push_back(c == '\r' || c == '\n' ? ' ' : c);
    }
    out.append("\r\n");
  }
  if (!body_.empty()) out.append("Content-Type: ").append(contentType_).append("\r\n");
  out.append("Content-Length: ").append(std::to_string(body_.size())).append("\r\n\r\n");
  out.append(body_);
  return out;
}

std::string_view defaultReason(int status) {
  switch (status) {
    case 100:
      return "Trying";
    case 180:
      return "Ringing";
    case 181:
      return "Call Is Being Forwarded";
    case 182:
      return "Queued";
    case 183:
      return "Session Progress";
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Moved Temporarily";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 413:
      return "Request Entity Too Large";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Unsupported URI Scheme";
    case 420:
      return "Bad Extension";
    case 421:
      return "Extension Required";
    case 422:
      return "Session Interval Too Small";
    case 423:
      return "Interval Too Brief";
    case 480:
      return "Temporarily Unavailable";
    case 481:
      return "Call/Transaction Does Not Exist";
    case 482:
      return "Loop Detected";
    case 483:
      return "Too Many Hops";
    case 484:
      return "Address Incomplete";
    case 486:
      return "Busy Here";
    case 487:
      return "Request Terminated";
    case 488:
      return "Not Acceptable Here";
    case 491:
      return "Request Pending";
    case 500:
      return "Server Internal Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Server Time-out";
    case 505:
      return "Version Not Supported";
    case 513:
      return "Message Too Large";
    case 600:
      return "Busy Everywhere";
    case 603:
      return "Decline";
    case 604:
      return "Does Not Exist Anywhere";
    case 606:
      return "Not Acceptable";
    default:
      break;
  }
  if (status < 200) return "Session Progress";
  if (status < 300) return "OK";
  if (status < 400) return "Redirection";
  if (status < 500) return "Client Error";
  if (status < 600) return "Server Error";
  return "Global Failure";
}

MessageBuilder makeResponse(const SipMessage& request, int status, std::string_view reason,
                            std::string_view toTag) {
  auto b = MessageBuilder::response(status, reason);
  for (const auto& h : request.headers()) {
    if (h.id == HeaderId::Via) b.header(HeaderId::Via, h.value);
  }
  b.header(HeaderId::From, request.headerValue(HeaderId::From));
  const auto to = request.headerValue(HeaderId::To);
  const auto parsedTo = request.to();
  if (!toTag.empty() && parsedTo && parsedTo->tag().empty()) {
    b.header(HeaderId::To, std::string(to) + ";tag=" + std::string(toTag));
  } else {
    b.header(HeaderId::To, to);
  }
  // An invalid request may lack these; a 400 then goes out without them.
  if (!request.callId().empty()) b.header(HeaderId::CallId, request.callId());
  if (auto cseq = request.headerValue(HeaderId::CSeq); !cseq.empty())
    b.header(HeaderId::CSeq, cseq);
  if (status == 100) {
    if (auto ts = request.headerValue(HeaderId::Timestamp); !ts.empty()) {
      b.header(HeaderId::Timestamp, ts);
    }
  }
  return b;
}

}  // namespace callgate::sip
