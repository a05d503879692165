#pragma once
// callgated's composition root: builds the event loop, transports, transaction
// layer, B2BUA and control socket from the configuration, applies reloads, and
// shuts down cleanly on SIGTERM. Nothing here is reusable; it only wires.

#include <memory>
#include <string>
#include <vector>

namespace callgate::app {

struct DaemonOptions {
  std::string dbPath;
  std::string logLevelOverride;  // "" = from the configuration
};

class Daemon {
 public:
  explicit Daemon(DaemonOptions options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Runs until SIGTERM/SIGINT; returns the process exit code.
  int run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace callgate::app
