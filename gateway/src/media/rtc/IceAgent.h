#pragma once
// ICE for one WebRTC leg (RFC 8445) with libnice as a full agent: one stream,
// one component (rtcp-mux and BUNDLE put everything on it), host candidates
// on the configured media addresses, server-reflexive and relayed ones when
// a STUN or TURN server is set, and consent freshness (RFC 7675). Lives on
// one media worker's GLib context; every call is made on that thread.
//
// An ICE restart opens a second libnice stream: new credentials on new
// sockets, so our new candidates have new transport addresses. The old
// stream keeps its credentials and carries media until the new one has a
// nominated pair (RFC 8445 §9), then it is closed. Reusing the old sockets
// fails against libwebrtc: its new local ports check our old address with
// our old credentials before our answer arrives, we accept them (nothing
// has restarted yet), one of those pairs gets selected, and a port keeps a
// single pair per remote address, so our new candidate at the same address
// never gets a pair on that port and the restart does not complete.

#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/rtc/IceDirectPath.h"

struct _GMainContext;
struct _GSource;
struct _NiceAgent;
struct _NiceCandidate;

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
  // Serve the nominated pair's UDP socket ourselves (IceDirectPath) once
  // libnice is done with it, instead of receiving through libnice: the
  // listener must claim the socket (onIceClaimSocket). libnice's own consent
  // freshness is then off and IceDirectPath keeps consent. Relayed pairs
  // stay with libnice; with a TURN server set, leave this off (libnice's
  // consent then covers every pair).
  bool serveSelectedPair = false;
  IceConsentTiming consent;
};

enum class IceState : uint8_t { New, Gathering, Checking, Connected, Failed, Closed };
// Who offered an ICE restart: it decides when our checks may start.
enum class IceRestartRole : uint8_t { Answerer, Offerer };
std::string_view iceStateName(IceState state);

class IceAgent {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // Local candidates and credentials are complete (non-trickle). Once:
    // a restart's gathering shows in candidatesComplete().
    virtual void onIceGatheringDone(IceAgent& agent) = 0;
    virtual void onIceStateChanged(IceAgent& agent, IceState state) = 0;
    // A non-STUN datagram from the peer (DTLS, SRTP, SRTCP); the buffer is
    // libnice's and may be modified in place until the call returns.
    virtual void onIcePacket(IceAgent& agent, std::span<uint8_t> datagram) = 0;
    // With serveSelectedPair: read `fd` from now on and hand every datagram
    // to receiveDirect(); false when that cannot be done (libnice keeps it).
    virtual bool onIceClaimSocket(IceAgent&, int /*fd*/) { return false; }
    // Stop reading `fd`: libnice takes it back or is about to close it.
    virtual void onIceReleaseSocket(IceAgent&, int /*fd*/) {}
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
  // The first gathering finished: local parameters can be read. Stays true
  // across restarts (host candidates of a restart are there at once).
  bool gatheringDone() const { return gatheringDone_; }
  // The current stream (the restarted one, if any) finished gathering:
  // server-reflexive and relayed candidates of a restart come later.
  bool candidatesComplete() const { return candidatesComplete_; }
  // Of the current stream: what our next SDP carries.
  std::string localUfrag() const;
  std::string localPassword() const;
  // Candidate attribute values ("candidate:..." without "a="), with
  // advertised addresses in place of bound ones.
  std::vector<std::string> localCandidates() const;

  // From the peer's SDP. Unparseable or TCP candidates are skipped and
  // counted. Returns the number of candidates accepted.
  size_t setRemote(std::string_view ufrag, std::string_view password,
                   const std::vector<std::string>& candidates);
  // ICE restart (RFC 8445 §9): a new stream with new local credentials
  // and candidates; setRemote() brings the peer's new ones. Until the new
  // stream connects, media keeps the pair selected before. As answerer, our
  // checks start with the peer's first check of the new stream: only then
  // does it surely have our answer. False (the old stream stays current) if
  // libnice cannot open a new one.
  bool restart(IceRestartRole role = IceRestartRole::Answerer);
  // A restart's checks are running while the old pair carries media.
  bool restarting() const { return previous_ != 0; }
  uint64_t restartsCompleted() const { return restartsCompleted_; }

