// The OpenAPI 3.0 description of this API (docs/openapi.json), public so
// that client generators and API explorers can fetch it before logging in.
//   GET /api/v1/openapi.json

#include "api/Guard.h"
#include "api/OpenApiDocument.h"
#include "api/Resources.h"

namespace callgate::mgmt::api {

void addOpenApiRoute(http::Router& router, Services& s) {
  addRoute(router, s, "GET", std::string(kApiBase) + "/openapi.json", http::Access::Public,
           "this API's OpenAPI 3.0 document", [](http::Request&, const Principal&) {
             http::Response r;
             r.raw = std::string(openApiDocument());
             return r;
           });
}

}  // namespace callgate::mgmt::api
