#pragma once
// Errors of the configuration library. A failed validation carries every
// error with the field it names, so an API can point at the field.

#include <stdexcept>
#include <string>
#include <vector>

#include "config/Validation.h"

namespace callgate::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ConfigValidationError : public ConfigError {
 public:
  explicit ConfigValidationError(std::vector<ValidationError> errors)
      : ConfigError("invalid configuration:\n" + formatErrors(errors)),
        errors_(std::move(errors)) {}
  const std::vector<ValidationError>& errors() const { return errors_; }

 private:
  std::vector<ValidationError> errors_;
};

}  // namespace callgate::config
