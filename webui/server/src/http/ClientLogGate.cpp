#include "http/ClientLogGate.h"

namespace callgate::mgmt::http {

std::optional<uint64_t> ClientLogGate::allow(const std::string& client) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  auto it = clients_.find(client);
  if (it == clients_.end()) {
    if (clients_.size() >= maxClients_) prune(now);
    clients_.emplace(client, Entry{now, 0});
    return 0;
  }
  Entry& e = it->second;
  if (now - e.lastLine < interval_) {
    ++e.heldBack;
    return std::nullopt;
  }
  const uint64_t heldBack = e.heldBack;
  e = Entry{now, 0};
  return heldBack;
}

void ClientLogGate::prune(core::TimePoint now) {
  std::erase_if(clients_,
                [&](const auto& item) { return now - item.second.lastLine >= interval_; });
  // Still full (that many clients within one interval): start over rather
  // than grow; at worst a client gets one extra line.
  if (clients_.size() >= maxClients_) clients_.clear();
}

}  // namespace callgate::mgmt::http
