#pragma once
// Who is calling: a logged-in user (session cookie), a script (API key), or
// an XML-RPC client that sent its user name and password (HTTP Basic).

#include <string>

#include "auth/Role.h"

namespace callgate::mgmt::api {

struct Principal {
  enum class Kind { Anonymous, Session, ApiKey, Password };
  Kind kind = Kind::Anonymous;
  std::string user;     // the user, or the API key's owner
  std::string keyName;  // API keys only
  auth::Role role = auth::Role::ReadOnly;
  std::string sessionId;
  std::string csrfToken;
  bool mustChangePassword = false;
  std::string address;  // client address

  // As the audit log names it.
  std::string actor() const { return kind == Kind::ApiKey ? "apikey:" + keyName : user; }
};

}  // namespace callgate::mgmt::api
