#include "http/Message.h"

#include "http/ApiError.h"

namespace callgate::mgmt::http {

const Poco::JSON::Object& Request::bodyObject() const {
  if (!json) throw ApiError(400, "invalid_body", "a JSON object body is required");
  return *json;
}

}  // namespace callgate::mgmt::http
