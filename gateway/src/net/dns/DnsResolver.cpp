#include "net/dns/DnsResolver.h"

#include <ares.h>
#include <arpa/nameser.h>
#include <netdb.h>

#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

#include "core/EventLoop.h"
#include "core/Log.h"

namespace callgate::net::dns {
namespace {

constexpr std::string_view kLogTag = "net.dns";

void initLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
      throw std::runtime_error("c-ares initialisation failed");
    }
  });
}

}  // namespace

struct DnsResolver::Impl {
  core::EventLoop& loop;
  ares_channel channel = nullptr;
  std::map<int, uint32_t> watched;  // fd -> events
  core::TimerId timer = 0;
  bool destroying = false;

  explicit Impl(core::EventLoop& l) : loop(l) {}

  static void onSocketState(void* data, ares_socket_t fd, int readable, int writable) {
    auto* self = static_cast<Impl*>(data);
    const uint32_t events = (readable ? core::kReadable : 0U) | (writable ? core::kWritable : 0U);
    auto it = self->watched.find(fd);
    if (events == 0) {
      if (it != self->watched.end()) {
        self->loop.removeFd(fd);
        self->watched.erase(it);
      }
      return;
    }
    if (it == self->watched.end()) {
      self->loop.addFd(fd, events, [self, fd](uint32_t ev) {
        const bool r = (ev & (core::kReadable | core::kHangup | core::kError)) != 0;
        const bool w = (ev & core::kWritable) != 0;
        ares_process_fd(self->channel, r ? fd : ARES_SOCKET_BAD, w ? fd : ARES_SOCKET_BAD);
        self->rearm();
      });
      self->watched.emplace(fd, events);
    } else if (it->second != events) {
      self->loop.modifyFd(fd, events);
      it->second = events;
    }
  }

  // c-ares keeps its own timeouts; ask it when to look again.
  void rearm() {
    if (destroying) return;
    if (timer) loop.cancelTimer(timer);
    timer = 0;
    timeval tv{};
    if (!ares_timeout(channel, nullptr, &tv)) return;
    const auto delay = std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
    timer = loop.runAfter(std::chrono::duration_cast<core::Duration>(delay), [this] {
      timer = 0;
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      rearm();
    });
  }

  template <typename T>
  struct Pending {
    Impl* impl;
    Callback<T> done;
    std::function<std::vector<T>(const unsigned char*, int, std::string&)> parse;
  };

  template <typename T>
  void query(const std::string& name, int type, Callback<T> done,
             std::function<std::vector<T>(const unsigned char*, int, std::string&)> parse) {
    auto* pending = new Pending<T>{this, std::move(done), std::move(parse)};
    ares_query(
        channel, name.c_str(), ns_c_in, type,
        [](void* arg, int status, int, unsigned char* abuf, int alen) {
          std::unique_ptr<Pending<T>> p(static_cast<Pending<T>*>(arg));
          if (p->impl->destroying) return;
          std::vector<T> records;
          std::string error;
          if (status == ARES_SUCCESS) {
            records = p->parse(abuf, alen, error);
          } else {
            error = ares_strerror(status);
          }
          p->done(std::move(records), std::move(error));
        },
        pending);
    rearm();
  }
};

DnsResolver::DnsResolver(core::EventLoop& loop, Options options)
    : impl_(std::make_unique<Impl>(loop)) {
  initLibrary();
  ares_options opts{};
  opts.sock_state_cb = &Impl::onSocketState;
  opts.sock_state_cb_data = impl_.get();
  opts.timeout = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout).count());
  opts.tries = options.tries;
  const int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
  if (ares_init_options(&impl_->channel, &opts, mask) != ARES_SUCCESS) {
    throw std::runtime_error("c-ares channel initialisation failed");
  }
  if (!options.servers.empty() &&
      ares_set_servers_ports_csv(impl_->channel, options.servers.c_str()) != ARES_SUCCESS) {
    ares_destroy(impl_->channel);
    throw std::runtime_error("bad DNS server list '" + options.servers + "'");
  }
}

DnsResolver::~DnsResolver() {
  impl_->destroying = true;
  if (impl_->timer) impl_->loop.cancelTimer(impl_->timer);
  ares_destroy(impl_->channel);  // pending callbacks run with ARES_EDESTRUCTION and are dropped
  for (const auto& [fd, events] : impl_->watched) impl_->loop.removeFd(fd);
}

