#include "b2bua/Registrar.h"

#include <algorithm>
#include <charconv>

#include "core/Log.h"
#include "sip/msg/SipMessage.h"

namespace callgate::b2bua {
namespace {

constexpr std::string_view kLogTag = "b2bua.registrar";
using namespace std::chrono_literals;

std::optional<uint32_t> parseUint(std::string_view text) {
  uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

Registrar::Registrar(core::TimerQueue& timers, RegistrarSettings settings)
    : timers_(timers), settings_(std::move(settings)) {}

Registrar::~Registrar() {
  if (sweepTimer_) timers_.cancel(sweepTimer_);
}

RegisterResult Registrar::handleRegister(const sip::SipMessage& request, sip::TransportKind kind,
                                         const net::SocketAddress& source,
                                         sip::ConnectionId connection) {
  purgeExpired();
  RegisterResult result;
  const auto to = request.to();
  if (!to || to->uri.user.empty()) {
    return {404, "Address-of-record has no user part", {}, std::nullopt};
  }
  if (!settings_.domain.empty() && !equalsIgnoreCase(to->uri.host, settings_.domain)) {
    return {403, "Domain not served here", {}, std::nullopt};
  }
  const std::string user(to->uri.user);
  const std::string callId(request.callId());
  const uint32_t cseq = request.cseq() ? request.cseq()->number : 0;

  std::optional<uint32_t> headerExpires = request.expires();
  const auto contacts = request.headerValues(sip::HeaderId::Contact);
  const auto now = timers_.clock().now();

  // "Contact: *" removes every binding, only with Expires: 0 and alone (§10.3 step 6).
  const bool wildcard =
      std::any_of(contacts.begin(), contacts.end(), [](std::string_view c) { return c == "*"; });
  if (wildcard) {
    if (contacts.size() != 1 || !headerExpires || *headerExpires != 0) {
      return {400, "Wildcard Contact needs Expires: 0", {}, std::nullopt};
    }
    bindings_.erase(user);
    CG_LOG_INFO(kLogTag) << "removed all bindings of " << user;
    return {200, "OK", {}, std::nullopt};
  }

  for (std::string_view contactText : contacts) {
    const auto contact = sip::NameAddr::parse(contactText);
    if (!contact) return {400, "Bad Contact", {}, std::nullopt};
    uint32_t expires = headerExpires.value_or(settings_.defaultExpires);
    if (auto param = contact->param("expires")) {
      const auto parsed = parseUint(*param);
      if (!parsed) return {400, "Bad Contact expires", {}, std::nullopt};
      expires = *parsed;
    }
    if (expires != 0 && expires < settings_.minExpires) {
      return {423, "Interval Too Brief", {}, settings_.minExpires};
    }
    expires = std::min(expires, settings_.maxExpires);
    const std::string uri(contact->uriText);

    auto [first, last] = bindings_.equal_range(user);
    auto existing =
        std::find_if(first, last, [&](const auto& e) { return e.second.contactUri == uri; });
    if (existing != last) {
      // Same Call-ID with an older or equal CSeq is a stale retransmission (§10.3 step 7).
      if (existing->second.callId == callId && cseq <= existing->second.cseq) {
        return {500, "Stale registration refresh", {}, std::nullopt};
      }
      if (expires == 0) {
        bindings_.erase(existing);
        continue;
      }
    } else if (expires == 0) {
      continue;
    }
    Binding binding{user,
                    uri,
                    callId,
                    cseq,
                    kind,
                    source,
                    connection,
                    now + std::chrono::seconds(expires),
                    std::string(request.headerValue(sip::HeaderId::UserAgent))};
    if (existing != last) {
      existing->second = std::move(binding);
    } else {
      bindings_.emplace(user, std::move(binding));
      CG_LOG_INFO(kLogTag) << "registered " << user << " at " << uri << " via "
                           << sip::transportName(kind) << " " << source.toString();
    }
  }

  auto [first, last] = bindings_.equal_range(user);
  for (auto it = first; it != last; ++it) {
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(it->second.expiresAt - now).count();
    result.contactHeaders.push_back("<" + it->second.contactUri +
                                    ">;expires=" + std::to_string(std::max<int64_t>(left, 0)));
  }
  result.reason = "OK";
  scheduleSweep();
  return result;
}

std::vector<const Binding*> Registrar::lookup(std::string_view user) const {
  std::vector<const Binding*> out;
  const auto now = timers_.clock().now();
  auto [first, last] = bindings_.equal_range(user);
  for (auto it = first; it != last; ++it) {
    if (it->second.expiresAt > now) out.push_back(&it->second);
  }
  std::sort(out.begin(), out.end(),
            [](const Binding* a, const Binding* b) { return a->expiresAt > b->expiresAt; });
  return out;
}

void Registrar::onConnectionClosed(sip::ConnectionId connection) {
  if (connection == 0) return;
  std::erase_if(bindings_, [&](const auto& entry) {
    if (entry.second.connection != connection) return false;
    CG_LOG_INFO(kLogTag) << "connection closed, removed binding of " << entry.first;
    return true;
  });
}

bool Registrar::hasBindingOn(sip::ConnectionId connection) const {
  if (connection == 0) return false;
  const auto now = timers_.clock().now();
  return std::any_of(bindings_.begin(), bindings_.end(), [&](const auto& entry) {
    return entry.second.connection == connection && entry.second.expiresAt > now;
  });
}

std::vector<Binding> Registrar::bindings() const {
  std::vector<Binding> out;
  for (const auto& [user, binding] : bindings_) out.push_back(binding);
  return out;
}

void Registrar::purgeExpired() {
  const auto now = timers_.clock().now();
  std::erase_if(bindings_, [&](const auto& entry) { return entry.second.expiresAt <= now; });
}

void Registrar::scheduleSweep() {
  if (sweepTimer_ || bindings_.empty()) return;
  sweepTimer_ = timers_.schedule(30s, [this] {
    sweepTimer_ = 0;
    purgeExpired();
    scheduleSweep();
  });
}

}  // namespace callgate::b2bua
