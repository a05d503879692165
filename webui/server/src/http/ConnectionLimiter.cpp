#include "http/ConnectionLimiter.h"

#include <cstring>

namespace callgate::mgmt::http {

ConnectionLimiter::Slot::Slot(Slot&& other) noexcept
    : owner_(other.owner_), client_(std::move(other.client_)) {
  other.owner_ = nullptr;
}

ConnectionLimiter::Slot& ConnectionLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    if (owner_ != nullptr) owner_->release(client_);
    owner_ = other.owner_;
    client_ = std::move(other.client_);
    other.owner_ = nullptr;
  }
  return *this;
}

ConnectionLimiter::Slot::~Slot() {
  if (owner_ != nullptr) owner_->release(client_);
}

std::optional<ConnectionLimiter::Slot> ConnectionLimiter::acquire(const std::string& client) {
  std::lock_guard lock(mutex_);
  const auto it = open_.find(client);
  if (it == open_.end()) {
    if (maxPerClient_ == 0) return std::nullopt;
    open_.emplace(client, 1);
  } else if (it->second >= maxPerClient_) {
    return std::nullopt;
  } else {
    ++it->second;
  }
  return Slot(*this, client);
}

void ConnectionLimiter::release(const std::string& client) {
  std::lock_guard lock(mutex_);
  const auto it = open_.find(client);
  if (it == open_.end()) return;
  if (--it->second == 0) open_.erase(it);
}

size_t ConnectionLimiter::count(const std::string& client) const {
  std::lock_guard lock(mutex_);
  const auto it = open_.find(client);
  return it == open_.end() ? 0 : it->second;
}

size_t ConnectionLimiter::clients() const {
  std::lock_guard lock(mutex_);
  return open_.size();
}

std::string ConnectionLimiter::clientKey(const Poco::Net::IPAddress& address) {
  if (address.family() == Poco::Net::IPAddress::IPv4) return address.toString();
  // RFC 4291 §2.5.5.2: ::ffff:a.b.c.d is the IPv4 host a.b.c.d.
  if (address.isIPv4Mapped()) {
    const auto* bytes = static_cast<const unsigned char*>(address.addr());
    return std::to_string(bytes[12]) + "." + std::to_string(bytes[13]) + "." +
           std::to_string(bytes[14]) + "." + std::to_string(bytes[15]);
  }
  unsigned char prefix[16] = {};
  std::memcpy(prefix, address.addr(), 8);
  return Poco::Net::IPAddress(prefix, sizeof prefix).toString() + "/64";
}

}  // namespace callgate::mgmt::http
