#pragma once
// Headers on every response of the management server.

#include <Poco/Net/HTTPServerResponse.h>

namespace callgate::mgmt::http {

// nosniff, no framing, no referrer; HSTS over TLS only (RFC 6797 §7.2: not
// on plain HTTP); for API responses also Cache-Control: no-store (they carry
// configuration and tokens) and a CSP that forbids everything, since nothing
// in a JSON answer should ever run.
void addSecurityHeaders(Poco::Net::HTTPServerResponse& response, bool api, bool secure);

}  // namespace callgate::mgmt::http