  // Sends over the selected pair (the previous one while a restart runs);
  // false before one exists.
  bool send(std::span<const uint8_t> datagram);
  // send() writes to the selected pair's socket itself, bypassing libnice.
  bool sendsDirect() const { return directFd_ >= 0; }
  // The selected pair's socket is read by our listener, not by libnice.
  bool servesSelectedPair() const { return direct_ != nullptr; }
  // A datagram read from the claimed socket: STUN is answered here, the rest
  // goes to onIcePacket. `datagram` may be modified in place.
  IceDirectPath::Verdict receiveDirect(std::span<uint8_t> datagram, const net::SocketAddress& from);
  // STUN on the claimed socket that failed its checks, dropped.
  uint64_t rejectedStun() const { return rejectedStun_; }
  const IceDirectPath* directPath() const { return direct_.get(); }

  IceState state() const { return state_; }
  uint64_t skippedRemoteCandidates() const { return skippedRemote_; }
  // "local-address:port -> remote-address:port" of the current stream's
  // selected pair, "" before there is one.
  std::string selectedPair() const;

  // libnice callbacks (C linkage trampolines in the .cpp).
  void handleGatheringDone(unsigned stream);
  void handlePeerCheck(unsigned stream);
  void handleComponentState(unsigned stream, unsigned state);
  void handlePacket(std::span<uint8_t> datagram);
  // The selected pair (or the stream carrying media) changed.
  void refreshDirectPath();
  void handleConsentTimer();

 private:
  // One candidate for the current stream: UDP, our component; else null.
  _NiceCandidate* parseRemote(const std::string& value) const;
  void addRemoteCandidates(const std::vector<std::string>& values);
  // Adds a stream with our port range and relay, receiving on this agent's
  // context; gathering is started separately. 0 on failure.
  unsigned openStream();
  void closeStream(unsigned stream);
  void finishRestart();
  void setState(IceState state);
  // Claims the nominated pair's socket when libnice is done with it, or
  // gives a claim back when that pair stops carrying media.
  void updateClaim();
  // Sets directFd_/directTo_ from directStream_'s selected pair, if plain UDP.
  void findDirectSocket();
  void releaseClaim();
  void armConsentTimer(int64_t dueUs);
  void cancelConsentTimer();

  // passed in
  _GMainContext* context_;
  Listener& listener_;
  // owned
  _NiceAgent* agent_ = nullptr;
  unsigned stream_ = 0;    // current: its credentials and candidates are in our SDP
  unsigned previous_ = 0;  // the stream before a restart, until the new one connects
  IceSettings settings_;
  IceState state_ = IceState::New;
  bool gatheringDone_ = false;
  bool candidatesComplete_ = false;
  std::string remoteUfrag_;
  std::string remotePassword_;
  // A restart's remote candidates, until the peer's first check shows it
  // knows our new credentials.
  std::vector<std::string> heldCandidates_;
  bool holdChecks_ = false;  // we answer a restart
  bool peerChecked_ = false;
  uint64_t restartsCompleted_ = 0;
  uint64_t skippedRemote_ = 0;
  std::string error_;
  // Where send() goes without libnice: the selected pair's socket and peer.
  int directFd_ = -1;
  unsigned directStream_ = 0;
  sockaddr_storage directTo_{};
  socklen_t directToLength_ = 0;
  // The claimed socket, while our listener reads it.
  std::unique_ptr<IceDirectPath> direct_;
  unsigned claimedStream_ = 0;
  _GSource* consentTimer_ = nullptr;
  uint64_t rejectedStun_ = 0;
  bool destroying_ = false;
};

}  // namespace callgate::media::rtc
