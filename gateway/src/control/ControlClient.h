#pragma once
// A blocking JSON-RPC client for the control socket (callgatectl, tests, the
// management server).

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace callgate::control {

class ControlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ControlClient {
 public:
  // Throws ControlError when nothing listens at `path`.
  explicit ControlClient(const std::string& path,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~ControlClient();
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  // The result, or ControlError with the server's error message.
  Poco::Dynamic::Var call(const std::string& method, Poco::JSON::Object::Ptr params = nullptr);

 private:
  int fd_ = -1;
  int nextId_ = 1;
  std::string buffer_;
  std::chrono::milliseconds timeout_;
};

}  // namespace callgate::control
