#pragma once
// The daemon's control socket: JSON-RPC 2.0, one request per line, over a
// Unix stream socket, served on the signalling event loop. A handler that
// throws becomes an error reply; a malformed request gets an error reply and
// the connection stays open.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace callgate::core {
class EventLoop;
}

namespace callgate::control {

using Method = std::function<Poco::Dynamic::Var(const Poco::JSON::Object::Ptr& params)>;

class ControlServer {
 public:
  explicit ControlServer(core::EventLoop& loop);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  void registerMethod(const std::string& name, Method method);
  // Binds the socket (mode 0660), replacing a stale socket file. Throws.
  void listen(const std::string& path);

 private:
  struct Client;
  void onAccept();
  void onClient(int fd, uint32_t events);
  std::string handle(const std::string& line);
  void closeClient(int fd);

  // passed in
  core::EventLoop& loop_;
  // owned
  int listenFd_ = -1;
  std::string path_;
  std::map<std::string, Method> methods_;
  std::map<int, std::unique_ptr<Client>> clients_;
};

}  // namespace callgate::control
