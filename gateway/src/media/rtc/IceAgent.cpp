#include "media/rtc/IceAgent.h"

#include <nice/agent.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/Log.h"

namespace callgate::media::rtc {
namespace {

constexpr const char* kLogTag = "media.ice";
constexpr guint kComponent = 1;

void onGatheringDone(NiceAgent*, guint stream, gpointer self) {
  static_cast<IceAgent*>(self)->handleGatheringDone(stream);
}

void onComponentState(NiceAgent*, guint stream, guint component, guint state, gpointer self) {
  if (component == kComponent) static_cast<IceAgent*>(self)->handleComponentState(stream, state);
}

// A peer-reflexive remote candidate: a check from an address not yet known.
void onNewRemoteCandidate(NiceAgent*, NiceCandidate* candidate, gpointer self) {
  if (candidate && candidate->component_id == kComponent) {
    static_cast<IceAgent*>(self)->handlePeerCheck(candidate->stream_id);
  }
}

void onSelectedPair(NiceAgent*, guint, guint component, NiceCandidate*, NiceCandidate*,
                    gpointer self) {
  if (component == kComponent) static_cast<IceAgent*>(self)->refreshDirectPath();
}

gboolean onConsentTimer(gpointer self) {
  static_cast<IceAgent*>(self)->handleConsentTimer();
  return G_SOURCE_REMOVE;  // handleConsentTimer arms the next one
}

void onReceive(NiceAgent*, guint, guint component, guint length, gchar* data, gpointer self) {
  if (component != kComponent || length == 0) return;
  static_cast<IceAgent*>(self)->handlePacket({reinterpret_cast<uint8_t*>(data), length});
}

NiceRelayType relayType(const std::string& transport) {
  if (transport == "tcp") return NICE_RELAY_TYPE_TURN_TCP;
  if (transport == "tls") return NICE_RELAY_TYPE_TURN_TLS;
  return NICE_RELAY_TYPE_TURN_UDP;
}

}  // namespace

std::string_view iceStateName(IceState state) {
  switch (state) {
    case IceState::New:
      return "new";
    case IceState::Gathering:
      return "gathering";
    case IceState::Checking:
      return "checking";
    case IceState::Connected:
      return "connected";
    case IceState::Failed:
      return "failed";
    case IceState::Closed:
      return "closed";
  }
  return "?";
}

IceAgent::IceAgent(GMainContext* context, Listener& listener, const IceSettings& settings,
                   bool controlling)
    : context_(context), listener_(listener), settings_(settings) {
  // When we serve the nominated pair ourselves, libnice never sees the
  // answers to its consent checks: IceDirectPath keeps consent instead.
  const auto options = static_cast<NiceAgentOption>(
      NICE_AGENT_OPTION_REGULAR_NOMINATION |
      (settings_.serveSelectedPair ? 0 : NICE_AGENT_OPTION_CONSENT_FRESHNESS));
  agent_ = nice_agent_new_full(context, NICE_COMPATIBILITY_RFC5245, options);
  if (!agent_) {
    error_ = "libnice could not create an agent";
    return;
  }
  // UDP only: TCP candidates (RFC 6544) are not offered or used.
  g_object_set(agent_, "controlling-mode", controlling ? TRUE : FALSE, "ice-tcp", FALSE, "ice-udp",
               TRUE, "upnp", FALSE, nullptr);
  if (!settings_.servers.stunIp.empty()) {
    g_object_set(agent_, "stun-server", settings_.servers.stunIp.c_str(), "stun-server-port",
                 static_cast<guint>(settings_.servers.stunPort), nullptr);
  }
  for (const auto& address : settings_.addresses) {
    NiceAddress a;
    nice_address_init(&a);
    if (!nice_address_set_from_string(&a, address.bind.c_str())) {
      error_ = "not an IP address: " + address.bind;
      continue;
    }
    nice_agent_add_local_address(agent_, &a);
  }
  g_signal_connect(agent_, "candidate-gathering-done", G_CALLBACK(onGatheringDone), this);
  g_signal_connect(agent_, "component-state-changed", G_CALLBACK(onComponentState), this);
  g_signal_connect(agent_, "new-remote-candidate-full", G_CALLBACK(onNewRemoteCandidate), this);
  g_signal_connect(agent_, "new-selected-pair-full", G_CALLBACK(onSelectedPair), this);
  stream_ = openStream();
  if (stream_ == 0) {
    error_ = "libnice could not add a stream";
    g_signal_handlers_disconnect_by_data(agent_, this);
    g_object_unref(agent_);
    agent_ = nullptr;
  }
}

IceAgent::~IceAgent() {
  // The listener is being destroyed too: it gives up its claim itself.
  destroying_ = true;
  cancelConsentTimer();
  if (!agent_) return;
  g_signal_handlers_disconnect_by_data(agent_, this);
  closeStream(previous_);
  closeStream(stream_);
  g_object_unref(agent_);
}

unsigned IceAgent::openStream() {
  const unsigned stream = nice_agent_add_stream(agent_, 1);
  if (stream == 0) return 0;
  nice_agent_set_stream_name(agent_, stream, "audio");
  if (settings_.portMin != 0) {
    nice_agent_set_port_range(agent_, stream, kComponent, settings_.portMin, settings_.portMax);
  }
  const auto& s = settings_.servers;
  if (!s.turnIp.empty()) {
    nice_agent_set_relay_info(agent_, stream, kComponent, s.turnIp.c_str(), s.turnPort,
                              s.turnUsername.c_str(), s.turnPassword.c_str(),
                              relayType(s.turnTransport));
  }
  nice_agent_attach_recv(agent_, stream, kComponent, context_, onReceive, this);
  return stream;
}

void IceAgent::closeStream(unsigned stream) {
  if (stream == 0) return;
  if (direct_ && stream == claimedStream_) releaseClaim();  // before libnice closes its socket
  if (stream == directStream_) directFd_ = -1;              // its socket closes with it
  nice_agent_attach_recv(agent_, stream, kComponent, nullptr, nullptr, nullptr);
  nice_agent_remove_stream(agent_, stream);
}

bool IceAgent::gather() {
  if (!agent_) return false;
  setState(IceState::Gathering);
  if (!nice_agent_gather_candidates(agent_, stream_)) {
    error_ = "no local address to gather candidates on (ports " +
             std::to_string(settings_.portMin) + "-" + std::to_string(settings_.portMax) + ")";
    setState(IceState::Failed);
    return false;
  }
  return true;
}

std::string IceAgent::localUfrag() const {
  gchar* ufrag = nullptr;
  gchar* password = nullptr;
  if (!agent_ || !nice_agent_get_local_credentials(agent_, stream_, &ufrag, &password)) return {};
  std::string out = ufrag ? ufrag : "";
  g_free(ufrag);
  g_free(password);
  return out;
}

std::string IceAgent::localPassword() const {
  gchar* ufrag = nullptr;
  gchar* password = nullptr;
  if (!agent_ || !nice_agent_get_local_credentials(agent_, stream_, &ufrag, &password)) return {};
  std::string out = password ? password : "";
  g_free(ufrag);
  g_free(password);
  return out;
}

std::vector<std::string> IceAgent::localCandidates() const {
  std::vector<std::string> out;
  if (!agent_) return out;
  GSList* list = nice_agent_get_local_candidates(agent_, stream_, kComponent);
  for (GSList* i = list; i; i = i->next) {
    auto* candidate = static_cast<NiceCandidate*>(i->data);
    if (candidate->type == NICE_CANDIDATE_TYPE_HOST) {
      gchar bound[NICE_ADDRESS_STRING_LEN];
      nice_address_to_string(&candidate->addr, bound);
      for (const auto& address : settings_.addresses) {
        if (!address.advertised.empty() && address.bind == bound) {
          const guint port = nice_address_get_port(&candidate->addr);
          nice_address_set_from_string(&candidate->addr, address.advertised.c_str());
          nice_address_set_port(&candidate->addr, port);
          // A host candidate is its own base (RFC 8445 §5.1.1.1): no raddr
          // may reveal the private address behind the NAT.
          candidate->base_addr = candidate->addr;
        }
      }
    }
    gchar* line = nice_agent_generate_local_candidate_sdp(agent_, candidate);
    if (line) {
      std::string_view text(line);
      if (text.starts_with("a=")) text.remove_prefix(2);
      out.emplace_back(text);
      g_free(line);
    }
    nice_candidate_free(candidate);
  }
  g_slist_free(list);
  return out;
}

size_t IceAgent::setRemote(std::string_view ufrag, std::string_view password,
                           const std::vector<std::string>& candidates) {
  if (!agent_) return 0;
  const std::string u(ufrag);
  const std::string p(password);
  nice_agent_set_remote_credentials(agent_, stream_, u.c_str(), p.c_str());
  remoteUfrag_ = u;
  remotePassword_ = p;
  std::vector<std::string> accepted;
  for (const auto& value : candidates) {
    if (NiceCandidate* candidate = parseRemote(value)) {
      nice_candidate_free(candidate);
      accepted.push_back(value);
    } else {
      ++skippedRemote_;
    }
  }
  // Answering a restart, our ordinary checks wait for the peer's first
  // check of the new stream, which shows it has our answer. Checks reaching
  // a browser before our answer become peer-reflexive pairs that libwebrtc
  // prunes at once (its old pair is writable and of higher priority), and a
  // pruned pair is never checked again: the restart would not complete.
  if (previous_ != 0 && holdChecks_ && !peerChecked_) {
    heldCandidates_ = std::move(accepted);
    return heldCandidates_.size();
  }
  addRemoteCandidates(accepted);
  if (!accepted.empty() && state_ != IceState::Connected) setState(IceState::Checking);
  return accepted.size();
}

NiceCandidate* IceAgent::parseRemote(const std::string& value) const {
  const std::string line = "a=" + value;
  NiceCandidate* candidate = nice_agent_parse_remote_candidate_sdp(agent_, stream_, line.c_str());
  if (candidate && (candidate->component_id != kComponent ||
                    candidate->transport != NICE_CANDIDATE_TRANSPORT_UDP)) {
    nice_candidate_free(candidate);
    candidate = nullptr;
  }
  return candidate;
}

void IceAgent::addRemoteCandidates(const std::vector<std::string>& values) {
  GSList* list = nullptr;
  for (const auto& value : values) {
    if (NiceCandidate* candidate = parseRemote(value)) list = g_slist_append(list, candidate);
  }
  if (list) nice_agent_set_remote_candidates(agent_, stream_, kComponent, list);
  g_slist_free_full(list, reinterpret_cast<GDestroyNotify>(&nice_candidate_free));
}

bool IceAgent::restart(IceRestartRole role) {
  if (!agent_) return false;
  const unsigned old = stream_;
  // The old stream carries media until the new one connects (RFC 8445 §9);
  // one that never connected, or a restart that had not finished, has
  // nothing worth keeping.
  const bool keepOld = previous_ == 0 && state_ == IceState::Connected;
  const unsigned next = openStream();
  if (next == 0) {
    error_ = "libnice could not add a stream for the ICE restart";
    return false;
  }
  // Current before gathering: host candidates are done within the call.
  stream_ = next;
  candidatesComplete_ = false;
  remoteUfrag_.clear();
  remotePassword_.clear();
  heldCandidates_.clear();
  holdChecks_ = role == IceRestartRole::Answerer;
  peerChecked_ = false;
  if (!nice_agent_gather_candidates(agent_, next)) {
    closeStream(next);
    stream_ = old;
    candidatesComplete_ = true;
    error_ = "no local port for the ICE restart (ports " + std::to_string(settings_.portMin) + "-" +
             std::to_string(settings_.portMax) + ")";
    return false;
  }
  if (keepOld) {
    previous_ = old;
  } else if (old != previous_) {
    closeStream(old);
  }
  refreshDirectPath();
  if (previous_ != 0) setState(IceState::Checking);
  CG_LOG_DEBUG(kLogTag) << "ICE restart: new local ufrag " << localUfrag();
  return true;
}

bool IceAgent::send(std::span<const uint8_t> datagram) {
  // During an ICE restart media keeps using the pair selected before
  // (RFC 8445 §9); libnice refuses only when no pair was ever selected.
  if (!agent_ || state_ == IceState::Failed || state_ == IceState::Closed) return false;
  if (direct_) {
    // The peer may have nominated another of its addresses on this socket.
    const auto& to = direct_->remote();
    const auto sent = sendto(direct_->fd(), datagram.data(), datagram.size(), MSG_DONTWAIT,
                             to.sockaddrPtr(), to.length());
    return sent == static_cast<ssize_t>(datagram.size());
  }
  if (directFd_ >= 0) {
    const auto sent = sendto(directFd_, datagram.data(), datagram.size(), MSG_DONTWAIT,
                             reinterpret_cast<const sockaddr*>(&directTo_), directToLength_);
    return sent == static_cast<ssize_t>(datagram.size());
  }
  const unsigned via = previous_ != 0 ? previous_ : stream_;
  return nice_agent_send(agent_, via, kComponent, static_cast<guint>(datagram.size()),
                         reinterpret_cast<const gchar*>(datagram.data())) >= 0;
}

void IceAgent::refreshDirectPath() {
  // A selected pair on a plain UDP socket (host or server-reflexive) is sent
  // to directly: libnice's send path takes the agent lock and walks its
  // stream and component lists for every packet. Relayed pairs (TURN framing)
  // and anything unusual keep going through libnice.
  directFd_ = -1;
  directStream_ = previous_ != 0 ? previous_ : stream_;
  findDirectSocket();
  updateClaim();
}

void IceAgent::findDirectSocket() {
  if (!agent_ || directStream_ == 0) return;
  NiceCandidate* local = nullptr;
  NiceCandidate* remote = nullptr;
  if (!nice_agent_get_selected_pair(agent_, directStream_, kComponent, &local, &remote) || !local ||
      !remote || local->type == NICE_CANDIDATE_TYPE_RELAYED ||
      local->transport != NICE_CANDIDATE_TRANSPORT_UDP) {
    return;
  }
  GSocket* socket = nice_agent_get_selected_socket(agent_, directStream_, kComponent);
  if (!socket) return;
  const int fd = g_socket_get_fd(socket);
  g_object_unref(socket);  // libnice keeps its own reference while the stream lives
  directTo_ = {};
  nice_address_copy_to_sockaddr(&remote->addr, reinterpret_cast<sockaddr*>(&directTo_));
  directToLength_ = directTo_.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  if (directTo_.ss_family != AF_INET && directTo_.ss_family != AF_INET6) return;
  directFd_ = fd;
}

std::string IceAgent::selectedPair() const {
  NiceCandidate* local = nullptr;
  NiceCandidate* remote = nullptr;
  if (!agent_ || !nice_agent_get_selected_pair(agent_, stream_, kComponent, &local, &remote) ||
      !local || !remote) {
    return {};
  }
  gchar l[NICE_ADDRESS_STRING_LEN];
  gchar r[NICE_ADDRESS_STRING_LEN];
  nice_address_to_string(&local->addr, l);
  nice_address_to_string(&remote->addr, r);
  return std::string(l) + ":" + std::to_string(nice_address_get_port(&local->addr)) + " -> " + r +
         ":" + std::to_string(nice_address_get_port(&remote->addr));
}

void IceAgent::handleGatheringDone(unsigned stream) {
  if (stream != stream_) return;
  candidatesComplete_ = true;
  // A restart's gathering is not announced: host candidates are there when
  // restart() returns, and listeners expect this once.
  if (gatheringDone_) return;
  gatheringDone_ = true;
  listener_.onIceGatheringDone(*this);
}

void IceAgent::handlePeerCheck(unsigned stream) {
  if (stream != stream_ || peerChecked_) return;
  peerChecked_ = true;
  if (heldCandidates_.empty()) return;
  CG_LOG_DEBUG(kLogTag) << "ICE restart: the peer checks the new stream; checking its "
                        << heldCandidates_.size() << " candidates";
  addRemoteCandidates(std::exchange(heldCandidates_, {}));
}

void IceAgent::handleComponentState(unsigned stream, unsigned state) {
  CG_LOG_DEBUG(kLogTag) << "libnice stream " << stream << " component state " << state;
  // The old stream's fate no longer matters once a restart runs: the new
  // one connects (and replaces it) or fails (and fails the leg).
  if (stream != stream_) return;
  switch (state) {
    case NICE_COMPONENT_STATE_CONNECTING:
      setState(IceState::Checking);
      break;
    case NICE_COMPONENT_STATE_CONNECTED:
    case NICE_COMPONENT_STATE_READY:
      if (previous_ != 0) finishRestart();
      refreshDirectPath();
      setState(IceState::Connected);
      break;
    case NICE_COMPONENT_STATE_FAILED:
      setState(IceState::Failed);
      break;
    default:
      break;
  }
}

void IceAgent::finishRestart() {
  // The peer nominated a pair of the new stream, so it sends there now.
  closeStream(previous_);
  previous_ = 0;
  refreshDirectPath();
  ++restartsCompleted_;
  CG_LOG_INFO(kLogTag) << "ICE restart complete: local ufrag " << localUfrag() << ", remote ufrag "
                       << remoteUfrag_ << ", pair " << selectedPair();
}

void IceAgent::handlePacket(std::span<uint8_t> datagram) {
  listener_.onIcePacket(*this, datagram);
}

void IceAgent::updateClaim() {
  if (!settings_.serveSelectedPair || destroying_) return;
  int fd = -1;
  if (state_ != IceState::Failed && state_ != IceState::Closed && directFd_ >= 0) {
    if (previous_ != 0) {
      // While a restart runs, a claim already made on the old pair stays.
      if (direct_ && claimedStream_ == directStream_) fd = directFd_;
    } else if (nice_agent_get_component_state(agent_, directStream_, kComponent) ==
               NICE_COMPONENT_STATE_READY) {
      // Only once libnice has finished its checks: answers to checks of its
      // own would otherwise reach us instead of it.
      fd = directFd_;
    }
  }
  if (direct_ && direct_->fd() == fd && claimedStream_ == directStream_) return;
  releaseClaim();
  if (fd < 0 || !listener_.onIceClaimSocket(*this, fd)) return;
  gboolean controlling = FALSE;
  g_object_get(agent_, "controlling-mode", &controlling, nullptr);
  IceCredentials credentials{localUfrag(), localPassword(), remoteUfrag_, remotePassword_};
  const auto remote = net::SocketAddress::fromSockaddr(
      reinterpret_cast<const sockaddr*>(&directTo_), directToLength_);
  const int64_t now = g_get_monotonic_time();
  direct_ = std::make_unique<IceDirectPath>(fd, remote, std::move(credentials),
                                            controlling != FALSE, settings_.consent, now);
  claimedStream_ = directStream_;
  armConsentTimer(now + settings_.consent.intervalUs);
  CG_LOG_DEBUG(kLogTag) << "serving the selected pair " << selectedPair() << " directly";
}

void IceAgent::releaseClaim() {
  cancelConsentTimer();
  if (!direct_) return;
  const int fd = direct_->fd();
  direct_.reset();
  claimedStream_ = 0;
  if (!destroying_) listener_.onIceReleaseSocket(*this, fd);
}

IceDirectPath::Verdict IceAgent::receiveDirect(std::span<uint8_t> datagram,
                                               const net::SocketAddress& from) {
  if (!direct_) return IceDirectPath::Verdict::Rejected;
  const auto verdict = direct_->onDatagram(datagram, from, g_get_monotonic_time());
  if (verdict == IceDirectPath::Verdict::Media) listener_.onIcePacket(*this, datagram);
  if (verdict == IceDirectPath::Verdict::Rejected) ++rejectedStun_;
  return verdict;
}

void IceAgent::armConsentTimer(int64_t dueUs) {
  cancelConsentTimer();
  const int64_t waitMs = std::max<int64_t>(1, (dueUs - g_get_monotonic_time() + 999) / 1000);
  consentTimer_ = g_timeout_source_new(static_cast<guint>(waitMs));
  g_source_set_callback(consentTimer_, onConsentTimer, this, nullptr);
  g_source_attach(consentTimer_, context_);
}

void IceAgent::cancelConsentTimer() {
  if (!consentTimer_) return;
  g_source_destroy(consentTimer_);
  g_source_unref(consentTimer_);
  consentTimer_ = nullptr;
}

void IceAgent::handleConsentTimer() {
  if (!direct_) return;
  const int64_t now = g_get_monotonic_time();
  if (direct_->consentExpired(now)) {
    CG_LOG_INFO(kLogTag) << "consent expired on " << selectedPair() << ": no answer to "
                         << direct_->consentChecksSent() << " checks for "
                         << settings_.consent.expiryUs / 1000 << " ms";
    setState(IceState::Failed);
    return;
  }
  armConsentTimer(direct_->sendConsentCheck(now));
}

void IceAgent::setState(IceState state) {
  if (state_ == state) return;
  CG_LOG_DEBUG(kLogTag) << "ICE " << iceStateName(state_) << " -> " << iceStateName(state);
  state_ = state;
  if (state == IceState::Failed || state == IceState::Closed) releaseClaim();
  listener_.onIceStateChanged(*this, state);
}

}  // namespace callgate::media::rtc
