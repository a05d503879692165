#pragma once
// Who sends an XML-RPC request. Scripts use an API key (Authorization:
// Bearer, RFC 6750 §2.1); older call-centre clients that only know HTTP
// Basic (RFC 7617) may send a user name and password instead, which pass
// through the same login throttle as the REST login.

#include <string>

#include "api/Principal.h"
#include "api/Services.h"

namespace callgate::mgmt::rpc {

// Throws http::ApiError: 401 unauthenticated / invalid_credentials, 429
// too_many_attempts.
api::Principal authenticate(api::Services& services, const std::string& authorization,
                            const std::string& clientAddress);

}  // namespace callgate::mgmt::rpc
