#include "http/SecurityHeaders.h"

namespace callgate::mgmt::http {

void addSecurityHeaders(Poco::Net::HTTPServerResponse& response, bool api, bool secure) {
  if (secure) response.set("Strict-Transport-Security", "max-age=31536000");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  if (api) {
    response.set("Cache-Control", "no-store");
    response.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
}

}  // namespace callgate::mgmt::http
