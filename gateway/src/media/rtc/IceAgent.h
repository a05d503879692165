#pragma once
// ICE for one WebRTC leg (RFC 8445) with libnice as a full agent: one stream,
// one component (rtcp-mux and BUNDLE put everything on it), host candidates
// on the configured media addresses, server-reflexive and relayed ones when
// a STUN or TURN server is set, and consent freshness (RFC 7675). Lives on
// one media worker's GLib context; every call is made on that thread.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct _GMainContext;
struct _NiceAgent;

namespace callgate::media::rtc {

struct IceAddress {
  std::string bind;        // IP literal the sockets bind to
  std::string advertised;  // written into candidates instead of `bind` (1:1 NAT); "" = bind
};

struct IceServers {
  std::string stunIp;  // resolved addresses only: the worker never blocks on DNS
  uint16_t stunPort = 3478;
  std::string turnIp;
  uint16_t turnPort = 3478;
  std::string turnTransport = "udp";  // udp|tcp|tls
  std::string turnUsername;
  std::string turnPassword;
};

struct IceSettings {
  std::vector<IceAddress> addresses;
  uint16_t portMin = 0;
  uint16_t portMax = 0;
  IceServers servers;
};

enum class IceState : uint8_t { New, Gathering, Checking, Connected, Failed, Closed };
std::string_view iceStateName(IceState state);

class IceAgent {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // Local candidates and credentials are complete (non-trickle).
    virtual void onIceGatheringDone(IceAgent& agent) = 0;
    virtual void onIceStateChanged(IceAgent& agent, IceState state) = 0;
    // A non-STUN datagram from the peer (DTLS, SRTP, SRTCP); the buffer is
    // libnice's and may be modified in place until the call returns.
    virtual void onIcePacket(IceAgent& agent, std::span<uint8_t> datagram) = 0;
  };

  // `controlling`: the offerer controls (RFC 8445 §6.1.1). Check ok() after.
  IceAgent(_GMainContext* context, Listener& listener, const IceSettings& settings,
           bool controlling);
  ~IceAgent();
  IceAgent(const IceAgent&) = delete;
  IceAgent& operator=(const IceAgent&) = delete;

  bool ok() const { return agent_ != nullptr; }
  const std::string& error() const { return error_; }

  // Starts gathering; onIceGatheringDone follows (perhaps before this returns).
  bool gather();
  bool gatheringDone() const { return gatheringDone_; }
  std::string localUfrag() const;
  std::string localPassword() const;
  // Candidate attribute values ("candidate:..." without "a="), with
  // advertised addresses in place of bound ones.
  std::vector<std::string> localCandidates() const;

  // From the peer's SDP. Unparseable or TCP candidates are skipped and
  // counted. Returns the number of candidates accepted.
  size_t setRemote(std::string_view ufrag, std::string_view password,
                   const std::vector<std::string>& candidates);
  // ICE restart (RFC 8445 §9): new local credentials; checks start again
  // when the new remote ones arrive.
  bool restart();

  // Sends over the selected pair (the previous one while a restart runs);
  // false before one exists.
  bool send(std::span<const uint8_t> datagram);

  IceState state() const { return state_; }
  uint64_t skippedRemoteCandidates() const { return skippedRemote_; }

  // libnice callbacks (C linkage trampolines in the .cpp).
  void handleGatheringDone();
  void handleComponentState(unsigned state);
  void handlePacket(std::span<uint8_t> datagram);

 private:
  void setState(IceState state);

  // passed in
  Listener& listener_;
  // owned
  _NiceAgent* agent_ = nullptr;
  unsigned stream_ = 0;
  IceSettings settings_;
  IceState state_ = IceState::New;
  bool gatheringDone_ = false;
  uint64_t skippedRemote_ = 0;
  std::string error_;
};

}  // namespace callgate::media::rtc
