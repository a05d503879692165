#include "http/RequestHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <istream>

#include "core/Log.h"
#include "http/Json.h"
#include "http/SecurityHeaders.h"

namespace callgate::mgmt::http {
namespace {

constexpr std::string_view kLogTag = "mgmt.http";
constexpr size_t kMaxTargetBytes = 4096;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The media type without parameters (charset=utf-8), lower case.
std::string mediaType(const std::string& value) {
  const auto type = lower(value.substr(0, value.find(';')));
  const auto first = type.find_first_not_of(" \t");
  const auto last = type.find_last_not_of(" \t");
  return first == std::string::npos ? std::string() : type.substr(first, last - first + 1);
}

bool acceptsContentType(BodyKind kind, const std::string& value) {
  const auto type = mediaType(value);
  if (kind == BodyKind::Xml) return type == "text/xml" || type == "application/xml";
  return type == "application/json";
}

// Reads and drops an announced body that will not be used, so the client
// (which sends it before reading any answer) gets the error rather than a
// reset connection. Bodies above kMaxDrainBytes are not worth the wait: the
// connection is closed instead.
constexpr Poco::Int64 kMaxDrainBytes = 32 * 1024 * 1024;

bool drain(Poco::Net::HTTPServerRequest& r) {
  if (!r.hasContentLength() || r.getContentLength64() > kMaxDrainBytes) return false;
  char buffer[16384];
  auto& stream = r.stream();
  while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
  }
  return true;
}

bool hasBody(const Poco::Net::HTTPServerRequest& r) {
  return r.getChunkedTransferEncoding() || (r.hasContentLength() && r.getContentLength64() > 0);
}

void send(Poco::Net::HTTPServerResponse& out, const Response& r) {
  addSecurityHeaders(out, true, true);
  // A route's own Content-Security-Policy or Cache-Control (web pages,
  // scripts) replaces the API's; other headers may repeat (Set-Cookie).
  for (const auto& [name, value] : r.headers) {
    if (out.has(name) && Poco::icompare(name, "Set-Cookie") != 0) {
      out.set(name, value);
    } else {
      out.add(name, value);
    }
  }
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
  const std::string body = !r.raw.empty() ? r.raw : r.json.isEmpty() ? "" : stringify(r.json);
  // Text gets its charset; binary types (images) are sent as named.
  const bool text = r.contentType.starts_with("text/") || r.contentType.ends_with("json") ||
                    r.contentType.ends_with("javascript") || r.contentType.ends_with("xml");
  if (!body.empty()) out.setContentType(text ? r.contentType + "; charset=utf-8" : r.contentType);
  out.setContentLength64(static_cast<Poco::Int64>(body.size()));
  out.send() << body;
}

Response errorResponse(const ApiError& e) {
  Response r = Response::of(errorBody(e), e.status());
  if (e.retryAfterSeconds > 0)
    r.headers.emplace_back("Retry-After", std::to_string(e.retryAfterSeconds));
  return r;
}

class ApiRequestHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  ApiRequestHandler(const Router& router, size_t maxBodyBytes)
      : router_(router), maxBodyBytes_(maxBodyBytes) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    Request request;
    Response response;
    try {
      response = handle(in, out, request);
    } catch (const ApiError& e) {
      response = errorResponse(e);
      // An unread body would be parsed as the next request: drop it, and
      // close the connection either way.
      if (e.status() == 413 || e.status() == 415) {
        drain(in);
        out.setKeepAlive(false);
      }
      if (e.status() == 408) out.setKeepAlive(false);
    } catch (const std::exception& e) {
      CG_LOG_ERROR(kLogTag) << in.getMethod() << " " << request.path << ": " << e.what();
      response = errorResponse(ApiError(500, "internal_error", "internal error"));
    }
    CG_LOG_INFO(kLogTag) << request.clientAddress << " " << in.getMethod() << " " << request.path
                         << " " << response.status;
    if (!out.sent()) send(out, response);
  }

 private:
  Response handle(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out,
                  Request& request) {
    request.method = in.getMethod();
    request.clientAddress = in.clientAddress().host().toString();
    const std::string& target = in.getURI();
    if (target.size() > kMaxTargetBytes)
      throw ApiError(414, "uri_too_long", "request target too long");
    const auto q = target.find('?');
    request.path = target.substr(0, q);
    const auto segments = splitPath(request.path);
    if (!segments) throw ApiError(400, "invalid_path", "malformed path");
    if (q != std::string::npos) {
      try {
        for (const auto& [k, v] : Poco::URI(target).getQueryParameters()) request.query[k] = v;
      } catch (const Poco::Exception&) {
        throw ApiError(400, "invalid_query", "malformed query string");
      }
    }
    auto match = router_.match(request.method, *segments);
    if (!match.route) {
      if (match.pathMatched) {
        out.set("Allow", router_.allowedMethods(*segments));
        throw ApiError(405, "method_not_allowed", request.method + " is not allowed here");
      }
      throw ApiError(404, "not_found", "no such resource");
    }
    request.params = std::move(match.params);
    for (const auto& [name, value] : in) request.headers[lower(name)] = value;
    Poco::Net::NameValueCollection cookies;
    in.getCookies(cookies);
    for (const auto& [name, value] : cookies) request.cookies[name] = value;
    readBody(in, *match.route, request);
    return match.route->handler(request);
  }

  void readBody(Poco::Net::HTTPServerRequest& in, const Route& route, Request& request) {
    if (!hasBody(in)) return;
    if (!acceptsContentType(route.body, in.getContentType())) {
      throw ApiError(415, "unsupported_media_type",
                     route.body == BodyKind::Xml ? "the body must be text/xml"
                                                 : "the body must be application/json");
    }
    const size_t limit = route.maxBodyBytes ? route.maxBodyBytes : maxBodyBytes_;
    if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(limit)) {
      throw ApiError(413, "body_too_large", "the body exceeds " + std::to_string(limit) + " bytes");
    }
    // Chunked bodies have no announced length: read one byte past the limit.
    std::string body(limit + 1, '\0');
    auto& stream = in.stream();
    stream.read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<size_t>(stream.gcount()));
    // A read that failed (rather than reached the end of the body) is the
    // connection's request deadline cutting a slow body off (HttpsConnection).
    if (stream.bad()) {
      throw ApiError(408, "request_timeout", "the request body did not arrive in time");
    }
    if (body.size() > limit) {
      throw ApiError(413, "body_too_large", "the body exceeds " + std::to_string(limit) + " bytes");
    }
    request.body = std::move(body);
    if (route.body == BodyKind::Json) request.json = parseObject(request.body);
  }

  // passed in
  const Router& router_;
  size_t maxBodyBytes_;
};