void DnsResolver::queryNaptr(const std::string& name, Callback<NaptrRecord> done) {
  impl_->query<NaptrRecord>(
      name, ns_t_naptr, std::move(done),
      [](const unsigned char* abuf, int alen, std::string& error) {
        std::vector<NaptrRecord> out;
        ares_naptr_reply* reply = nullptr;
        const int rc = ares_parse_naptr_reply(abuf, alen, &reply);
        if (rc != ARES_SUCCESS) {
          error = ares_strerror(rc);
          return out;
        }
        for (auto* r = reply; r; r = r->next) {
          out.push_back({r->order, r->preference, reinterpret_cast<const char*>(r->flags),
                         reinterpret_cast<const char*>(r->service), r->replacement});
        }
        ares_free_data(reply);
        return out;
      });
}

void DnsResolver::querySrv(const std::string& name, Callback<SrvRecord> done) {
  impl_->query<SrvRecord>(name, ns_t_srv, std::move(done),
                          [](const unsigned char* abuf, int alen, std::string& error) {
                            std::vector<SrvRecord> out;
                            ares_srv_reply* reply = nullptr;
                            const int rc = ares_parse_srv_reply(abuf, alen, &reply);
                            if (rc != ARES_SUCCESS) {
                              error = ares_strerror(rc);
                              return out;
                            }
                            for (auto* r = reply; r; r = r->next) {
                              out.push_back({r->priority, r->weight, r->port, r->host});
                            }
                            ares_free_data(reply);
                            return out;
                          });
}

void DnsResolver::queryAddresses(const std::string& name, int family,
                                 Callback<SocketAddress> done) {
  auto parseA = [](const unsigned char* abuf, int alen, std::string& error) {
    std::vector<SocketAddress> out;
    ares_addrttl addrs[32];
    int n = 32;
    const int rc = ares_parse_a_reply(abuf, alen, nullptr, addrs, &n);
    if (rc != ARES_SUCCESS) {
      error = ares_strerror(rc);
      return out;
    }
    for (int i = 0; i < n; ++i) {
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      sa.sin_addr = addrs[i].ipaddr;
      out.push_back(SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&sa), sizeof sa));
    }
    return out;
  };
  auto parseAaaa = [](const unsigned char* abuf, int alen, std::string& error) {
    std::vector<SocketAddress> out;
    ares_addr6ttl addrs[32];
    int n = 32;
    const int rc = ares_parse_aaaa_reply(abuf, alen, nullptr, addrs, &n);
    if (rc != ARES_SUCCESS) {
      error = ares_strerror(rc);
      return out;
    }
    for (int i = 0; i < n; ++i) {
      sockaddr_in6 sa{};
      sa.sin6_family = AF_INET6;
      std::memcpy(&sa.sin6_addr, &addrs[i].ip6addr, sizeof sa.sin6_addr);
      out.push_back(SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&sa), sizeof sa));
    }
    return out;
  };
  if (family == AF_INET) {
    impl_->query<SocketAddress>(name, ns_t_a, std::move(done), parseA);
  } else if (family == AF_INET6) {
    impl_->query<SocketAddress>(name, ns_t_aaaa, std::move(done), parseAaaa);
  } else {
    // IPv4 first, then IPv6 appended; an error only when both fail.
    Impl* impl = impl_.get();
    impl_->query<SocketAddress>(
        name, ns_t_a,
        [impl, name, done = std::move(done), parseAaaa](std::vector<SocketAddress> v4,
                                                        std::string e4) mutable {
          impl->query<SocketAddress>(
              name, ns_t_aaaa,
              [v4 = std::move(v4), e4, done = std::move(done)](std::vector<SocketAddress> v6,
                                                               std::string e6) mutable {
                v4.insert(v4.end(), v6.begin(), v6.end());
                done(std::move(v4), v4.empty() ? (e4.empty() ? e6 : e4) : std::string());
              },
              parseAaaa);
        },
        parseA);
  }
  CG_LOG_TRACE(kLogTag) << "query " << name;
}

}  // namespace callgate::net::dns
