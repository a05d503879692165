#include "notify/EventSubscriber.h"

#include <algorithm>
#include <chrono>

#include "control/ControlClient.h"
#include "core/Log.h"

namespace callgate::mgmt::notify {
namespace {
constexpr std::string_view kLogTag = "events";
}

EventSubscriber::EventSubscriber(SocketPath socketPath, Handler handler)
    : socketPath_(std::move(socketPath)), handler_(std::move(handler)) {
  thread_ = std::thread([this] { run(); });
}

EventSubscriber::~EventSubscriber() {
  stopping_ = true;
  thread_.join();
}

void EventSubscriber::pause(std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!stopping_ && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void EventSubscriber::run() {
  std::chrono::milliseconds backoff(500);
  bool reported = false;  // one log line per outage, not one per attempt
  while (!stopping_) {
    try {
      control::ControlClient client(socketPath_(), std::chrono::seconds(5));
      client.call("events.subscribe");
      connected_ = true;
      backoff = std::chrono::milliseconds(500);
      CG_LOG_INFO(kLogTag) << "following callgated's call events";
      reported = false;
      while (!stopping_) {
        // A short wait keeps stopping prompt; no event costs nothing.
        if (auto event = client.nextEvent(std::chrono::milliseconds(200))) handler_(event);
      }
    } catch (const std::exception& e) {
      if (connected_ || !reported) {
        CG_LOG_INFO(kLogTag) << "call events unavailable: " << e.what();
        reported = true;
      }
    }
    connected_ = false;
    pause(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

}  // namespace callgate::mgmt::notify
