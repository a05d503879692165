#pragma once
// docs/openapi.json as committed, compiled into the binary (EmbedFile.cmake
// generates the definition at build time), so the document served is the
// one the tests check against the route table.

#include <string_view>

namespace callgate::mgmt::api {

std::string_view openApiDocument();

}  // namespace callgate::mgmt::api
