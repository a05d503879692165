#include "app/callgated/Daemon.h"

#include <Poco/JSON/Array.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "app/callgated/CallEventPublisher.h"
#include "b2bua/CallManager.h"
#include "config/ConfigSnapshot.h"
#include "config/ConfigStore.h"
#include "config/Defaults.h"
#include "config/Validation.h"
#include "control/ControlServer.h"
#include "core/Counters.h"
#include "core/EventLoop.h"
#include "core/Log.h"
#include "core/Random.h"
#include "media/session/MediaEngine.h"
#include "net/SelfSignedCertificate.h"
#include "net/TlsContext.h"
#include "net/dns/DnsResolver.h"
#include "net/dns/SipServerLocator.h"
#include "sip/transport/TransportLayer.h"
#include "sip/txn/TransactionLayer.h"

namespace callgate::app {
namespace {

constexpr std::string_view kLogTag = "app";
using namespace std::chrono_literals;

// Forwards transport events to the layers above; exists because the
// transaction layer and the call manager are built after the transports.
class TransportBridge final : public sip::TransportLayer::Listener {
 public:
  void onTransportPacket(sip::InboundPacket&& packet) override {
    if (transactions) transactions->onTransportPacket(std::move(packet));
  }
  void onConnectionClosed(sip::ConnectionId id) override {
    if (calls) calls->onConnectionClosed(id);
  }
  void onSendFailed(const sip::OutboundTarget& target, std::string_view reason) override {
    if (transactions) transactions->onSendFailed(target, reason);
  }
  sip::TransactionLayer* transactions = nullptr;
  b2bua::CallManager* calls = nullptr;
};

std::string controlSocketPath(const config::Config& c, const std::string& dbPath) {
  return c.system.control_socket.empty() ? dbPath + ".sock" : c.system.control_socket;
}

Poco::Dynamic::Var toVar(const b2bua::CallSummary& s) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", s.id);
  o->set("state", s.state);
  o->set("from", s.from);
  o->set("to", s.to);
  o->set("route", s.route);
  o->set("peer", s.peer);
  o->set("inbound_transport", s.inboundTransport);
  o->set("outbound_transport", s.outboundTransport);
  o->set("age_s", s.ageSeconds);
  o->set("connected_s", s.connectedSeconds);
  o->set("media", s.media);
  return o;
}

}  // namespace

struct Daemon::Impl {
  explicit Impl(DaemonOptions o) : options(std::move(o)) {}

  void ensureDatabase();
  std::shared_ptr<const config::ConfigSnapshot> loadSnapshot();
  void apply(std::shared_ptr<const config::ConfigSnapshot> next);
  void applyListeners(const config::Config& c);
  void registerControlMethods();
  void installSignals();
  void shutdown();

  DaemonOptions options;
  core::EventLoop loop;
  TransportBridge bridge;
  std::unique_ptr<sip::TransportLayer> transports;
  std::unique_ptr<net::dns::DnsResolver> resolver;
  std::unique_ptr<net::dns::SipServerLocator> locator;
  std::string dnsServers = "<unset>";
  // Declared before the calls: their media is released before the workers stop.
  std::unique_ptr<media::session::MediaEngine> media;
  std::unique_ptr<b2bua::CallManager> calls;
  std::unique_ptr<sip::TransactionLayer> transactions;
  std::unique_ptr<control::ControlServer> control;
  std::unique_ptr<CallEventPublisher> eventPublisher;
  std::shared_ptr<const config::ConfigSnapshot> snapshot;
  // TLS contexts stay alive while any listener or connection may use them.
  std::vector<std::unique_ptr<net::TlsContext>> tlsContexts;
  const net::TlsContext* serverTls = nullptr;
  std::string tlsFingerprint;  // cert+key text of the active server context
  std::map<std::string, config::Listener> activeListeners;
  std::map<std::string, std::string> boundAddresses;
  int signalFd = -1;
  bool stopping = false;
  core::TimePoint startedAt = core::SteadyClock::now();
};

