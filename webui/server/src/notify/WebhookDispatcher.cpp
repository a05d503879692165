#include "notify/WebhookDispatcher.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>
#include <memory>

#include "core/Log.h"

namespace callgate::mgmt::notify {
namespace {

constexpr std::string_view kLogTag = "webhook";
constexpr size_t kMaxAnswerBytes = 64 * 1024;

int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Poco::Net::Context::Ptr makeClientContext(bool verify) {
  Poco::Net::Context::Ptr c = new Poco::Net::Context(
      Poco::Net::Context::TLS_CLIENT_USE, "",
      verify ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE, 9, verify);
  c->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                      Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
  return c;
}

// TLS 1.2+ client contexts; the verifying one checks the chain against the
// system's CAs and the host name (Poco's extended verification).
Poco::Net::Context::Ptr clientContext(bool verify) {
  static const Poco::Net::Context::Ptr verifying = makeClientContext(true);
  static const Poco::Net::Context::Ptr trusting = makeClientContext(false);
  return verify ? verifying : trusting;
}

void resign(WebhookRequest& r, const std::string& secret) {
  for (auto& [name, value] : r.headers) {
    if (name == "X-Callgate-Signature") value = signatureHeader(secret, r.body, unixNow());
  }
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(DispatcherOptions options, Report report)
    : options_(options), report_(std::move(report)) {
  for (size_t i = 0; i < std::max<size_t>(options_.threads, 1); ++i) {
    threads_.emplace_back([this] { run(); });
  }
}

WebhookDispatcher::~WebhookDispatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void WebhookDispatcher::submit(const config::Webhook& webhook,
                               const Poco::JSON::Object::Ptr& event) {
  Delivery d;
  d.webhook = webhook;
  {
    std::lock_guard lock(mutex_);
    d.id = std::to_string(unixNow()) + "-" + std::to_string(nextId_++);
  }
  try {
    d.request = buildWebhookRequest(webhook, event, d.id, unixNow());
  } catch (const std::exception& e) {
    CG_LOG_WARN(kLogTag) << webhook.name << ": cannot encode the event: " << e.what();
    return;
  }
  std::string droppedName;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.maxQueued) {
      // The one due last is the one retried most often already.
      auto last = std::prev(queue_.end());
      droppedName = last->second.webhook.name;
      queue_.erase(last);
      dropped_.fetch_add(1, std::memory_order_relaxed);
    }
    queue_.emplace(Clock::now(), std::move(d));
  }
  wake_.notify_one();
  if (!droppedName.empty() && report_) {
    report_("webhook_dropped", droppedName + ": delivery queue full, oldest retry dropped");
  }
}

DeliveryStats WebhookDispatcher::stats() const {
  DeliveryStats s;
  s.delivered = delivered_.load();
  s.failedAttempts = failedAttempts_.load();
  s.givenUp = givenUp_.load();
  s.dropped = dropped_.load();
  std::lock_guard lock(mutex_);
  s.queued = queue_.size();
  return s;
}

void WebhookDispatcher::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_) return;
    // The earliest due delivery of a webhook that has none in flight: one
    // receiver gets its events one at a time and in order (offered before
    // answered), and a receiver that hangs holds one thread, not all.
    const auto now = Clock::now();
    auto pick = queue_.end();
    std::optional<Clock::time_point> nextDue;
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      if (inFlight_.contains(it->second.webhook.name)) continue;
      if (it->first <= now) {
        pick = it;
      } else {
        nextDue = it->first;
      }
      break;
    }
    if (pick == queue_.end()) {
      if (nextDue) {
        wake_.wait_until(lock, *nextDue);
      } else {
        wake_.wait(lock);
      }
      continue;
    }
    Delivery d = std::move(pick->second);
    queue_.erase(pick);
    inFlight_.insert(d.webhook.name);
    lock.unlock();

    ++d.attempt;
    resign(d.request, d.webhook.secret);
    const std::string error = post(d);
    const auto done = [&] {
      lock.lock();
      inFlight_.erase(d.webhook.name);
      wake_.notify_all();  // a thread may wait for this webhook's next event
    };
    if (error.empty()) {
      delivered_.fetch_add(1, std::memory_order_relaxed);
      done();
      continue;
    }
    failedAttempts_.fetch_add(1, std::memory_order_relaxed);
    if (d.attempt >= d.webhook.max_attempts) {
      givenUp_.fetch_add(1, std::memory_order_relaxed);
      CG_LOG_WARN(kLogTag) << d.webhook.name << ": gave up on delivery " << d.id << " after "
                           << d.attempt << " attempts: " << error;
      if (report_) {
        report_("webhook_failed", d.webhook.name + ": delivery " + d.id + " given up after " +
                                      std::to_string(d.attempt) + " attempts (" + error + ")");
      }
      done();
      continue;
    }
    const std::chrono::milliseconds delay = std::min<std::chrono::milliseconds>(
        options_.firstRetry * (1LL << std::min(d.attempt - 1, 16U)), options_.maxRetry);
    CG_LOG_DEBUG(kLogTag) << d.webhook.name << ": attempt " << d.attempt << " of delivery " << d.id
                          << " failed (" << error << "), next in " << delay.count() << " ms";
    const std::string name = d.webhook.name;
    lock.lock();
    queue_.emplace(Clock::now() + delay, std::move(d));
    inFlight_.erase(name);
    wake_.notify_all();
  }
}

std::string WebhookDispatcher::post(const Delivery& d) {
  try {
    const Poco::URI uri(d.webhook.url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(
          uri.getHost(), uri.getPort(), clientContext(d.webhook.verify_tls));
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    const Poco::Timespan timeout(static_cast<Poco::Timespan::TimeDiff>(d.webhook.timeout_ms) *
                                 1000);
    session->setTimeout(timeout, timeout, timeout);
    std::string target = uri.getPathAndQuery();
    if (target.empty()) target = "/";
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType(d.request.contentType + "; charset=utf-8");
    request.setContentLength64(static_cast<Poco::Int64>(d.request.body.size()));
    request.set("User-Agent", "Callgate");
    for (const auto& [name, value] : d.request.headers) request.set(name, value);
    request.set("X-Callgate-Attempt", std::to_string(d.attempt));
    session->sendRequest(request) << d.request.body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    char buffer[4096];
    size_t total = 0;
    while (total < kMaxAnswerBytes && in.read(buffer, sizeof buffer).gcount() > 0) {
      total += static_cast<size_t>(in.gcount());
    }
    const int status = static_cast<int>(response.getStatus());
    if (status >= 200 && status < 300) return {};
    return "HTTP " + std::to_string(status);
  } catch (const Poco::Exception& e) {
    return e.displayText();
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace callgate::mgmt::notify
