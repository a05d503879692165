#include "rpc/Authentication.h"

#include <Poco/Base64Decoder.h>

#include <cctype>
#include <sstream>

#include "core/Log.h"
#include "http/ApiError.h"

namespace callgate::mgmt::rpc {
namespace {

using http::ApiError;

constexpr std::string_view kLogTag = "mgmt.rpc";
constexpr size_t kMaxCredentialsBytes = 2048;

// The scheme in lower case and the credentials after one space.
std::pair<std::string, std::string> splitAuthorization(const std::string& header) {
  const auto space = header.find(' ');
  if (space == std::string::npos) return {};
  std::string scheme = header.substr(0, space);
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto rest = header.substr(space + 1);
  const auto start = rest.find_first_not_of(' ');
  return {scheme, start == std::string::npos ? std::string() : rest.substr(start)};
}

std::optional<std::string> base64(const std::string& text) {
  if (text.size() > kMaxCredentialsBytes) return std::nullopt;
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  try {
    return std::string(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

api::Principal basic(api::Services& s, const std::string& credentials, const std::string& address) {
  const auto decoded = base64(credentials);
  const auto colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos) {
    throw ApiError(401, "unauthenticated", "malformed Basic credentials");
  }
  const std::string user = decoded->substr(0, colon);
  const std::string password = decoded->substr(colon + 1);
  const auto wait = s.throttle.retryAfter(user, address);
  if (wait.count() > 0) {
    ApiError e(429, "too_many_attempts", "too many failed attempts");
    e.retryAfterSeconds = static_cast<int>(wait.count());
    throw e;
  }
  const auto found = user.size() <= 64 && password.size() <= auth::UserStore::kMaxPasswordLength
                         ? s.users.authenticate(user, password)
                         : std::nullopt;
  if (!found) {
    s.throttle.recordFailure(user, address);
    CG_LOG_WARN(kLogTag) << "failed Basic login for '" << user << "' from " << address;
    s.events.record("login_failed", user, address, "XML-RPC: wrong user name or password");
    throw ApiError(401, "invalid_credentials", "wrong user name or password");
  }
  s.throttle.recordSuccess(user);
  api::Principal p;
  p.kind = api::Principal::Kind::Password;
  p.user = found->name;
  p.role = found->role;
  p.mustChangePassword = found->mustChangePassword;
  p.address = address;
  return p;
}

}  // namespace

api::Principal authenticate(api::Services& s, const std::string& authorization,
                            const std::string& address) {
  const auto [scheme, credentials] = splitAuthorization(authorization);
  if (scheme == "bearer") {
    const auto key = s.keys.authenticate(credentials);
    if (!key) throw ApiError(401, "unauthenticated", "invalid API key");
    api::Principal p;
    p.kind = api::Principal::Kind::ApiKey;
    p.user = key->owner;
    p.keyName = key->name;
    p.role = key->role;
    p.address = address;
    return p;
  }
  if (scheme == "basic") return basic(s, credentials, address);
  throw ApiError(401, "unauthenticated",
                 "send an API key (Authorization: Bearer) or HTTP Basic credentials");
}

}  // namespace callgate::mgmt::rpc