void Daemon::Impl::ensureDatabase() {
  const bool exists = std::filesystem::exists(options.dbPath);
  auto store = config::ConfigStore::open(options.dbPath, config::ConfigStore::Mode::ReadWrite);
  if (exists && store.isInitialized()) {
    // A database from an older version gets what newer ones generate on
    // first start (callme.token_secret); an invalid one is reported by
    // loadSnapshot, not here.
    auto current = store.load();
    if (!config::fillGeneratedDefaults(current)) return;
    try {
      store.update([](config::Config& c) {
        config::fillGeneratedDefaults(c);
        return config::AuditEntry{"system", "", "generate", "settings/callme",
                                  R"({"token_secret":"********"})"};
      });
      CG_LOG_INFO(kLogTag) << "generated callme.token_secret in " << options.dbPath;
    } catch (const config::ConfigError& e) {
      CG_LOG_WARN(kLogTag) << "cannot generate callme.token_secret: " << e.what();
    }
    return;
  }
  // First start: working defaults and a self-signed certificate for TLS and WSS.
  const auto hosts = config::hostAddresses();
  auto c = config::defaultConfig(hosts);
  std::vector<std::string> names{"127.0.0.1", "::1", "localhost"};
  names.insert(names.end(), hosts.begin(), hosts.end());
  const auto pem = net::generateSelfSignedCertificate("callgate", names, 825);
  c.tls.certificate_pem = pem.certificatePem;
  c.tls.private_key_pem = pem.privateKeyPem;
  config::fillGeneratedDefaults(c);
  store.save(c);
  CG_LOG_INFO(kLogTag) << "created " << options.dbPath
                       << " with the default configuration and a self-signed certificate";
}

std::shared_ptr<const config::ConfigSnapshot> Daemon::Impl::loadSnapshot() {
  auto store = config::ConfigStore::open(options.dbPath, config::ConfigStore::Mode::ReadOnly);
  auto c = store.load();
  const auto errors = config::validate(c);
  if (!errors.empty()) {
    std::string text = "configuration in " + options.dbPath + " is invalid:";
    for (const auto& e : errors) text += "\n  " + e.field + ": " + e.message;
    throw std::runtime_error(text);
  }
  return config::ConfigSnapshot::build(std::move(c), store.revision());
}

void Daemon::Impl::applyListeners(const config::Config& c) {
  // TLS server context: rebuilt only when the certificate or key changed.
  const std::string fingerprint = c.tls.certificate_pem + c.tls.private_key_pem;
  if (fingerprint != tlsFingerprint && !c.tls.certificate_pem.empty()) {
    tlsContexts.push_back(net::TlsContext::server(c.tls.certificate_pem, c.tls.private_key_pem));
    serverTls = tlsContexts.back().get();
    tlsFingerprint = fingerprint;
    tlsContexts.push_back(net::TlsContext::client(c.tls.ca_bundle_pem, c.tls.verify_peers));
    transports->setClientTlsContext(tlsContexts.back().get());
  }
  std::map<std::string, config::Listener> wanted;
  for (const auto& l : c.listeners) {
    if (l.enabled) wanted.emplace(l.name, l);
  }
  for (auto it = activeListeners.begin(); it != activeListeners.end();) {
    auto w = wanted.find(it->first);
    const bool same = w != wanted.end() && w->second.transport == it->second.transport &&
                      w->second.address == it->second.address &&
                      w->second.port == it->second.port &&
                      w->second.advertised_host == it->second.advertised_host;
    if (same) {
      ++it;
      continue;
    }
    transports->removeListener(it->first);
    CG_LOG_INFO(kLogTag) << "listener " << it->first << " closed";
    boundAddresses.erase(it->first);
    it = activeListeners.erase(it);
  }
  for (const auto& [name, l] : wanted) {
    if (activeListeners.contains(name)) continue;
    const auto kind = sip::parseTransport(l.transport);
    auto bind = net::SocketAddress::fromIp(l.address, static_cast<uint16_t>(l.port));
    if (!kind || !bind) throw std::runtime_error("listener " + name + ": bad transport or address");
    sip::TransportLayer::ListenerSpec spec;
    spec.name = name;
    spec.kind = *kind;
    spec.bind = *bind;
    spec.advertisedHost = l.advertised_host;
    spec.tls = sip::isSecure(*kind) ? serverTls : nullptr;
    const auto bound = transports->addListener(spec);
    CG_LOG_INFO(kLogTag) << "listening " << sip::transportName(*kind) << " " << bound.toString()
                         << " (" << name << ")";
    activeListeners.emplace(name, l);
    boundAddresses[name] = std::string(sip::transportName(*kind)) + " " + bound.toString();
  }
}

