#include "net/dns/SipServerLocator.h"

#include <algorithm>
#include <cctype>

#include "core/Random.h"

namespace callgate::net::dns {
namespace {

uint16_t defaultPort(sip::TransportKind kind) {
  return kind == sip::TransportKind::Tls ? 5061 : 5060;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string srvPrefix(sip::TransportKind kind) {
  switch (kind) {
    case sip::TransportKind::Tls:
      return "_sips._tcp.";
    case sip::TransportKind::Tcp:
      return "_sip._tcp.";
    default:
      return "_sip._udp.";
  }
}

std::optional<sip::TransportKind> naptrTransport(const std::string& service) {
  const auto s = lower(service);
  if (s == "sip+d2u") return sip::TransportKind::Udp;
  if (s == "sip+d2t") return sip::TransportKind::Tcp;
  if (s == "sips+d2t") return sip::TransportKind::Tls;
  return std::nullopt;
}

}  // namespace

std::vector<SrvRecord> orderSrvRecords(std::vector<SrvRecord> records, core::Random& random) {
  std::stable_sort(records.begin(), records.end(),
                   [](const SrvRecord& a, const SrvRecord& b) { return a.priority < b.priority; });
  std::vector<SrvRecord> out;
  out.reserve(records.size());
  size_t i = 0;
  while (i < records.size()) {
    size_t j = i;
    while (j < records.size() && records[j].priority == records[i].priority) ++j;
    std::vector<SrvRecord> group(records.begin() + static_cast<long>(i),
                                 records.begin() + static_cast<long>(j));
    // Zero weights first (RFC 2782), then draw by running sums.
    std::stable_partition(group.begin(), group.end(),
                          [](const SrvRecord& r) { return r.weight == 0; });
    while (!group.empty()) {
      uint64_t total = 0;
      for (const auto& r : group) total += r.weight;
      const uint64_t pick = total == 0 ? 0 : random.next() % (total + 1);
      uint64_t sum = 0;
      size_t chosen = 0;
      for (size_t k = 0; k < group.size(); ++k) {
        sum += group[k].weight;
        if (sum >= pick) {
          chosen = k;
          break;
        }
      }
      out.push_back(group[chosen]);
      group.erase(group.begin() + static_cast<long>(chosen));
    }
    i = j;
  }
  // "." means the service is decidedly not available at this domain.
  std::erase_if(out, [](const SrvRecord& r) { return r.target == "." || r.target.empty(); });
  return out;
}

std::vector<NaptrChoice> selectNaptr(std::vector<NaptrRecord> records, bool secure,
                                     const std::vector<sip::TransportKind>& supported) {
  std::stable_sort(records.begin(), records.end(), [](const NaptrRecord& a, const NaptrRecord& b) {
    return a.order != b.order ? a.order < b.order : a.preference < b.preference;
  });
  std::vector<NaptrChoice> out;
  for (const auto& r : records) {
    if (lower(r.flags) != "s" || r.replacement.empty() || r.replacement == ".") continue;
    const auto kind = naptrTransport(r.service);
    if (!kind) continue;
    if (secure && *kind != sip::TransportKind::Tls) continue;
    if (std::find(supported.begin(), supported.end(), *kind) == supported.end()) continue;
    out.push_back({*kind, r.replacement});
  }
  return out;
}

struct SipServerLocator::Lookup {
  std::string host;
  std::function<void(LocateResult)> done;
  std::shared_ptr<bool> alive;
  void finish(LocateResult r) {
    if (*alive) done(std::move(r));
  }
};

SipServerLocator::SipServerLocator(DnsResolver& resolver, core::Random& random,
                                   std::vector<sip::TransportKind> supported)
    : resolver_(resolver),
      random_(random),
      supported_(std::move(supported)),
      alive_(std::make_shared<bool>(true)) {}

SipServerLocator::~SipServerLocator() {
  *alive_ = false;
}

void SipServerLocator::locate(const std::string& host, uint16_t port,
                              std::optional<sip::TransportKind> transport, bool secure,
                              std::function<void(LocateResult)> done) {
  auto lookup = std::make_shared<Lookup>(Lookup{host, std::move(done), alive_});
  const auto kind = transport.value_or(secure ? sip::TransportKind::Tls : sip::TransportKind::Udp);
  // §4.1 and §4.2: a numeric host or an explicit port skip NAPTR and SRV.
  if (auto literal = SocketAddress::fromIp(host, port ? port : defaultPort(kind))) {
    lookup->finish({{{kind, *literal, host}}, {}});
    return;
  }
  if (port != 0) {
    resolveHost(lookup, kind, port);
    return;
  }
  if (transport) {
    resolveSrvTargets(lookup, {{kind, srvPrefix(kind) + host}});
    return;
  }
  resolver_.queryNaptr(host,
                       [this, lookup, secure, kind](std::vector<NaptrRecord> records, std::string) {
                         if (!*lookup->alive) return;
                         const auto choices = selectNaptr(std::move(records), secure, supported_);
                         std::vector<std::pair<sip::TransportKind, std::string>> names;
                         for (const auto& c : choices) names.emplace_back(c.kind, c.srvName);
                         if (names.empty()) {
                           // No NAPTR: SRV for every transport we support, in our order (§4.1).
                           for (auto k : supported_) {
                             if (!secure || k == sip::TransportKind::Tls)
                               names.emplace_back(k, srvPrefix(k) + lookup->host);
                           }
                         }
                         (void)kind;
                         resolveSrvTargets(lookup, std::move(names));
                       });
}

void SipServerLocator::resolveSrvTargets(
    std::shared_ptr<Lookup> lookup,
    std::vector<std::pair<sip::TransportKind, std::string>> srvNames) {
  // Query every SRV name, then every target's addresses; assemble in order.
  struct Gather {
    size_t pending = 0;
    std::vector<std::vector<std::pair<SrvRecord, sip::TransportKind>>> perName;
    std::vector<std::vector<LocatedTarget>> perTarget;
  };
  auto gather = std::make_shared<Gather>();
  gather->pending = srvNames.size();
  gather->perName.resize(srvNames.size());
  const bool secure = !srvNames.empty() && srvNames.front().first == sip::TransportKind::Tls;
  auto afterSrv = [this, lookup, gather, secure] {
    std::vector<std::pair<SrvRecord, sip::TransportKind>> all;
    for (auto& v : gather->perName) all.insert(all.end(), v.begin(), v.end());
    if (all.empty()) {
      // §4.2: no SRV records: the host's addresses on the default port.
      resolveHost(lookup, secure ? sip::TransportKind::Tls : sip::TransportKind::Udp, 0);
      return;
    }
    gather->perTarget.resize(all.size());
    gather->pending = all.size();
    for (size_t i = 0; i < all.size(); ++i) {
      const SrvRecord srv = all[i].first;
      const sip::TransportKind kind = all[i].second;
      resolver_.queryAddresses(
          srv.target, AF_UNSPEC,
          [lookup, gather, i, srv, kind](std::vector<SocketAddress> addrs, std::string) {
            for (auto& a : addrs) {
              a.setPort(srv.port);
              gather->perTarget[i].push_back({kind, a, srv.target});
            }
            if (--gather->pending > 0) return;
            LocateResult r;
            for (auto& v : gather->perTarget) {
              r.targets.insert(r.targets.end(), v.begin(), v.end());
            }
            if (r.targets.empty()) r.error = "SRV targets have no addresses";
            lookup->finish(std::move(r));
          });
    }
  };
  if (srvNames.empty()) {
    afterSrv();
    return;
  }
  for (size_t i = 0; i < srvNames.size(); ++i) {
    const auto kind = srvNames[i].first;
    resolver_.querySrv(srvNames[i].second, [this, lookup, gather, i, kind, afterSrv](
                                               std::vector<SrvRecord> records, std::string) {
      if (!*lookup->alive) return;
      for (auto& r : orderSrvRecords(std::move(records), random_))
        gather->perName[i].emplace_back(r, kind);
      if (--gather->pending == 0) afterSrv();
    });
  }
}

void SipServerLocator::resolveHost(std::shared_ptr<Lookup> lookup, sip::TransportKind kind,
                                   uint16_t port) {
  resolver_.queryAddresses(
      lookup->host, AF_UNSPEC,
      [lookup, kind, port](std::vector<SocketAddress> addrs, std::string error) {
        LocateResult r;
        for (auto& a : addrs) {
          a.setPort(port ? port : defaultPort(kind));
          r.targets.push_back({kind, a, lookup->host});
        }
        if (r.targets.empty()) r.error = error.empty() ? "no address" : error;
        lookup->finish(std::move(r));
      });
}

}  // namespace callgate::net::dns
