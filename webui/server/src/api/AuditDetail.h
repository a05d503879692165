#pragma once
// The "detail" of an audit entry: what changed, with secrets masked.

#include <Poco/JSON/Object.h>

#include <string>

namespace callgate::mgmt::api {

// {"port": {"from": 5060, "to": 5070}, "password": {"from": "********", ...}}
// for the members that differ between two unmasked objects.
std::string diffDetail(const Poco::JSON::Object::Ptr& before, const Poco::JSON::Object::Ptr& after);

}  // namespace callgate::mgmt::api