void Daemon::Impl::apply(std::shared_ptr<const config::ConfigSnapshot> next) {
  const auto& c = next->config();
  if (options.logLevelOverride.empty()) {
    core::log::Level level;
    if (core::log::parseLevel(c.system.log_level, level)) core::log::setLevel(level);
  }
  applyListeners(c);
  if (c.sip.dns_servers != dnsServers) {
    // Lookups in flight on the old resolver are dropped; their calls fail with 503.
    calls->setLocator(nullptr);
    locator.reset();
    resolver.reset();
    resolver = std::make_unique<net::dns::DnsResolver>(
        loop, net::dns::DnsResolver::Options{c.sip.dns_servers, std::chrono::seconds(2), 2});
    locator =
        std::make_unique<net::dns::SipServerLocator>(*resolver, core::SystemRandom::instance());
    calls->setLocator(locator.get());
    dnsServers = c.sip.dns_servers;
  }
  if (media) {
    std::string warning;
    media->reconfigure(media::session::mediaEngineSettings(c, &warning));
    if (!warning.empty()) {
      CG_LOG_WARN(kLogTag) << warning;
    }
  }
  calls->setConfig(next);
  snapshot = std::move(next);
  CG_LOG_INFO(kLogTag) << "configuration revision " << snapshot->revision() << " active";
}

void Daemon::Impl::registerControlMethods() {
  using Params = Poco::JSON::Object::Ptr;
  control->registerMethod("status", [this](const Params&) -> Poco::Dynamic::Var {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("name", snapshot->config().system.name);
    o->set("revision", snapshot->revision());
    o->set("uptime_s",
           std::chrono::duration_cast<std::chrono::seconds>(core::SteadyClock::now() - startedAt)
               .count());
    o->set("calls", calls->callCount());
    o->set("registrations", calls->registrar().size());
    o->set("connections", transports->connectionCount());
    Poco::JSON::Object::Ptr listeners = new Poco::JSON::Object;
    for (const auto& [name, bound] : boundAddresses) listeners->set(name, bound);
    o->set("listeners", listeners);
    Poco::JSON::Object::Ptr counters = new Poco::JSON::Object;
    for (const auto& [name, value] : core::counterSnapshot()) counters->set(name, value);
    if (media) {
      for (const auto& [name, value] : media->counters()) counters->set(name, value);
    }
    o->set("counters", counters);
    return o;
  });
  control->registerMethod("calls.list", [this](const Params&) -> Poco::Dynamic::Var {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& s : calls->calls()) list->add(toVar(s));
    return list;
  });
  control->registerMethod("calls.hangup", [this](const Params& params) -> Poco::Dynamic::Var {
    if (!params || !params->has("id")) throw std::invalid_argument("params.id is required");
    const auto id = params->getValue<uint64_t>("id");
    if (!calls->hangup(id)) throw std::invalid_argument("no call with id " + std::to_string(id));
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", id);
    o->set("hung_up", true);
    return o;
  });
  control->registerMethod("registrations.list", [this](const Params&) -> Poco::Dynamic::Var {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    const auto now = core::SteadyClock::now();
    for (const auto& b : calls->registrar().bindings()) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("user", b.user);
      o->set("contact", b.contactUri);
      o->set("transport", std::string(sip::transportName(b.kind)));
      o->set("source", b.source.toString());
      o->set("expires_s",
             std::chrono::duration_cast<std::chrono::seconds>(b.expiresAt - now).count());
      o->set("user_agent", b.userAgent);
      list->add(o);
    }
    return list;
  });
  control->registerMethod("config.reload", [this](const Params&) -> Poco::Dynamic::Var {
    // Build the new snapshot completely before touching anything: a bad
    // database leaves the running configuration in place.
    auto next = loadSnapshot();
    const auto previous = snapshot->revision();
    apply(std::move(next));
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("previous_revision", previous);
    o->set("revision", snapshot->revision());
    o->set("calls", calls->callCount());
    return o;
  });
}

