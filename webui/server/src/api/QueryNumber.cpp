#include "api/QueryNumber.h"

#include "http/ApiError.h"

namespace callgate::mgmt::api {

int64_t queryNumber(const http::Request& r, const std::string& name, int64_t fallback, int64_t lo,
                    int64_t hi) {
  const auto it = r.query.find(name);
  if (it == r.query.end()) return fallback;
  const auto& text = it->second;
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw http::ApiError(400, "invalid_field", "must be an integer", name);
  }
  const int64_t v = std::stoll(text);
  if (v < lo || v > hi) {
    throw http::ApiError(400, "invalid_field",
                         "must be " + std::to_string(lo) + ".." + std::to_string(hi), name);
  }
  return v;
}

}  // namespace callgate::mgmt::api
