// callgate-token: prints a Call Me token for a button, signed with the
// callme.token_secret of a configuration database. For administrators and
// tests; shops get theirs from the management REST API.

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <variant>

#include "callme/Token.h"
#include "config/CallmeTokenIssuer.h"
#include "config/ConfigStore.h"
#include "core/Random.h"

namespace {

void usage(FILE* out) {
  std::fprintf(out,
               "Usage: callgate-token --db FILE --button ID [options]\n"
               "\n"
               "Prints a signed Call Me token for button ID (docs/callme.md).\n"
               "\n"
               "  --db FILE            configuration database (read only)\n"
               "  --button ID          the button the token is for\n"
               "  --ttl SECONDS        lifetime (default 300; at most callme.token_max_ttl_s)\n"
               "  --customer-id TEXT   context delivered as <prefix>Customer-Id\n"
               "  --order-id TEXT      context delivered as <prefix>Order-Id\n"
               "  --data KEY=VALUE     context delivered as <prefix>Data-KEY (repeatable)\n"
               "  --issued-at SECONDS  Unix time the token starts (default now; for tests)\n"
               "  --help               this text\n");
}

bool parseInt(const std::string& text, int64_t& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace callgate;
  std::string db;
  std::string button;
  int64_t ttl = 300;
  int64_t issuedAt = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  callme::TokenContext context;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "callgate-token: unknown or incomplete argument '%s'\n\n", arg.c_str());
      usage(stderr);
      return 2;
    }
    const std::string value = argv[++i];
    bool ok = true;
    if (arg == "--db") {
      db = value;
    } else if (arg == "--button") {
      button = value;
    } else if (arg == "--ttl") {
      ok = parseInt(value, ttl) && ttl > 0;
    } else if (arg == "--issued-at") {
      ok = parseInt(value, issuedAt);
    } else if (arg == "--customer-id") {
      context.customerId = value;
    } else if (arg == "--order-id") {
      context.orderId = value;
    } else if (arg == "--data") {
      const auto eq = value.find('=');
      ok = eq != std::string::npos && eq > 0;
      if (ok) context.data.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "callgate-token: bad argument %s '%s'\n\n", arg.c_str(), value.c_str());
      usage(stderr);
      return 2;
    }
  }
  if (db.empty() || button.empty()) {
    std::fprintf(stderr, "callgate-token: --db and --button are required\n\n");
    usage(stderr);
    return 2;
  }
  try {
    auto store = config::ConfigStore::open(db, config::ConfigStore::Mode::ReadOnly);
    const auto issued = config::issueButtonToken(store.load(), button, context, ttl, issuedAt,
                                                 core::SystemRandom::instance());
    if (const auto* error = std::get_if<config::TokenIssueError>(&issued)) {
      std::fprintf(stderr, "callgate-token: %s: %s\n", error->field.c_str(),
                   error->message.c_str());
      return 1;
    }
    std::printf("%s\n", std::get<config::IssuedToken>(issued).token.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "callgate-token: %s\n", e.what());
    return 1;
  }
}
