#pragma once
// An error answer of the management API. Thrown anywhere in a request's
// handling; the request handler turns it into
//   {"error": {"code": "...", "message": "...", "field": "..."}}
// with `status`. `details` may list every validation error.

#include <Poco/JSON/Array.h>

#include <stdexcept>
#include <string>

namespace callgate::mgmt::http {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, std::string field = {})
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        field_(std::move(field)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }
  Poco::JSON::Array::Ptr details;  // optional [{field, message}, ...]
  int retryAfterSeconds = 0;       // > 0: sent as Retry-After

 private:
  int status_;
  std::string code_;
  std::string field_;
};

}  // namespace callgate::mgmt::http
