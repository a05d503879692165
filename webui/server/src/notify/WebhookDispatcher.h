#pragma once
// Delivers call events to webhooks from a few threads of its own, so a
// receiver that hangs or fails never delays a call or the API: submit()
// only queues. One webhook gets one delivery at a time, in order (a
// receiver that hangs holds one thread, not all); a retry waits its
// back-off, so later events may overtake it. Each delivery is tried until
// the receiver answers 2xx or the webhook's max_attempts are used, waiting
// 1 s, 2 s, 4 s ... (at most 60 s) between attempts; every attempt is signed
// afresh. The queue is bounded: when full, the delivery due last is dropped.

#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "config/Config.h"
#include "notify/WebhookRequest.h"

namespace callgate::mgmt::notify {

struct DispatcherOptions {
  size_t threads = 4;
  size_t maxQueued = 10000;
  std::chrono::milliseconds firstRetry{1000};
  std::chrono::milliseconds maxRetry{60000};
};

struct DeliveryStats {
  uint64_t delivered = 0;       // answered 2xx
  uint64_t failedAttempts = 0;  // error, timeout or non-2xx answer (each attempt)
  uint64_t givenUp = 0;         // all attempts failed
  uint64_t dropped = 0;         // queue full
  size_t queued = 0;
};

class WebhookDispatcher {
 public:
  // Told about deliveries given up or dropped (the management event log).
  using Report = std::function<void(const std::string& type, const std::string& message)>;

  WebhookDispatcher(DispatcherOptions options, Report report);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // Queues `event` for `webhook`; never blocks on the network.
  void submit(const config::Webhook& webhook, const Poco::JSON::Object::Ptr& event);
  DeliveryStats stats() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Delivery {
    config::Webhook webhook;
    WebhookRequest request;
    std::string id;
    unsigned attempt = 0;  // attempts made
  };

  void run();
  // One HTTP POST; empty when the receiver answered 2xx, else why not.
  std::string post(const Delivery& d);

  // owned
  DispatcherOptions options_;
  Report report_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, Delivery> queue_;  // by due time, FIFO among equals
  std::set<std::string> inFlight_;                    // webhooks being posted to now
  bool stopping_ = false;
  uint64_t nextId_ = 1;
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> failedAttempts_{0};
  std::atomic<uint64_t> givenUp_{0};
  std::atomic<uint64_t> dropped_{0};
  std::vector<std::thread> threads_;
};

}  // namespace callgate::mgmt::notify
