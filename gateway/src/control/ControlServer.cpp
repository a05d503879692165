#include "control/ControlServer.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "control/ControlProtocol.h"
#include "core/Counters.h"
#include "core/EventLoop.h"
#include "core/Log.h"

namespace callgate::control {
namespace {
constexpr std::string_view kLogTag = "control";
}

// A subscriber that reads nothing holds at most this much; later events
// are dropped for it.
constexpr size_t kMaxSubscriberBacklog = 4 << 20;

struct ControlServer::Client {
  std::string in;
  std::string out;
  bool subscribed = false;
};

ControlServer::ControlServer(core::EventLoop& loop) : loop_(loop) {}

ControlServer::~ControlServer() {
  for (auto& [fd, client] : clients_) {
    loop_.removeFd(fd);
    ::close(fd);
  }
  if (listenFd_ >= 0) {
    loop_.removeFd(listenFd_);
    ::close(listenFd_);
    ::unlink(path_.c_str());
  }
}

void ControlServer::registerMethod(const std::string& name, Method method) {
  methods_[name] = std::move(method);
}

void ControlServer::listen(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path)
    throw std::runtime_error("control socket path too long: " + path);
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  listenFd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listenFd_ < 0)
    throw std::runtime_error(std::string("control socket: ") + std::strerror(errno));
  // A socket file left by a daemon that was killed is stale: nobody answers it.
  ::unlink(path.c_str());
  const mode_t old = ::umask(0117);
  const int rc = ::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (rc != 0 || ::listen(listenFd_, 16) != 0) {
    throw std::runtime_error("control socket " + path + ": " + std::strerror(errno));
  }
  path_ = path;
  loop_.addFd(listenFd_, core::kReadable, [this](uint32_t) { onAccept(); });
}

void ControlServer::onAccept() {
  for (;;) {
    const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (clients_.size() >= 64) {
      ::close(fd);
      continue;
    }
    clients_.emplace(fd, std::make_unique<Client>());
    loop_.addFd(fd, core::kReadable, [this, fd](uint32_t events) { onClient(fd, events); });
  }
}

void ControlServer::closeClient(int fd) {
  loop_.removeFd(fd);
  ::close(fd);
  clients_.erase(fd);
}

void ControlServer::onClient(int fd, uint32_t events) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  Client& c = *it->second;
  if (events & core::kReadable) {
    char buf[16384];
    for (;;) {
      const auto n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        c.in.append(buf, static_cast<size_t>(n));
        if (c.in.size() > kMaxRequestBytes) {
          c.out += encodeError(Poco::Dynamic::Var(), kInvalidRequest, "request larger than 1 MiB");
          c.in.clear();
          break;
        }
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        closeClient(fd);
        return;
      }
      break;
    }
    size_t nl;
    while ((nl = c.in.find('\n')) != std::string::npos) {
      const std::string line = c.in.substr(0, nl);
      c.in.erase(0, nl + 1);
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      c.out += handle(line, c);
    }
  }
  flush(fd, c);
}

bool ControlServer::flush(int fd, Client& c) {
  while (!c.out.empty()) {
    const auto n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      closeClient(fd);
      return false;
    }
    c.out.erase(0, static_cast<size_t>(n));
  }
  loop_.modifyFd(fd, c.out.empty() ? core::kReadable : (core::kReadable | core::kWritable));
  return true;
}

void ControlServer::publish(const Poco::JSON::Object::Ptr& event) {
  if (subscriberCount() == 0) return;
  Poco::JSON::Object::Ptr note = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  note->set("jsonrpc", "2.0");
  note->set("method", "event");
  note->set("params", event);
  const std::string line = toJsonText(note) + "\n";
  static auto& dropped = core::counter("control.events_dropped");
  std::vector<int> fds;
  for (auto& [fd, client] : clients_) {
    if (!client->subscribed) continue;
    if (client->out.size() + line.size() > kMaxSubscriberBacklog) {
      dropped.inc();
      continue;
    }
    client->out += line;
    fds.push_back(fd);
  }
  // flush() may close a client: walk a copy of the descriptors.
  for (int fd : fds) {
    auto it = clients_.find(fd);
    if (it != clients_.end()) flush(fd, *it->second);
  }
}

size_t ControlServer::subscriberCount() const {
  size_t n = 0;
  for (const auto& [fd, client] : clients_) n += client->subscribed ? 1 : 0;
  return n;
}

std::string ControlServer::handle(const std::string& line, Client& client) {
  Poco::Dynamic::Var id;
  Poco::JSON::Object::Ptr request;
  try {
    Poco::JSON::Parser parser;
    auto parsed = parser.parse(line);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      return encodeError(id, kInvalidRequest, "request must be a JSON object");
    }
    request = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return encodeError(id, kParseError, "JSON syntax error: " + e.message());
  }
  if (request->has("id")) id = request->get("id");
  if (!request->has("method") || !request->get("method").isString()) {
    return encodeError(id, kInvalidRequest, "missing method");
  }
  const std::string name = request->getValue<std::string>("method");
  if (name == "events.subscribe") {
    client.subscribed = true;
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("subscribed", true);
    return encodeResult(id, o);
  }
  auto method = methods_.find(name);
  if (method == methods_.end()) return encodeError(id, kMethodNotFound, "no method " + name);
  Poco::JSON::Object::Ptr params;
  if (request->has("params")) {
    params = request->getObject("params");
    if (!params) return encodeError(id, kInvalidParams, "params must be an object");
  }
  try {
    return encodeResult(id, method->second(params));
  } catch (const std::invalid_argument& e) {
    return encodeError(id, kInvalidParams, e.what());
  } catch (const Poco::Exception& e) {
    return encodeError(id, kServerError, e.displayText());
  } catch (const std::exception& e) {
    CG_LOG_WARN(kLogTag) << name << " failed: " << e.what();
    return encodeError(id, kServerError, e.what());
  }
}

}  // namespace callgate::control
