#pragma once
// The daemon's control socket: JSON-RPC 2.0, one request per line, over a
// Unix stream socket, served on the signalling event loop. A handler that
// throws becomes an error reply; a malformed request gets an error reply and
// the connection stays open.
//
// A client that calls `events.subscribe` also receives every event
// published afterwards, as JSON-RPC notifications on its own line:
//   {"jsonrpc":"2.0","method":"event","params":{...}}
// Publishing never blocks: a subscriber that does not read has its backlog
// bounded and further events dropped (counted as control.events_dropped).

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
  // Sends `event` to every subscriber.
  void publish(const Poco::JSON::Object::Ptr& event);
  size_t subscriberCount() const;
  // Binds the socket (mode 0660), replacing a stale socket file. Throws.
  void listen(const std::string& path);

 private:
  struct Client;
  void onAccept();
  void onClient(int fd, uint32_t events);
  std::string handle(const std::string& line, Client& client);
  // Sends what is queued; false when the client is gone.
  bool flush(int fd, Client& client);
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
