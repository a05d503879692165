#pragma once
// Rules for the webhooks collection. Part of validate().

#include <string>
#include <string_view>
#include <vector>

#include "config/Config.h"
#include "config/Validation.h"

namespace callgate::config {

void validateWebhooks(const Config& config, std::vector<ValidationError>& errors);

// "offered, answered" → {"offered", "answered"}: blanks trimmed, empty items dropped.
std::vector<std::string> splitList(std::string_view list);

}  // namespace callgate::config
