#pragma once
// Follows callgated's event stream: a thread that connects to the control
// socket, calls events.subscribe and hands each event to `handler`. When
// callgated is not running or restarts, it reconnects (every 0.5 s growing
// to 5 s); events published while nobody listened are not replayed.

#include <Poco/JSON/Object.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace callgate::mgmt::notify {

class EventSubscriber {
 public:
  using Handler = std::function<void(const Poco::JSON::Object::Ptr& event)>;
  using SocketPath = std::function<std::string()>;  // asked at each connection attempt

  EventSubscriber(SocketPath socketPath, Handler handler);
  ~EventSubscriber();  // stops within ~0.2 s
  EventSubscriber(const EventSubscriber&) = delete;
  EventSubscriber& operator=(const EventSubscriber&) = delete;

  bool connected() const { return connected_.load(); }

 private:
  void run();
  void pause(std::chrono::milliseconds duration);

  // owned
  SocketPath socketPath_;
  Handler handler_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  std::thread thread_;
};

}  // namespace callgate::mgmt::notify
