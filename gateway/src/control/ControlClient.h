#pragma once
// A blocking JSON-RPC client for the control socket (callgatectl, tests, the
// management server).

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <optional>
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

  // After call("events.subscribe"): the params of the next event
  // notification, or null when none arrives within `wait`. Throws
  // ControlError when the daemon closes the connection or sends garbage.
  Poco::JSON::Object::Ptr nextEvent(std::chrono::milliseconds wait);

 private:
  // One line within the deadline; nullopt on timeout.
  std::optional<std::string> readLine(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  int nextId_ = 1;
  std::string buffer_;
  std::chrono::milliseconds timeout_;
};

}  // namespace callgate::control
