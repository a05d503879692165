// callgate-mgmt: the Callgate management server (HTTPS REST API and XML-RPC).

#include <Poco/Net/SSLManager.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include "api/Resources.h"
#include "api/Services.h"
#include "app/DemoShop.h"
#include "app/FirstStart.h"
#include "auth/InitialAdmin.h"
#include "config/ConfigStore.h"
#include "core/Log.h"
#include "http/Json.h"
#include "http/Server.h"
#include "http/TlsServerContext.h"
#include "notify/CallEventRouter.h"
#include "notify/EventSubscriber.h"
#include "notify/WebhookDispatcher.h"
#include "rpc/Endpoint.h"

namespace {

namespace log = callgate::core::log;
constexpr std::string_view kLogTag = "mgmt";

void usage(FILE* out) {
  std::fprintf(out,
               "Usage: callgate-mgmt --db FILE [--socket PATH] [--log-level LEVEL]\n"
               "                     [--widget-file FILE] [--shop-dir DIR [--shop-button ID]\n"
               "                     [--shop-websocket URL]]\n"
               "\n"
               "Serves the management REST API (/api/v1) and XML-RPC (/RPC2), see\n"
               "docs/api.md, over HTTPS on\n"
               "management.address:management.https_port of the configuration in FILE; plain\n"
               "HTTP on management.http_redirect_port only redirects. The database, a\n"
               "self-signed certificate and the user 'admin' (password in FILE.admin-password)\n"
               "are created on first start.\n"
               "\n"
               "  --db FILE          configuration database (required)\n"
               "  --socket PATH      callgated's control socket; default system.control_socket\n"
               "                     or FILE.sock\n"
               "  --log-level LEVEL  trace|debug|info|warn|error (default: system.log_level)\n"
               "  --widget-file FILE the built Call Me widget, served at /callme/callme.js\n"
               "  --shop-dir DIR     serve the demo shop's pages from DIR at /shop/ with its\n"
               "                     token backend (demo configuration only)\n"
               "  --shop-button ID   the button the demo shop uses (default: demo); created\n"
               "                     with the built-in echo destination when missing\n"
               "  --shop-websocket URL  where the demo shop's widget connects (default: the\n"
               "                     first WSS, else WS, listener)\n"
               "  --help             this text\n"
               "\n"
               "SIGTERM or SIGINT stops the server.\n");
}

struct Options {
  std::string db;
  std::string socket;
  std::string logLevel;
  std::string widgetFile;
  std::string shopDir;
  std::string shopButton = "demo";
  std::string shopWebsocket;
  bool listRoutes = false;
};

const char* accessName(callgate::mgmt::http::Access a) {
  using callgate::mgmt::http::Access;
  switch (a) {
    case Access::Public:
      return "public";
    case Access::SelfService:
      return "self_service";
    case Access::Read:
      return "read";
    case Access::CallmeToken:
      return "callme_token";
    case Access::Admin:
      break;
  }
  return "admin";
}

// Every route, as JSON, for the test that holds docs/openapi.json to the
// route table. Builds the router over a throw-away database.
int listRoutes() {
  namespace fs = std::filesystem;
  std::string dir = (fs::temp_directory_path() / "callgate-mgmt-routes-XXXXXX").string();
  if (!mkdtemp(dir.data())) throw std::runtime_error("cannot create a temporary directory");
  const std::string db = dir + "/routes.db";
  int result = 0;
  try {
    callgate::config::ConfigStore::open(db, callgate::config::ConfigStore::Mode::ReadWrite);
    callgate::mgmt::api::ServicesOptions options;
    options.dbPath = db;
    callgate::mgmt::api::Services services(options, callgate::core::SystemClock::instance());
    auto router = callgate::mgmt::api::buildRouter(services);
    callgate::mgmt::rpc::addXmlRpcRoute(router, services);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& r : router.routes()) {
      // The widget's and the demo shop's paths are not part of the API.
      if (!callgate::mgmt::api::inOpenApiDocument(r.pattern)) continue;
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("method", r.method);
      o->set("path", r.pattern);
      o->set("access", std::string(accessName(r.access)));
      o->set("summary", r.summary);
      list->add(o);
    }
    std::cout << callgate::mgmt::http::stringify(list) << "\n";
  } catch (...) {
    fs::remove_all(dir);
    throw;
  }
  fs::remove_all(dir);
  return result;
}

