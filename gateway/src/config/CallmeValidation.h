#pragma once
// Rules for the callme settings and the Call Me buttons. Part of validate();
// split out to keep each file to one job.

#include <string>
#include <string_view>
#include <vector>

#include "config/Config.h"
#include "config/Validation.h"

namespace callgate::config {

void validateCallme(const Config& config, std::vector<ValidationError>& errors);

// "https://a.example, https://b.example" → {"https://a.example", "https://b.example"}.
std::vector<std::string> splitOrigins(std::string_view list);
// scheme "://" host [":" port], lower case, no path: what a browser sends in
// Origin (RFC 6454 §6.2).
bool isValidOrigin(std::string_view origin);

}  // namespace callgate::config
