#include "control/ControlClient.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "control/ControlProtocol.h"

namespace callgate::control {

ControlClient::ControlClient(const std::string& path, std::chrono::milliseconds timeout)
    : timeout_(timeout) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) throw ControlError("control socket path too long");
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const std::string why = std::strerror(errno);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    throw ControlError("cannot reach the daemon at " + path + ": " + why);
  }
}

ControlClient::~ControlClient() {
  if (fd_ >= 0) ::close(fd_);
}

Poco::Dynamic::Var ControlClient::call(const std::string& method, Poco::JSON::Object::Ptr params) {
  const int id = nextId_++;
  const std::string request = encodeRequest(id, method, params);
  size_t sent = 0;
  while (sent < request.size()) {
    const auto n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw ControlError(std::string("control socket write: ") + std::strerror(errno));
    sent += static_cast<size_t>(n);
  }
  const auto line = readLine(std::chrono::steady_clock::now() + timeout_);
  if (!line) throw ControlError("no answer from the daemon within the timeout");
  Poco::JSON::Object::Ptr reply;
  try {
    Poco::JSON::Parser parser;
    reply = parser.parse(*line).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw ControlError("malformed reply: " + e.message());
  }
  if (reply->has("error")) {
    auto error = reply->getObject("error");
    throw ControlError(error ? error->getValue<std::string>("message") : "unknown error");
  }
  return reply->get("result");
}

std::optional<std::string> ControlClient::readLine(std::chrono::steady_clock::time_point deadline) {
  size_t nl;
  while ((nl = buffer_.find('\n')) == std::string::npos) {
    if (buffer_.size() > kMaxRequestBytes) throw ControlError("a line over 1 MiB from the daemon");
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[65536];
    const auto n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) throw ControlError("the daemon closed the control connection");
    buffer_.append(buf, static_cast<size_t>(n));
  }
  std::string line = buffer_.substr(0, nl);
  buffer_.erase(0, nl + 1);
  return line;
}

Poco::JSON::Object::Ptr ControlClient::nextEvent(std::chrono::milliseconds wait) {
  const auto line = readLine(std::chrono::steady_clock::now() + wait);
  if (!line) return nullptr;
  try {
    Poco::JSON::Parser parser;
    const auto note = parser.parse(*line).extract<Poco::JSON::Object::Ptr>();
    if (!note || note->optValue<std::string>("method", "") != "event") {
      throw ControlError("expected an event notification");
    }
    auto params = note->getObject("params");
    if (!params) throw ControlError("an event without params");
    return params;
  } catch (const Poco::Exception& e) {
    throw ControlError("malformed event: " + e.message());
  }
}

}  // namespace callgate::control