int run(const Options& o) {
  log::Level checked{};
  if (!o.logLevel.empty() && !log::parseLevel(o.logLevel, checked)) {
    throw std::runtime_error("unknown log level '" + o.logLevel + "'");
  }
  // Block the stop signals before any thread starts, so every thread
  // inherits the mask and sigwait() below is the only receiver.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  callgate::mgmt::app::ensureDatabase(o.db);
  callgate::mgmt::app::ensureManagementCertificate(o.db);
  const auto config =
      callgate::config::ConfigStore::open(o.db, callgate::config::ConfigStore::Mode::ReadWrite)
          .load();
  log::Level level{};
  if (log::parseLevel(o.logLevel.empty() ? config.system.log_level : o.logLevel, level)) {
    log::setLevel(level);
  }

  const auto& m = config.management;
  callgate::mgmt::api::Services services(
      callgate::mgmt::api::ServicesOptions{
          .dbPath = o.db,
          .socketOverride = o.socket,
          .sessionIdleTimeout = std::chrono::seconds(m.session_idle_timeout_s),
          .scrypt = {},
          .widgetFile = o.widgetFile,
          .shopDir = o.shopDir,
          .shopButton = o.shopButton,
          .shopWebsocket = o.shopWebsocket},
      callgate::core::SystemClock::instance());
  callgate::mgmt::auth::ensureInitialAdmin(services.users, o.db, std::cerr);
  if (!o.shopDir.empty()) {
    // The shop's pages are served from here: their origin.
    std::string host = m.address == "0.0.0.0" || m.address == "::" ? "127.0.0.1" : m.address;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    callgate::mgmt::app::ensureDemoButton(services, o.shopButton,
                                          "https://" + host + ":" + std::to_string(m.https_port));
  }
  auto router = callgate::mgmt::api::buildRouter(services);
  callgate::mgmt::rpc::addXmlRpcRoute(router, services);
  // Handshakes take the certificate from here, so an upload through
  // PUT /api/v1/certificates/management serves new connections at once.
  callgate::mgmt::http::ServerIdentity identity(m.certificate_pem, m.private_key_pem);
  services.tlsIdentity = &identity;

  Poco::Net::initializeSSL();
  callgate::mgmt::http::ServerOptions options;
  options.address = m.address;
  options.httpsPort = static_cast<uint16_t>(m.https_port);
  options.redirectPort = static_cast<uint16_t>(m.http_redirect_port);
  options.maxBodyBytes = m.max_body_bytes;
  options.requestTimeoutS = static_cast<int>(m.request_timeout_s);
  options.maxConnectionsPerAddress = m.max_connections_per_address;
  {
    namespace notify = callgate::mgmt::notify;
    using callgate::config::ConfigStore;
    // Call events from callgated go to the event log and the webhooks, on
    // threads of their own: a slow receiver delays neither calls nor the API.
    notify::WebhookDispatcher dispatcher(
        notify::DispatcherOptions{}, [&services](const std::string& type, const std::string& text) {
          services.events.record(type, "", "", text);
        });
    notify::CallEventRouter eventRouter(services.events, dispatcher, [&services] {
      return services.withStore([](ConfigStore& st) { return st.load().webhooks; });
    });
    services.ownCounters = [&dispatcher] {
      const auto d = dispatcher.stats();
      return callgate::mgmt::api::Services::CounterGroups{{"webhook",
                                                           {{"delivered", d.delivered},
                                                            {"failed_attempts", d.failedAttempts},
                                                            {"given_up", d.givenUp},
                                                            {"dropped", d.dropped},
                                                            {"queued", d.queued}}}};
    };
    notify::EventSubscriber subscriber(
        [&services] {
          return services.controlSocketPath(
              services.withStore([](ConfigStore& st) { return st.load(); }));
        },
        [&eventRouter](const Poco::JSON::Object::Ptr& event) { eventRouter.onEvent(event); });

    callgate::mgmt::http::Server server(options, callgate::mgmt::http::makeServerContext(identity),
                                        router);
    server.start();
    CG_LOG_INFO(kLogTag) << "listening on https://" << m.address << ":" << m.https_port
                         << (m.http_redirect_port ? " (http redirect on port " +
                                                        std::to_string(m.http_redirect_port) + ")"
                                                  : std::string());
    if (!o.shopDir.empty()) {
      CG_LOG_INFO(kLogTag) << "demo shop: https://" << m.address << ":" << m.https_port << "/shop/";
    }
    int signal = 0;
    sigwait(&stop, &signal);
    CG_LOG_INFO(kLogTag) << "signal " << signal << ": stopping";
    server.stop();
    services.ownCounters = nullptr;  // the dispatcher goes with this scope
  }
  Poco::Net::uninitializeSSL();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--list-routes") {  // for the tests; not in the usage text
      o.listRoutes = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      return 0;
    }
    std::string* value = arg == "--db"               ? &o.db
                         : arg == "--socket"         ? &o.socket
                         : arg == "--log-level"      ? &o.logLevel
                         : arg == "--widget-file"    ? &o.widgetFile
                         : arg == "--shop-dir"       ? &o.shopDir
                         : arg == "--shop-button"    ? &o.shopButton
                         : arg == "--shop-websocket" ? &o.shopWebsocket
                                                     : nullptr;
    if (value && i + 1 < argc) {
      *value = argv[++i];
      continue;
    }
    std::fprintf(stderr, "callgate-mgmt: unknown or incomplete argument '%s'\n\n", arg.c_str());
    usage(stderr);
    return 2;
  }
  if (o.listRoutes) {
    try {
      return listRoutes();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "callgate-mgmt: %s\n", e.what());
      return 1;
    }
  }
  if (o.db.empty()) {
    std::fprintf(stderr, "callgate-mgmt: --db FILE is required\n\n");
    usage(stderr);
    return 2;
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "callgate-mgmt: %s\n", e.what());
    return 1;
  }
}