void Daemon::Impl::installSignals() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  ::pthread_sigmask(SIG_BLOCK, &mask, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  signalFd = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signalFd < 0) throw std::runtime_error(std::string("signalfd: ") + std::strerror(errno));
  loop.addFd(signalFd, core::kReadable, [this](uint32_t) {
    signalfd_siginfo info{};
    while (::read(signalFd, &info, sizeof info) == sizeof info) {
      if (info.ssi_signo == SIGHUP) {
        try {
          apply(loadSnapshot());
        } catch (const std::exception& e) {
          CG_LOG_ERROR(kLogTag) << "reload on SIGHUP failed: " << e.what();
        }
        continue;
      }
      shutdown();
    }
  });
}

void Daemon::Impl::shutdown() {
  if (stopping) return;
  stopping = true;
  const auto active = calls->hangupAll("gateway shutting down");
  CG_LOG_INFO(kLogTag) << "stopping; ending " << active << " call(s)";
  // Give BYEs a moment to reach the peers, then leave.
  loop.runAfter(active ? 1500ms : 0ms, [this] { loop.stop(); });
}

Daemon::Daemon(DaemonOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  auto& d = *impl_;
  if (!d.options.logLevelOverride.empty()) {
    core::log::Level level;
    if (!core::log::parseLevel(d.options.logLevelOverride, level)) {
      throw std::invalid_argument("unknown log level '" + d.options.logLevelOverride + "'");
    }
    core::log::setLevel(level);
  }
  d.ensureDatabase();
  auto first = d.loadSnapshot();
  const auto& c = first->config();

  sip::TransportLayer::Settings ts;
  ts.maxMessageBytes = c.sip.max_message_bytes;
  ts.idleTimeout = std::chrono::seconds(c.sip.tcp_idle_timeout_s);
  ts.wsPingInterval = std::chrono::seconds(c.sip.ws_ping_interval_s);
  d.transports = std::make_unique<sip::TransportLayer>(d.loop, d.bridge, ts);

  std::string mediaWarning;
  d.media = std::make_unique<media::session::MediaEngine>(
      d.loop, media::session::mediaEngineSettings(c, &mediaWarning));
  if (!mediaWarning.empty()) {
    CG_LOG_WARN(kLogTag) << mediaWarning;
  }
  d.calls = std::make_unique<b2bua::CallManager>(d.loop.timers(), core::SystemRandom::instance(),
                                                 *d.transports);
  d.calls->setMediaEngine(d.media.get());
  sip::TransactionLayer::Settings xs;
  xs.t1 = std::chrono::milliseconds(c.sip.t1_ms);
  xs.t2 = std::chrono::milliseconds(c.sip.t2_ms);
  xs.t4 = std::chrono::milliseconds(c.sip.t4_ms);
  xs.limits.maxMessageBytes = c.sip.max_message_bytes;
  xs.userAgent = c.sip.user_agent;
  d.transactions = std::make_unique<sip::TransactionLayer>(d.loop.timers(), *d.transports, *d.calls,
                                                           core::SystemRandom::instance(), xs);
  d.calls->attach(*d.transactions);
  d.bridge.transactions = d.transactions.get();
  d.bridge.calls = d.calls.get();

  d.apply(std::move(first));

  d.control = std::make_unique<control::ControlServer>(d.loop);
  d.registerControlMethods();
  d.eventPublisher = std::make_unique<CallEventPublisher>(*d.control);
  d.calls->setEventSink(d.eventPublisher.get());
  const auto socketPath = controlSocketPath(d.snapshot->config(), d.options.dbPath);
  d.control->listen(socketPath);
  CG_LOG_INFO(kLogTag) << "control socket " << socketPath;
  d.installSignals();
}

Daemon::~Daemon() {
  // Calls ended at shutdown publish nothing: the control socket goes first.
  if (impl_ && impl_->calls) impl_->calls->setEventSink(nullptr);
  if (impl_ && impl_->signalFd >= 0) {
    impl_->loop.removeFd(impl_->signalFd);
    ::close(impl_->signalFd);
  }
}

int Daemon::run() {
  CG_LOG_INFO(kLogTag) << "callgated running";
  impl_->loop.run();
  CG_LOG_INFO(kLogTag) << "callgated stopped";
  return 0;
}

}  // namespace callgate::app
