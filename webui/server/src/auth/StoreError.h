#pragma once
// A refused change to users or API keys, with what the management API needs
// to answer it: the kind (→ HTTP status) and the field at fault.

#include <stdexcept>
#include <string>

namespace callgate::mgmt::auth {

class StoreError : public std::runtime_error {
 public:
  enum class Kind { Invalid, NotFound, Conflict };
  StoreError(Kind kind, std::string field, const std::string& message)
      : std::runtime_error(message), kind_(kind), field_(std::move(field)) {}
  Kind kind() const { return kind_; }
  const std::string& field() const { return field_; }

 private:
  Kind kind_;
  std::string field_;
};

}  // namespace callgate::mgmt::auth
