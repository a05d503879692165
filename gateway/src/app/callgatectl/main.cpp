// callgatectl: moves the configuration in and out of the database as JSON and
// asks a running callgated for its status, calls and registrations.

#include <Poco/Exception.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "config/ConfigJson.h"
#include "config/ConfigStore.h"
#include "config/Validation.h"
#include "control/ControlClient.h"
#include "control/ControlProtocol.h"

namespace {

using namespace callgate;

constexpr int kOk = 0;
constexpr int kInvalid = 1;  // invalid input: nothing was written
constexpr int kUsage = 2;
constexpr int kFailed = 3;  // database or daemon unreachable

void usage(FILE* out) {
  std::fprintf(out,
               "Usage: callgatectl --db FILE [--socket PATH] COMMAND\n"
               "\n"
               "Commands:\n"
               "  export [--output FILE]   print the configuration as JSON (the backup format)\n"
               "  import FILE.json         validate and store a configuration, then tell a\n"
               "                           running daemon to reload it ('-' reads stdin)\n"
               "  validate FILE.json       check a configuration without storing it\n"
               "  status                   the running daemon's status\n"
               "  calls                    calls in progress\n"
               "  hangup ID                end a call in progress\n"
               "  registrations            registered users\n"
               "  reload                   tell the daemon to reload the database\n"
               "\n"
               "The control socket is system.control_socket, or FILE.sock when empty;\n"
               "--socket overrides it.\n"
               "\n"
               "Exit codes: 0 success, 1 invalid configuration (nothing written),\n"
               "2 usage error, 3 database or daemon error.\n");
}

std::string readInput(const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    text << in.rdbuf();
  }
  return text.str();
}

std::string socketPathFor(const std::string& db, const std::string& override,
                          const config::Config* c) {
  if (!override.empty()) return override;
  if (c && !c->system.control_socket.empty()) return c->system.control_socket;
  return db + ".sock";
}

std::string storedSocketPath(const std::string& db, const std::string& override) {
  if (!override.empty()) return override;
  try {
    auto store = config::ConfigStore::open(db, config::ConfigStore::Mode::ReadOnly);
    const auto c = store.load();
    return socketPathFor(db, override, &c);
  } catch (const std::exception&) {
    return db + ".sock";
  }
}

int daemonCall(const std::string& socketPath, const std::string& method,
               Poco::JSON::Object::Ptr params = nullptr) {
  control::ControlClient client(socketPath);
  std::cout << control::toJsonText(client.call(method, params), 2) << "\n";
  return kOk;
}

int runImport(const std::string& db, const std::string& file, const std::string& socketOverride,
              bool storeIt) {
  const auto parsed = config::fromJson(readInput(file));
  auto errors = parsed.errors;
  if (errors.empty()) errors = config::validate(parsed.config);
  if (!errors.empty()) {
    std::cerr << "callgatectl: " << file << " is not a valid configuration:\n";
    for (const auto& e : errors) std::cerr << "  " << e.field << ": " << e.message << "\n";
    return kInvalid;
  }
  if (!storeIt) {
    std::cout << "valid\n";
    return kOk;
  }
  auto store = config::ConfigStore::open(db, config::ConfigStore::Mode::ReadWrite);
  store.save(parsed.config);
  std::cout << "imported into " << db << " (revision " << store.revision() << ")\n";
  const auto socketPath = socketPathFor(db, socketOverride, &parsed.config);
  if (!std::filesystem::exists(socketPath)) {
    std::cout << "no daemon running at " << socketPath << "; it takes the configuration at start\n";
    return kOk;
  }
  try {
    control::ControlClient client(socketPath);
    std::cout << "daemon reloaded: " << control::toJsonText(client.call("config.reload")) << "\n";
  } catch (const control::ControlError& e) {
    std::cout << "daemon not reloaded: " << e.what() << "\n";
  }
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db;
  std::string socketOverride;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return kOk;
    }
    if ((a == "--db" || a == "--socket") && i + 1 < argc) {
      (a == "--db" ? db : socketOverride) = argv[++i];
    } else {
      args.push_back(a);
    }
  }
  if (args.empty() || (db.empty() && args[0] != "validate")) {
    usage(stderr);
    return kUsage;
  }
  const std::string& command = args[0];
  try {
    if (command == "export") {
      std::string output;
      if (args.size() == 3 && args[1] == "--output")
        output = args[2];
      else if (args.size() != 1)
        return usage(stderr), kUsage;
      auto store = config::ConfigStore::open(db, config::ConfigStore::Mode::ReadOnly);
      const auto text = config::toJson(store.load());
      if (output.empty()) {
        std::cout << text;
      } else {
        const auto tmp = output + ".tmp";
        std::ofstream(tmp, std::ios::binary) << text;
        std::filesystem::rename(tmp, output);
      }
      return kOk;
    }
    if ((command == "import" || command == "validate") && args.size() == 2) {
      return runImport(db, args[1], socketOverride, command == "import");
    }
    const auto socketPath = storedSocketPath(db, socketOverride);
    if (command == "status" && args.size() == 1) return daemonCall(socketPath, "status");
    if (command == "calls" && args.size() == 1) return daemonCall(socketPath, "calls.list");
    if (command == "registrations" && args.size() == 1) {
      return daemonCall(socketPath, "registrations.list");
    }
    if (command == "reload" && args.size() == 1) return daemonCall(socketPath, "config.reload");
    if (command == "hangup" && args.size() == 2) {
      Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
      params->set("id", std::stoull(args[1]));
      return daemonCall(socketPath, "calls.hangup", params);
    }
  } catch (const control::ControlError& e) {
    std::cerr << "callgatectl: " << e.what() << "\n";
    return kFailed;
  } catch (const config::ConfigError& e) {
    std::cerr << "callgatectl: " << e.what() << "\n";
    return kFailed;
  } catch (const std::exception& e) {
    std::cerr << "callgatectl: " << e.what() << "\n";
    return kFailed;
  }
  usage(stderr);
  return kUsage;
}
