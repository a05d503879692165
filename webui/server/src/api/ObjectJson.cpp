#include "api/ObjectJson.h"

namespace callgate::mgmt::api {

void throwFieldErrors(const std::vector<config::ValidationError>& errors) {
  const bool unknown = !errors.empty() && errors.front().message == "unknown field";
  http::ApiError e(400, unknown ? "unknown_field" : "invalid_field",
                   errors.empty() ? "invalid body" : errors.front().message,
                   errors.empty() ? "" : errors.front().field);
  e.details = new Poco::JSON::Array;
  for (const auto& v : errors) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
    item->set("field", v.field);
    item->set("message", v.message);
    e.details->add(item);
  }
  throw e;
}

}  // namespace callgate::mgmt::api
