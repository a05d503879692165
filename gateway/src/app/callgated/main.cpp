// callgated: the Callgate SIP/WebRTC gateway daemon.

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "app/callgated/Daemon.h"

namespace {

void usage(FILE* out) {
  std::fprintf(out,
               "Usage: callgated --db FILE [--log-level LEVEL]\n"
               "\n"
               "Runs the Callgate gateway with the configuration in the SQLite database FILE.\n"
               "The database is created with working defaults when it does not exist.\n"
               "\n"
               "  --db FILE          configuration database (required)\n"
               "  --log-level LEVEL  trace|debug|info|warn|error; overrides system.log_level\n"
               "  --help             this text\n"
               "\n"
               "The control socket (JSON-RPC, see docs/config.md) is system.control_socket,\n"
               "or FILE.sock when that is empty. SIGTERM or SIGINT stops the daemon.\n");
}

}  // namespace

int main(int argc, char** argv) {
  callgate::app::DaemonOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      return 0;
    }
    if ((arg == "--db" || arg == "--log-level") && i + 1 < argc) {
      (arg == "--db" ? options.dbPath : options.logLevelOverride) = argv[++i];
      continue;
    }
    std::fprintf(stderr, "callgated: unknown or incomplete argument '%s'\n\n", arg.c_str());
    usage(stderr);
    return 2;
  }
  if (options.dbPath.empty()) {
    std::fprintf(stderr, "callgated: --db FILE is required\n\n");
    usage(stderr);
    return 2;
  }
  try {
    callgate::app::Daemon daemon(options);
    return daemon.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "callgated: %s\n", e.what());
    return 1;
  }
}
