#pragma once
// A non-negative integer query parameter within bounds.

#include <cstdint>
#include <string>

#include "http/Message.h"

namespace callgate::mgmt::api {

// `fallback` when absent; ApiError 400 "invalid_field" naming the parameter
// when it is not digits or outside lo..hi.
int64_t queryNumber(const http::Request& r, const std::string& name, int64_t fallback, int64_t lo,
                    int64_t hi);

}  // namespace callgate::mgmt::api
