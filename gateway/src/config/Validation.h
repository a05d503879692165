#pragma once
// Every rule a configuration must satisfy, with errors that name the field
// ("peers[1].port") so an administrator knows what to fix.

#include <string>
#include <vector>

#include "config/Config.h"

namespace callgate::config {

struct ValidationError {
  std::string field;
  std::string message;
};

std::vector<ValidationError> validate(const Config& config);
// "field: message" lines.
std::string formatErrors(const std::vector<ValidationError>& errors);

}  // namespace callgate::config
