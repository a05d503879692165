#include "media/rtc/IceAgent.h"

#include <nice/agent.h>

#include <cstring>

#include "core/Log.h"

namespace callgate::media::rtc {
namespace {

constexpr guint kComponent = 1;

void onGatheringDone(NiceAgent*, guint, gpointer self) {
  static_cast<IceAgent*>(self)->handleGatheringDone();
}

void onComponentState(NiceAgent*, guint, guint component, guint state, gpointer self) {
  if (component == kComponent) static_cast<IceAgent*>(self)->handleComponentState(state);
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
    : listener_(listener), settings_(settings) {
  const auto options = static_cast<NiceAgentOption>(NICE_AGENT_OPTION_REGULAR_NOMINATION |
                                                    NICE_AGENT_OPTION_CONSENT_FRESHNESS);
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
  stream_ = nice_agent_add_stream(agent_, 1);
  if (stream_ == 0) {
    error_ = "libnice could not add a stream";
    g_object_unref(agent_);
    agent_ = nullptr;
    return;
  }
  nice_agent_set_stream_name(agent_, stream_, "audio");
  if (settings_.portMin != 0) {
    nice_agent_set_port_range(agent_, stream_, kComponent, settings_.portMin, settings_.portMax);
  }
  const auto& s = settings_.servers;
  if (!s.turnIp.empty()) {
    nice_agent_set_relay_info(agent_, stream_, kComponent, s.turnIp.c_str(), s.turnPort,
                              s.turnUsername.c_str(), s.turnPassword.c_str(),
                              relayType(s.turnTransport));
  }
  g_signal_connect(agent_, "candidate-gathering-done", G_CALLBACK(onGatheringDone), this);
  g_signal_connect(agent_, "component-state-changed", G_CALLBACK(onComponentState), this);
  nice_agent_attach_recv(agent_, stream_, kComponent, context, onReceive, this);
}

IceAgent::~IceAgent() {
  if (!agent_) return;
  nice_agent_attach_recv(agent_, stream_, kComponent, nullptr, nullptr, nullptr);
  g_signal_handlers_disconnect_by_data(agent_, this);
  nice_agent_remove_stream(agent_, stream_);
  g_object_unref(agent_);
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
  GSList* list = nullptr;
  size_t accepted = 0;
  for (const auto& value : candidates) {
    const std::string line = "a=" + value;
    NiceCandidate* candidate = nice_agent_parse_remote_candidate_sdp(agent_, stream_, line.c_str());
    if (!candidate || candidate->component_id != kComponent ||
        candidate->transport != NICE_CANDIDATE_TRANSPORT_UDP) {
      if (candidate) nice_candidate_free(candidate);
      ++skippedRemote_;
      continue;
    }
    list = g_slist_append(list, candidate);
    ++accepted;
  }
  if (list) nice_agent_set_remote_candidates(agent_, stream_, kComponent, list);
  g_slist_free_full(list, reinterpret_cast<GDestroyNotify>(&nice_candidate_free));
  if (accepted > 0 && state_ != IceState::Connected) setState(IceState::Checking);
  return accepted;
}

bool IceAgent::restart() {
  if (!agent_) return false;
  return nice_agent_restart_stream(agent_, stream_) == TRUE;
}

bool IceAgent::send(std::span<const uint8_t> datagram) {
  // During an ICE restart media keeps using the pair selected before
  // (RFC 8445 §9); libnice refuses only when no pair was ever selected.
  if (!agent_ || state_ == IceState::Failed || state_ == IceState::Closed) return false;
  return nice_agent_send(agent_, stream_, kComponent, static_cast<guint>(datagram.size()),
                         reinterpret_cast<const gchar*>(datagram.data())) >= 0;
}

void IceAgent::handleGatheringDone() {
  gatheringDone_ = true;
  listener_.onIceGatheringDone(*this);
}

void IceAgent::handleComponentState(unsigned state) {
  CG_LOG_DEBUG("media.ice") << "libnice component state " << state;
  switch (state) {
    case NICE_COMPONENT_STATE_CONNECTING:
      setState(IceState::Checking);
      break;
    case NICE_COMPONENT_STATE_CONNECTED:
    case NICE_COMPONENT_STATE_READY:
      setState(IceState::Connected);
      break;
    case NICE_COMPONENT_STATE_FAILED:
      setState(IceState::Failed);
      break;
    default:
      break;
  }
}

void IceAgent::handlePacket(std::span<uint8_t> datagram) {
  listener_.onIcePacket(*this, datagram);
}

void IceAgent::setState(IceState state) {
  if (state_ == state) return;
  CG_LOG_DEBUG("media.ice") << "ICE " << iceStateName(state_) << " -> " << iceStateName(state);
  state_ = state;
  listener_.onIceStateChanged(*this, state);
}

}  // namespace callgate::media::rtc