// Only host names and IP literals: a Host header is attacker-chosen and
// must not inject anything into the Location header.
bool safeHost(const std::string& host) {
  if (host.empty() || host.size() > 255) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
           c == '[' || c == ']';
  });
}

class RedirectHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  RedirectHandler(const std::string& fallbackHost, uint16_t httpsPort)
      : fallbackHost_(fallbackHost), httpsPort_(httpsPort) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    std::string host = in.getHost();
    // Strip a port: "[::1]:8080" → "[::1]", "example:8080" → "example".
    const auto close = host.rfind(']');
    const auto colon = host.rfind(':');
    if (colon != std::string::npos && (close == std::string::npos || colon > close)) {
      host.resize(colon);
    }
    if (!safeHost(host)) host = fallbackHost_;
    std::string path = in.getURI();
    if (path.empty() || path.front() != '/' || path.size() > kMaxTargetBytes ||
        path.find_first_of("\r\n") != std::string::npos) {
      path = "/";
    }
    addSecurityHeaders(out, false, false);
    out.set("Location", "https://" + host + ":" + std::to_string(httpsPort_) + path);
    out.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_MOVED_PERMANENTLY);
    out.setContentLength(0);
    out.setKeepAlive(false);
    out.send();
  }

 private:
  const std::string& fallbackHost_;
  uint16_t httpsPort_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* ApiHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new ApiRequestHandler(router_, maxBodyBytes_);
}

Poco::Net::HTTPRequestHandler* RedirectHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new RedirectHandler(fallbackHost_, httpsPort_);
}

}  // namespace callgate::mgmt::http
