#include <Poco/JSON/Object.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "notify/WebhookDispatcher.h"

using namespace callgate;
using namespace callgate::mgmt::notify;
using namespace std::chrono_literals;

namespace {

// A loopback HTTP receiver answering each request with the next status of
// `statuses` (the last one repeats), or never answering when it is 0.
class Receiver {
 public:
  explicit Receiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    ::listen(fd_, 16);
    thread_ = std::thread([this] { run(); });
  }
  ~Receiver() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
    for (int c : held_) ::close(c);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void run() {
    for (;;) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string in;
      char buf[4096];
      // Headers, then the body by its Content-Length.
      while (in.find("\r\n\r\n") == std::string::npos) {
        const auto n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        in.append(buf, static_cast<size_t>(n));
      }
      const auto cl = in.find("Content-Length: ");
      const size_t body = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
      while (in.size() < in.find("\r\n\r\n") + 4 + body) {
        const auto n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        in.append(buf, static_cast<size_t>(n));
      }
      int status;
      {
        std::lock_guard lock(mutex_);
        status = statuses_[std::min(requests_.size(), statuses_.size() - 1)];
        requests_.push_back(in);
      }
      if (status == 0) {
        held_.push_back(c);  // hangs
        continue;
      }
      const std::string out = "HTTP/1.1 " + std::to_string(status) +
                              " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)!::write(c, out.data(), out.size());
      ::close(c);
    }
  }

  std::vector<int> statuses_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::vector<int> held_;
};

Poco::JSON::Object::Ptr anEvent() {
  Poco::JSON::Object::Ptr e = new Poco::JSON::Object;
  e->set("type", "call.offered");
  e->set("call_id", 1);
  return e;
}

config::Webhook hookFor(const Receiver& r, uint32_t attempts) {
  config::Webhook w;
  w.name = "h";
  w.url = r.url();
  w.secret = "0123456789abcdef";
  w.timeout_ms = 300;
  w.max_attempts = attempts;
  return w;
}

template <typename F>
bool eventually(F f, std::chrono::milliseconds limit = 5s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return f();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(webhook_dispatcher)

BOOST_AUTO_TEST_CASE(failures_are_retried_until_a_2xx) {
  Receiver r({500, 503, 204});
  WebhookDispatcher d({.threads = 1, .maxQueued = 10, .firstRetry = 20ms, .maxRetry = 100ms}, {});
  d.submit(hookFor(r, 5), anEvent());
  BOOST_TEST(eventually([&] { return d.stats().delivered == 1; }));
  const auto requests = r.requests();
  BOOST_TEST(requests.size() == 3U);
  BOOST_TEST(requests[2].find("X-Callgate-Attempt: 3") != std::string::npos);
  BOOST_TEST(d.stats().failedAttempts == 2U);
}

BOOST_AUTO_TEST_CASE(one_webhook_gets_its_events_in_order) {
  Receiver r({200});
  WebhookDispatcher d({.threads = 4, .maxQueued = 100, .firstRetry = 20ms, .maxRetry = 100ms}, {});
  for (int i = 0; i < 8; ++i) {
    auto e = anEvent();
    e->set("call_id", i);
    d.submit(hookFor(r, 1), e);
  }
  BOOST_TEST(eventually([&] { return d.stats().delivered == 8; }));
  const auto requests = r.requests();
  BOOST_REQUIRE(requests.size() == 8U);
  for (int i = 0; i < 8; ++i) {
    BOOST_TEST(requests[i].find("\"call_id\":" + std::to_string(i)) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_hanging_receiver_is_given_up_and_reported) {
  Receiver r({0});
  std::atomic<int> reports{0};
  WebhookDispatcher d({.threads = 2, .maxQueued = 10, .firstRetry = 20ms, .maxRetry = 100ms},
                      [&](const std::string& type, const std::string&) {
                        if (type == "webhook_failed") ++reports;
                      });
  d.submit(hookFor(r, 2), anEvent());
  BOOST_TEST(eventually([&] { return reports.load() == 1; }));
  BOOST_TEST(r.requests().size() == 2U);
  BOOST_TEST(d.stats().givenUp == 1U);
}

BOOST_AUTO_TEST_CASE(a_full_queue_drops_and_counts) {
  Receiver r({0});
  WebhookDispatcher d({.threads = 1, .maxQueued = 2, .firstRetry = 5s, .maxRetry = 5s}, {});
  for (int i = 0; i < 6; ++i) d.submit(hookFor(r, 1), anEvent());
  BOOST_TEST(d.stats().dropped >= 3U);
}

BOOST_AUTO_TEST_SUITE_END()
