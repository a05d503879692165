// media_load: a WebRTC ↔ RTP media load generator for benchmarking callgated
// (or, for comparison, rtpengine) on one core.
//
// Every call has two ends played here. The browser end places the call (SIP
// over WebSocket toward callgated, or an ng "offer" toward rtpengine) with a
// WebRTC offer, then does ICE as the controlling agent, DTLS-SRTP and sends
// SRTP. The phone end answers over UDP with RTP/AVP and sends plain RTP. Both
// send one 20 ms packet every 20 ms. The number of concurrent calls is ramped
// up in steps; each step is measured over a window for loss, one-way delay
// through the target, packets per second, the target's CPU time and RSS.
//
// Relayed calls: the payload passes through untouched, so each packet carries
// a trailer (call, counter, send time in CLOCK_REALTIME ns) after its real
// Opus frame; loss and delay are exact per packet. Transcoded calls: the
// payload is decoded and re-encoded, so loss is counted from the RTP
// timestamps of what arrives (the target's output clock advances every
// 20 ms slot whether it sends or not) plus the frames callgated reports it
// concealed, and delay is measured on tone onsets.
// Arrival times are kernel receive timestamps (SO_TIMESTAMPNS), so the
// generator's own scheduling does not inflate them.
//
//   media_load --target callgated --mode relay|transcode --ws 127.0.0.1:PORT
//              --uas-port PORT --pid PID [--control SOCKET]
//   media_load --target rtpengine --mode relay --ng 127.0.0.1:PORT --pid PID
//   common: [--steps 25,50,...] [--measure-s 10] [--budget-s 300]
//           [--setup-rate 100] [--loss-limit 0.1] [--sockets 8] [--latency-legs 16]

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "media/codec/G711.h"
#include "media/codec/OpusCodec.h"
#include "media/rtc/DtlsIdentity.h"
#include "media/rtc/SrtpSession.h"
#include "media/rtp/Demux.h"
#include "media/rtp/RtpPacket.h"
#include "media/sdp/SdpParser.h"
#include "media/stun/StunMessage.h"
#include "media_audio.h"
#include "media_ng.h"
#include "media_sip.h"
#include "media_webrtc_peer.h"

namespace callgate::bench {
namespace {

using media::rtp::RtpPacket;

int64_t clockNs(clockid_t id) {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}
int64_t monoNs() {
  return clockNs(CLOCK_MONOTONIC);
}
int64_t realNs() {
  return clockNs(CLOCK_REALTIME);
}

enum class Target { Callgated, Rtpengine };
enum class Mode { Relay, Transcode };

struct Options {
  Target target = Target::Callgated;
  Mode mode = Mode::Relay;
  std::string ip = "127.0.0.1";
  uint16_t wsPort = 0;
  uint16_t uasPort = 0;
  uint16_t ngPort = 0;
  int pid = 0;
  std::string control;
  std::vector<int> steps{25, 50, 100, 200, 400, 600, 800, 1000, 1200, 1600, 2000, 2500, 3000};
  int measureS = 10;
  int budgetS = 300;
  double setupRate = 100;
  double lossLimitPct = 0.1;
  int sockets = 8;
  int latencyLegs = 16;
};

// Directions: Up = browser → phone (SRTP in, RTP out of the target),
// Down = phone → browser.
constexpr int kUp = 0;
constexpr int kDown = 1;
constexpr uint32_t kTrailerMagic = 0x43474D42;  // "CGMB"
constexpr size_t kTrailerSize = 20;
constexpr size_t kPacketCapacity = 1500;

void put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
uint32_t get32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
void put64(uint8_t* p, uint64_t v) {
  put32(p, static_cast<uint32_t>(v >> 32));
  put32(p + 4, static_cast<uint32_t>(v));
}
uint64_t get64(const uint8_t* p) {
  return (uint64_t{get32(p)} << 32) | get32(p + 4);
}

enum class Phase : uint8_t { Idle, Offering, Connecting, Media, Failed, Ended };

struct TxState {
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  uint32_t counter = 0;
  size_t frame = 0;
  int64_t lastOnsetNs = 0;  // realtime send time of the last tone onset
};

struct RxState {
  // Relayed: packets whose counter lies in [windowStart, windowEnd).
  uint32_t windowStart = 0;
  uint32_t windowEnd = 0;
  uint64_t windowReceived = 0;
  // Transcoded: timestamps seen in the window.
  bool haveTimestamp = false;
  uint32_t firstTimestamp = 0;
  uint32_t lastTimestamp = 0;
  OnsetDetector onset;
};

struct Call {
  uint32_t index = 0;
  Phase phase = Phase::Idle;
  bool counted = false;  // part of the current measurement window
  std::string failure;
  // signalling toward the browser end (WS dialog or ng call)
  std::string callId, fromTag, toTag, remoteTarget;
  std::string uasResponse;  // our 200 for the target's INVITE, for retransmissions
  std::string offerSdp;     // the browser end's offer (ng retransmissions)
  int ngAttempts = 0;
  int64_t ngSentMs = 0;
  std::string ngPending;  // "offer" or "answer" while waiting
  std::string ngCookie;
  // legs
  std::unique_ptr<WebRtcPeer> web;
  int webSocket = 0;
  int rtpSocket = 0;
  sockaddr_in rtpRemote{};
  bool rtpKnown = false;
  uint8_t upPayloadType = 111;  // what the browser end sends
  uint8_t downPayloadType = 0;  // what the phone end sends
  uint8_t downOffered = 0;      // what the far side's SDP asked the phone end for
  TxState tx[2];
  RxState rx[2];
  std::unique_ptr<media::codec::OpusDecoder> decoder;  // transcoded, sampled calls
  int64_t startedMs = 0;
  int64_t readyMs = 0;
};

struct UdpSocket {
  int fd = -1;
  uint16_t port = 0;
  uint32_t lastDrops = 0;
};

UdpSocket openUdp(uint16_t port = 0) {
  UdpSocket s;
  s.fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (s.fd < 0) {
    std::perror("socket");
    std::exit(2);
  }
  const int size = 8 << 20;
  // SO_RCVBUFFORCE passes rmem_max as root; fall back to the capped option.
  if (::setsockopt(s.fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
    ::setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  if (::setsockopt(s.fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0) {
    ::setsockopt(s.fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  }
  const int one = 1;
  ::setsockopt(s.fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  ::setsockopt(s.fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(s.fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    std::perror("bind");
    std::exit(2);
  }
  socklen_t len = sizeof a;
  ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&a), &len);
  s.port = ntohs(a.sin_port);
  return s;
}

sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// CPU seconds (user + system, all threads) of a process.
double processCpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  double utime = 0, stime = 0;
  // After the name: state is field 3; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::atof(field.c_str());
    if (i == 15) stime = std::atof(field.c_str());
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

long processRssKib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// Time the process's threads spent runnable but waiting for a CPU
// (/proc/PID/task/*/schedstat, second field, ns): other jobs on the core.
int64_t runQueueWaitNs(int pid) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  int64_t total = 0;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::ifstream in(dir + "/" + e->d_name + "/schedstat");
      int64_t running = 0, waiting = 0;
      if (in >> running >> waiting) total += waiting;
    }
    ::closedir(d);
  }
  return total;
}

double selfCpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// callgated's counters over its control socket (JSON-RPC "status"): the
// request is sent here and the reply read by the event loop, so a slow answer
// never stalls the traffic. Returns the connected socket or -1.
int requestGatewayCounters(const std::string& path) {
  if (path.empty()) return -1;
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
  const std::string request = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n";
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 ||
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::map<std::string, uint64_t> parseGatewayCounters(const std::string& reply) {
  std::map<std::string, uint64_t> out;
  size_t pos = 0;
  while ((pos = reply.find("\"media.", pos)) != std::string::npos) {
    const auto end = reply.find('"', pos + 1);
    if (end == std::string::npos) break;
    const std::string key = reply.substr(pos + 1, end - pos - 1);
    pos = end + 1;
    while (pos < reply.size() && (reply[pos] == ':' || reply[pos] == ' ')) ++pos;
    out[key] = std::strtoull(reply.c_str() + pos, nullptr, 10);
  }
  return out;
}

std::string counterDelta(const std::map<std::string, uint64_t>& before,
                         const std::map<std::string, uint64_t>& after, const std::string& key) {
  const auto a = after.find(key);
  if (a == after.end()) return "-";
  const auto b = before.find(key);
  return std::to_string(a->second - (b == before.end() ? 0 : b->second));
}

// Socket kinds in epoll data.
constexpr int kKindWeb = 1;
constexpr int kKindRtp = 2;
constexpr int kKindWs = 3;
constexpr int kKindUas = 4;
constexpr int kKindNg = 5;
constexpr int kKindControl = 6;

struct StepResult {
  int calls = 0;
  int established = 0;
  double lossPct = 0;
  bool ok = false;
  long rssKib = 0;
  double usPerPacket = 0;
  double pps = 0;
  bool disturbed = false;
  bool generatorBound = false;
  double targetCpuPct = 0;
  double p50Us = 0, p99Us = 0;
};

class Generator {
 public:
  explicit Generator(Options options) : o_(std::move(options)) {}
  int run();

 private:
  // setup and signalling
  void connectSignalling();
  void startCall(Call& c);
  std::string browserOffer(const Call& c) const;
  std::string phoneAnswer(const Call& c) const;
  bool readPhoneOffer(Call& c, std::string_view sdp);
  bool applyBrowserAnswer(Call& c, std::string_view sdp);
  void onWsMessage(const std::string& message);
  bool registerOnWebSocket(std::string* error);
  void onUasDatagram(std::string_view message, const sockaddr_in& from);
  void sendNg(Call& c, const std::string& command);
  void onNgDatagram(std::string_view datagram);
  void failCall(Call& c, std::string reason);
  void hangUpAll();
  Call* callByCallId(std::string_view callId);

  // media
  void sendPacket(Call& c, int direction);
  void onWebDatagram(int socketIndex, uint8_t* data, size_t length, const sockaddr_in& from,
                     int64_t rxNs);
  void onRtpDatagram(uint8_t* data, size_t length, const sockaddr_in& from, int64_t rxNs);
  void onMedia(Call& c, int direction, const RtpPacket& packet, int64_t rxNs);
  void drain(UdpSocket& s, int kind, int socketIndex);

  // event loop
  void pump(int64_t untilNs, const std::function<bool()>& done = nullptr);
  void maintenance(int64_t nowNs);
  void runSlots(int64_t nowNs);
  void enterMedia(Call& c);

  // measurement
  void openWindow();
  void closeWindow();
  StepResult measureStep(int calls, double settleS);
  StepResult measureWindow(int calls, double setupS, int attempt);
  void loopbackBaseline();
  void requestCounters(std::map<std::string, uint64_t>* into);
  void readCounters();

  Options o_;
  std::shared_ptr<const media::rtc::DtlsIdentity> identity_;
  std::vector<UdpSocket> webSockets_, rtpSockets_;
  UdpSocket uas_, ng_;
  WsClient ws_;
  int epoll_ = -1;
  std::vector<std::unique_ptr<Call>> calls_;
  std::unordered_map<std::string, uint32_t> byUfrag_;
  std::vector<int32_t> webByPort_ = std::vector<int32_t>(65536, -1);
  std::vector<int32_t> rtpByPort_ = std::vector<int32_t>(65536, -1);
  std::vector<std::vector<std::pair<uint32_t, int>>> slots_ =
      std::vector<std::vector<std::pair<uint32_t, int>>>(20);
  int64_t nextSlotNs_ = 0;
  size_t slotIndex_ = 0;
  int64_t worstLagNs_ = 0;
  uint64_t skippedSlots_ = 0;
  int64_t runBegin_ = 0;
  int64_t nextMaintenanceNs_ = 0;
  int64_t nextSetupNs_ = 0;
  size_t wantCalls_ = 0;
  uint64_t seed_ = 0;
  std::string runTag_;

  FrameCycle upFrames_, downFrames_;
  uint32_t upTicks_ = 960, downTicks_ = 960;

  bool measuring_ = false;
  bool counting_ = false;  // relayed: still accepting window packets after the close
  LatencyHistogram latency_[2];
  uint64_t genDrops_ = 0;
  uint64_t sendFailures_ = 0;
  uint64_t unknownPackets_ = 0;
  uint64_t authFailures_ = 0;
  uint64_t hungUpByTarget_ = 0;
  int setupFailures_ = 0;
  std::map<std::string, int> failureReasons_;
  int controlFd_ = -1;
  std::string controlReply_;
  std::map<std::string, uint64_t>* controlInto_ = nullptr;
};

void Generator::requestCounters(std::map<std::string, uint64_t>* into) {
  if (controlFd_ >= 0) ::close(controlFd_);  // closing also leaves the epoll set
  controlReply_.clear();
  controlInto_ = into;
  controlFd_ = requestGatewayCounters(o_.control);
  if (controlFd_ < 0) return;
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.u32 = static_cast<uint32_t>(kKindControl) << 16;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, controlFd_, &e);
}

void Generator::readCounters() {
  if (controlFd_ < 0) return;
  char buf[8192];
  ssize_t n = 0;
  while ((n = ::recv(controlFd_, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
    controlReply_.append(buf, static_cast<size_t>(n));
  }
  if (controlReply_.find('\n') == std::string::npos && n != 0) return;
  *controlInto_ = parseGatewayCounters(controlReply_);
  ::close(controlFd_);
  controlFd_ = -1;
}

// ---- signalling ----------------------------------------------------------------

void Generator::connectSignalling() {
  if (o_.target == Target::Callgated) {
    std::string error;
    if (!ws_.connect(o_.ip, o_.wsPort, &error)) {
      std::fprintf(stderr, "media_load: %s\n", error.c_str());
      std::exit(2);
    }
    // The gateway lets a WebSocket client reach call-centre peers only once
    // it has registered on that connection (toll-fraud protection).
    if (!registerOnWebSocket(&error)) {
      std::fprintf(stderr, "media_load: %s\n", error.c_str());
      std::exit(2);
    }
    uas_ = openUdp(o_.uasPort);
  } else {
    ng_ = openUdp(0);
  }
}

bool Generator::registerOnWebSocket(std::string* error) {
  const std::string uri = "sip:bench@" + o_.ip;
  std::string m =
      "REGISTER sip:" + o_.ip + ":" + std::to_string(o_.wsPort) + ";transport=ws SIP/2.0\r\n";
  m += "Via: SIP/2.0/WS bench.invalid;branch=z9hG4bKreg" + runTag_ + ";rport\r\n";
  m += "Max-Forwards: 70\r\n";
  m += "From: <" + uri + ">;tag=reg" + runTag_ + "\r\n";
  m += "To: <" + uri + ">\r\n";
  m += "Call-ID: mb-reg-" + runTag_ + "\r\nCSeq: 1 REGISTER\r\n";
  m += "Contact: <sip:bench@bench.invalid;transport=ws>;expires=3600\r\n";
  m += "Expires: 3600\r\nContent-Length: 0\r\n\r\n";
  if (!ws_.sendText(m)) {
    *error = "WebSocket closed before REGISTER";
    return false;
  }
  for (int waited = 0; waited < 50; ++waited) {
    pollfd p{ws_.fd(), POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    for (const auto& message : ws_.onReadable()) {
      if (sipCseqMethod(message) != "REGISTER") continue;
      const int status = sipStatus(message);
      if (status >= 200 && status < 300) return true;
      if (status >= 300) {
        *error = "REGISTER answered " + std::to_string(status);
        return false;
      }
    }
  }
  *error = "no answer to REGISTER";
  return false;
}

std::string Generator::browserOffer(const Call& c) const {
  // What Chromium offers, less video and data: one audio m= line bundled, ICE
  // with a single host candidate, DTLS actpass, rtcp-mux.
  const auto& web = *c.web;
  std::string s;
  s += "v=0\r\n";
  s += "o=- " + std::to_string(1000000 + c.index) + " 2 IN IP4 127.0.0.1\r\n";
  s += "s=-\r\nt=0 0\r\n";
  s += "a=group:BUNDLE 0\r\n";
  s += "a=msid-semantic: WMS bench\r\n";
  s += "m=audio " + std::to_string(web.localPort()) + " UDP/TLS/RTP/SAVPF 111 0 8 126\r\n";
  s += "c=IN IP4 127.0.0.1\r\n";
  s += "a=rtcp:9 IN IP4 0.0.0.0\r\n";
  s += "a=candidate:1 1 udp 2122260223 127.0.0.1 " + std::to_string(web.localPort()) +
       " typ host generation 0\r\n";
  s += "a=ice-ufrag:" + web.localUfrag() + "\r\n";
  s += "a=ice-pwd:" + web.localPassword() + "\r\n";
  s += "a=fingerprint:" + identity_->fingerprintAlgorithm() + " " + identity_->fingerprint() +
       "\r\n";
  s += "a=setup:actpass\r\n";
  s += "a=mid:0\r\n";
  s += "a=sendrecv\r\n";
  s += "a=msid:bench track" + std::to_string(c.index) + "\r\n";
  s += "a=rtcp-mux\r\n";
  s += "a=rtpmap:111 opus/48000/2\r\n";
  s += "a=fmtp:111 minptime=10;useinbandfec=1\r\n";
  s += "a=rtpmap:0 PCMU/8000\r\n";
  s += "a=rtpmap:8 PCMA/8000\r\n";
  s += "a=rtpmap:126 telephone-event/8000\r\n";
  s += "a=ssrc:" + std::to_string(c.tx[kUp].ssrc) + " cname:bench" + std::to_string(c.index) +
       "\r\n";
  return s;
}

std::string Generator::phoneAnswer(const Call& c) const {
  const uint16_t port = rtpSockets_[static_cast<size_t>(c.rtpSocket)].port;
  const bool opus = o_.mode == Mode::Relay;
  std::string s;
  s += "v=0\r\n";
  s += "o=- " + std::to_string(2000000 + c.index) + " 1 IN IP4 127.0.0.1\r\n";
  s += "s=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n";
  s += "m=audio " + std::to_string(port) + " RTP/AVP " + std::to_string(c.downPayloadType) + "\r\n";
  s += "a=rtpmap:" + std::to_string(c.downPayloadType) +
       (opus ? " opus/48000/2\r\n" : " PCMU/8000\r\n");
  // RTCP to the same port: the generator reads and ignores it.
  s += "a=rtcp:" + std::to_string(port) + "\r\n";
  s += "a=sendrecv\r\n";
  return s;
}

bool Generator::readPhoneOffer(Call& c, std::string_view sdp) {
  std::string error;
  const auto parsed = media::sdp::parseSdp(sdp, &error);
  if (!parsed || parsed->media.empty()) {
    failCall(c, "phone side: unusable offer: " + error);
    return false;
  }
  const auto& m = parsed->media.front();
  const auto connection = media::sdp::effectiveConnection(*parsed, m);
  if (!connection || connection->address != "127.0.0.1") {
    failCall(c, "phone side: offer not on 127.0.0.1");
    return false;
  }
  const bool wantOpus = o_.mode == Mode::Relay;
  bool found = false;
  for (const auto& f : m.formats) {
    const bool opus = f.encoding == "opus" || f.encoding == "OPUS";
    const bool pcmu = f.encoding == "PCMU" || f.encoding == "pcmu";
    if ((wantOpus && opus) || (!wantOpus && pcmu)) {
      c.downPayloadType = f.payloadType;
      found = true;
      break;
    }
  }
  if (!found) {
    failCall(c, std::string("phone side: offer lacks ") + (wantOpus ? "opus" : "PCMU"));
    return false;
  }
  c.rtpRemote = loopback(m.port);
  c.rtpKnown = true;
  rtpByPort_[m.port] = static_cast<int32_t>(c.index);
  return true;
}

bool Generator::applyBrowserAnswer(Call& c, std::string_view sdp) {
  std::string error;
  const auto parsed = media::sdp::parseSdp(sdp, &error);
  if (!parsed || parsed->media.empty()) {
    failCall(c, "browser side: unusable answer: " + error);
    return false;
  }
  const auto& m = parsed->media.front();
  const auto [ufrag, pwd] = media::sdp::effectiveIceCredentials(*parsed, m);
  const auto& fingerprints = media::sdp::effectiveFingerprints(*parsed, m);
  const auto setup = media::sdp::effectiveSetup(*parsed, m);
  const media::sdp::Candidate* candidate = nullptr;
  for (const auto& cand : m.candidates) {
    if (cand.component == 1 && (cand.transport == "udp" || cand.transport == "UDP") &&
        cand.address == "127.0.0.1") {
      candidate = &cand;
      break;
    }
  }
  if (ufrag.empty() || pwd.empty() || fingerprints.empty() || !candidate || m.formats.empty()) {
    failCall(c, "browser side: answer lacks ICE, DTLS or a loopback candidate");
    return false;
  }
  c.upPayloadType = m.formats.front().payloadType;
  webByPort_[candidate->port] = static_cast<int32_t>(c.index);
  // The answerer's a=setup decides (RFC 5763 §5): active makes us the server.
  const bool weAreServer = setup != media::sdp::Setup::Passive;
  c.web->setRemote(ufrag, pwd, loopback(candidate->port), fingerprints.front().algorithm,
                   fingerprints.front().value, weAreServer);
  c.phase = Phase::Connecting;
  return true;
}

void Generator::startCall(Call& c) {
  c.startedMs = monoNs() / 1000000;
  c.webSocket = static_cast<int>(c.index % webSockets_.size());
  c.rtpSocket = static_cast<int>(c.index % rtpSockets_.size());
  const auto& ws = webSockets_[static_cast<size_t>(c.webSocket)];
  c.web = std::make_unique<WebRtcPeer>(*identity_, ws.fd, ws.port, c.index, seed_);
  byUfrag_[c.web->localUfrag()] = c.index;
  for (int d = 0; d < 2; ++d) {
    c.tx[d].ssrc = static_cast<uint32_t>(seed_ >> 7) * 2654435761u + c.index * 2 + d + 1;
    c.tx[d].sequence = static_cast<uint16_t>(c.index * 7919 + d);
    c.tx[d].timestamp = c.index * 104729u + static_cast<uint32_t>(d);
  }
  if (o_.mode == Mode::Transcode && static_cast<int>(c.index) < o_.latencyLegs) {
    c.decoder = media::codec::OpusDecoder::create(8000, 1);
  }
  c.callId = "mb-" + runTag_ + "-" + std::to_string(c.index);
  c.fromTag = "f" + std::to_string(c.index);
  c.phase = Phase::Offering;
  const std::string offer = browserOffer(c);
  if (o_.target == Target::Rtpengine) {
    c.ngPending = "offer";
    c.ngAttempts = 0;
    c.offerSdp = offer;
    sendNg(c, "offer");
    return;
  }
  std::string m = "INVITE sip:c" + std::to_string(c.index) + "@" + o_.ip + ":" +
                  std::to_string(o_.wsPort) + ";transport=ws SIP/2.0\r\n";
  m += "Via: SIP/2.0/WS bench.invalid;branch=z9hG4bK" + c.callId + "i;rport\r\n";
  m += "Max-Forwards: 70\r\n";
  m += "From: <sip:browser" + std::to_string(c.index) + "@bench.invalid>;tag=" + c.fromTag + "\r\n";
  m += "To: <sip:c" + std::to_string(c.index) + "@" + o_.ip + ">\r\n";
  m += "Call-ID: " + c.callId + "\r\nCSeq: 1 INVITE\r\n";
  m += "Contact: <sip:browser" + std::to_string(c.index) + "@bench.invalid;transport=ws>\r\n";
  m += "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(offer.size()) +
       "\r\n\r\n" + offer;
  if (!ws_.sendText(m)) failCall(c, "WebSocket closed");
}

Call* Generator::callByCallId(std::string_view callId) {
  const std::string prefix = "mb-" + runTag_ + "-";
  if (!callId.starts_with(prefix)) return nullptr;
  const auto index = std::strtoul(std::string(callId.substr(prefix.size())).c_str(), nullptr, 10);
  return index < calls_.size() ? calls_[index].get() : nullptr;
}

void Generator::onWsMessage(const std::string& message) {
  const int status = sipStatus(message);
  Call* c = callByCallId(sipHeader(message, "Call-ID", "i"));
  if (status == 0) {
    // A request from the gateway: BYE when it ends a call, OPTIONS, INFO...
    const auto method = sipMethod(message);
    if (method == "ACK") return;
    ws_.sendText(sipResponse(message, 200, "OK", "", "", "", ""));
    if (method == "BYE" && c && c->phase != Phase::Ended) {
      if (c->phase == Phase::Media) ++hungUpByTarget_;
      failCall(*c, "the gateway sent BYE");
    }
    return;
  }
  if (!c || sipCseqMethod(message) != "INVITE" || status < 200) return;
  if (status >= 300) {
    failCall(*c, "INVITE answered " + std::to_string(status));
    return;
  }
  const auto to = sipHeader(message, "To", "t");
  const bool first = c->toTag.empty();
  c->toTag = std::string(sipTag(to));
  c->remoteTarget = sipContactUri(message);
  std::string ack = "ACK " + c->remoteTarget + " SIP/2.0\r\n";
  ack += "Via: SIP/2.0/WS bench.invalid;branch=z9hG4bK" + c->callId + "a;rport\r\n";
  ack += "Max-Forwards: 70\r\n";
  ack += "From: " + std::string(sipHeader(message, "From", "f")) + "\r\n";
  ack += "To: " + std::string(to) + "\r\n";
  ack += "Call-ID: " + c->callId + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
  ws_.sendText(ack);
  if (first && c->phase == Phase::Offering) applyBrowserAnswer(*c, sipBody(message));
}

void Generator::onUasDatagram(std::string_view message, const sockaddr_in& from) {
  if (sipStatus(message) != 0) return;
  const auto method = sipMethod(message);
  if (method == "ACK") return;
  Call* c = nullptr;
  const auto user = sipRequestUser(message);
  if (user.starts_with("c")) {
    const auto index = std::strtoul(std::string(user.substr(1)).c_str(), nullptr, 10);
    if (index < calls_.size()) c = calls_[index].get();
  }
  auto reply = [&](const std::string& text) {
    ::sendto(uas_.fd, text.data(), text.size(), 0, reinterpret_cast<const sockaddr*>(&from),
             sizeof from);
  };
  if (method == "INVITE" && c) {
    if (c->uasResponse.empty()) {
      if (!readPhoneOffer(*c, sipBody(message))) {
        reply(sipResponse(message, 488, "Not Acceptable Here", "p" + std::to_string(c->index), "",
                          "", ""));
        return;
      }
      const std::string contact =
          "Contact: <sip:phone@127.0.0.1:" + std::to_string(uas_.port) + ">\r\n";
      c->uasResponse = sipResponse(message, 200, "OK", "p" + std::to_string(c->index), contact,
                                   "application/sdp", phoneAnswer(*c));
    }
    reply(c->uasResponse);  // also for a retransmitted INVITE
    return;
  }
  reply(sipResponse(message, 200, "OK", "", "", "", ""));
  if (method == "BYE" && c && c->phase != Phase::Ended) {
    if (c->phase == Phase::Media) ++hungUpByTarget_;
    failCall(*c, "the gateway sent BYE to the phone");
  }
}

void Generator::sendNg(Call& c, const std::string& command) {
  std::map<std::string, NgValue> dict;
  dict["command"] = command;
  dict["call-id"] = c.callId;
  dict["from-tag"] = c.fromTag;
  if (command == "offer") {
    dict["sdp"] = c.offerSdp;
    // Toward the phone: plain RTP without ICE, RTCP on its own port; the
    // browser side keeps what it offered (ICE, DTLS-SRTP, rtcp-mux).
    dict["transport-protocol"] = std::string("RTP/AVP");
    dict["ICE"] = std::string("remove");
    dict["rtcp-mux"] = std::vector<std::string>{"demux", "accept"};
  } else if (command == "answer") {
    dict["to-tag"] = std::string("t") + std::to_string(c.index);
    dict["sdp"] = phoneAnswer(c);
  }
  c.ngCookie =
      runTag_ + "_" + std::to_string(c.index) + "_" + command + "_" + std::to_string(c.ngAttempts);
  const std::string datagram = c.ngCookie + " " + bencodeDict(dict);
  const sockaddr_in to = loopback(o_.ngPort);
  ::sendto(ng_.fd, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to),
           sizeof to);
  c.ngSentMs = monoNs() / 1000000;
  ++c.ngAttempts;
}

void Generator::onNgDatagram(std::string_view datagram) {
  const auto space = datagram.find(' ');
  if (space == std::string_view::npos) return;
  const auto cookie = datagram.substr(0, space);
  const auto first = cookie.find('_');
  const auto second = cookie.find('_', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return;
  const auto index =
      std::strtoul(std::string(cookie.substr(first + 1, second - first - 1)).c_str(), nullptr, 10);
  if (index >= calls_.size()) return;
  Call& c = *calls_[index];
  if (c.ngPending.empty() || cookie.find("_" + c.ngPending + "_") == std::string_view::npos) {
    return;  // a late answer to a retransmission
  }
  const auto reply = bdecodeStrings(datagram.substr(space + 1));
  if (!reply || reply->count("result") == 0 || reply->at("result") != "ok") {
    const std::string reason =
        reply && reply->count("error-reason") ? reply->at("error-reason") : "bad reply";
    failCall(c, "rtpengine " + c.ngPending + ": " + reason);
    return;
  }
  const std::string sdp = reply->count("sdp") ? reply->at("sdp") : "";
  if (c.ngPending == "offer") {
    c.ngPending.clear();
    if (!readPhoneOffer(c, sdp)) return;
    c.ngPending = "answer";
    c.ngAttempts = 0;
    sendNg(c, "answer");
  } else if (c.ngPending == "answer") {
    c.ngPending.clear();
    applyBrowserAnswer(c, sdp);
  } else if (c.ngPending == "delete") {
    c.ngPending.clear();
  }
}

void Generator::failCall(Call& c, std::string reason) {
  if (c.phase == Phase::Failed || c.phase == Phase::Ended) return;
  const bool wasMedia = c.phase == Phase::Media;
  c.phase = wasMedia ? Phase::Ended : Phase::Failed;
  if (!wasMedia) ++setupFailures_;
  c.failure = reason;
  ++failureReasons_[reason.substr(0, 80)];
  if (std::getenv("MEDIA_LOAD_DEBUG")) {
    std::fprintf(stderr, "call %u failed after %" PRId64 " ms: %s (%s)\n", c.index,
                 monoNs() / 1000000 - c.startedMs, reason.c_str(),
                 c.web ? c.web->describe().c_str() : "-");
  }
}

void Generator::hangUpAll() {
  size_t sent = 0;
  for (auto& c : calls_) {
    if (c->phase == Phase::Failed || c->phase == Phase::Ended || c->phase == Phase::Idle) continue;
    if (o_.target == Target::Callgated) {
      if (c->toTag.empty()) continue;
      std::string m = "BYE " + c->remoteTarget + " SIP/2.0\r\n";
      m += "Via: SIP/2.0/WS bench.invalid;branch=z9hG4bK" + c->callId + "b;rport\r\n";
      m += "Max-Forwards: 70\r\n";
      m += "From: <sip:browser" + std::to_string(c->index) + "@bench.invalid>;tag=" + c->fromTag +
           "\r\n";
      m += "To: <sip:c" + std::to_string(c->index) + "@" + o_.ip + ">;tag=" + c->toTag + "\r\n";
      m += "Call-ID: " + c->callId + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
      ws_.sendText(m);
    } else {
      c->ngPending = "delete";
      c->ngAttempts = 0;
      sendNg(*c, "delete");
    }
    c->phase = Phase::Ended;
    // Pace the teardown so the target's signalling is not flooded.
    if (++sent % 200 == 0) pump(monoNs() + 100000000);
  }
  pump(monoNs() + 1000000000);
}

// ---- media ---------------------------------------------------------------------

void Generator::enterMedia(Call& c) {
  c.phase = Phase::Media;
  c.readyMs = monoNs() / 1000000;
  if (c.index == 0) {
    std::printf("first_call srtp_profile=%s setup_ms=%" PRId64 " %s\n",
                std::string(c.web->srtpProfile()).c_str(), c.readyMs - c.startedMs,
                c.web->describe().c_str());
  }
  slots_[c.index % 20].push_back({c.index, kUp});
  slots_[(c.index + 10) % 20].push_back({c.index, kDown});
}

void Generator::sendPacket(Call& c, int direction) {
  uint8_t buf[kPacketCapacity];
  TxState& tx = c.tx[direction];
  const bool up = direction == kUp;
  const auto& frames = up ? upFrames_ : downFrames_;
  const auto& frame = frames.frames[tx.frame];
  const uint8_t pt = up ? c.upPayloadType : c.downPayloadType;
  size_t length = RtpPacket::writeHeader(std::span<uint8_t>(buf, kPacketCapacity), pt,
                                         tx.counter == 0, tx.sequence, tx.timestamp, tx.ssrc);
  std::memcpy(buf + length, frame.data(), frame.size());
  length += frame.size();
  const int64_t now = realNs();
  if (o_.mode == Mode::Relay) {
    put32(buf + length, kTrailerMagic);
    put32(buf + length + 4, c.index);
    put32(buf + length + 8, tx.counter);
    put64(buf + length + 12, static_cast<uint64_t>(now));
    length += kTrailerSize;
  } else if (tx.frame == 0) {
    tx.lastOnsetNs = now;
  }
  // One system call per packet, right after its stamp: the delay measured
  // starts when the packet leaves.
  bool sent = false;
  if (up) {
    sent =
        c.web->protect(buf, length, kPacketCapacity) &&
        ::sendto(c.web->fd(), buf, length, 0, reinterpret_cast<const sockaddr*>(&c.web->remote()),
                 sizeof(sockaddr_in)) == static_cast<ssize_t>(length);
  } else {
    const int fd = rtpSockets_[static_cast<size_t>(c.rtpSocket)].fd;
    sent = ::sendto(fd, buf, length, 0, reinterpret_cast<const sockaddr*>(&c.rtpRemote),
                    sizeof c.rtpRemote) == static_cast<ssize_t>(length);
  }
  if (!sent) ++sendFailures_;
  ++tx.counter;
  ++tx.sequence;
  tx.timestamp += up ? upTicks_ : downTicks_;
  tx.frame = (tx.frame + 1) % frames.frames.size();
}

void Generator::onMedia(Call& c, int direction, const RtpPacket& packet, int64_t rxNs) {
  RxState& rx = c.rx[direction];
  const auto payload = packet.payload();
  if (o_.mode == Mode::Relay) {
    if (payload.size() < kTrailerSize) return;
    const uint8_t* t = payload.data() + payload.size() - kTrailerSize;
    if (get32(t) != kTrailerMagic || get32(t + 4) != c.index) {
      ++unknownPackets_;
      return;
    }
    const uint32_t counter = get32(t + 8);
    if (!counting_ || !c.counted || counter < rx.windowStart || counter >= rx.windowEnd) return;
    ++rx.windowReceived;
    latency_[direction].add(rxNs - static_cast<int64_t>(get64(t + 12)));
    return;
  }
  // Transcoded: count the target's 20 ms slots by RTP timestamp.
  if (measuring_ && c.counted) {
    const uint32_t ts = packet.timestamp();
    if (!rx.haveTimestamp) {
      rx.haveTimestamp = true;
      rx.firstTimestamp = rx.lastTimestamp = ts;
    } else if (static_cast<int32_t>(ts - rx.lastTimestamp) > 0) {
      rx.lastTimestamp = ts;
    }
    ++rx.windowReceived;
  }
  // Tone onsets: phone side hears G.711 (all calls); browser side hears Opus,
  // decoded for the sampled calls only.
  int16_t pcm[960];
  size_t samples = 0;
  if (direction == kUp) {
    samples = media::codec::ulawDecode(payload, std::span<int16_t>(pcm, 960));
  } else if (c.decoder) {
    const int n = c.decoder->decode(payload, std::span<int16_t>(pcm, 960));
    samples = n > 0 ? static_cast<size_t>(n) : 0;
  }
  if (samples == 0) return;
  const auto at = rx.onset.feed(std::span<const int16_t>(pcm, samples));
  const int64_t sentNs = c.tx[direction].lastOnsetNs;
  if (!at || !measuring_ || !c.counted || sentNs == 0) return;
  // Sample k of a frame that arrived at t was heard at t + k/8000 s, counting
  // each frame's samples from the same point as the sender did.
  const int64_t delay = rxNs + static_cast<int64_t>(*at) * 125000 - sentNs;
  if (delay > 0 && delay < 400000000) latency_[direction].add(delay);
}

void Generator::onWebDatagram(int socketIndex, uint8_t* data, size_t length,
                              const sockaddr_in& from, int64_t rxNs) {
  const std::span<uint8_t> packet(data, length);
  const uint16_t port = ntohs(from.sin_port);
  switch (media::rtp::classify(packet)) {
    case media::rtp::PacketKind::Stun: {
      const auto message = media::stun::StunMessage::parse(packet);
      if (!message) return;
      if (message->messageClass() == media::stun::StunClass::Request) {
        const auto username = message->username();
        if (!username) return;
        const auto it = byUfrag_.find(std::string(username->substr(0, username->find(':'))));
        if (it == byUfrag_.end()) return;
        Call& c = *calls_[it->second];
        if (c.webSocket != socketIndex || !c.web) return;
        if (c.web->onStunRequest(*message, from) && webByPort_[port] < 0) {
          webByPort_[port] = static_cast<int32_t>(c.index);
        }
      } else {
        const auto id = message->transactionId();
        const uint32_t index = get32(id.data());
        if (index < calls_.size() && calls_[index]->web)
          calls_[index]->web->onStunResponse(*message);
      }
      return;
    }
    case media::rtp::PacketKind::Dtls: {
      const int32_t index = webByPort_[port];
      if (index >= 0) calls_[static_cast<size_t>(index)]->web->onDtls(packet);
      return;
    }
    case media::rtp::PacketKind::Rtp: {
      const int32_t index = webByPort_[port];
      if (index < 0) {
        ++unknownPackets_;
        return;
      }
      Call& c = *calls_[static_cast<size_t>(index)];
      size_t plain = length;
      if (!c.web->unprotect(data, plain)) {
        ++authFailures_;
        return;
      }
      const auto rtp = RtpPacket::parse(std::span<uint8_t>(data, plain));
      if (rtp) onMedia(c, kDown, *rtp, rxNs);
      return;
    }
    case media::rtp::PacketKind::Rtcp:  // SRTCP reports: not needed here
    case media::rtp::PacketKind::Unknown:
      return;
  }
}

void Generator::onRtpDatagram(uint8_t* data, size_t length, const sockaddr_in& from, int64_t rxNs) {
  const std::span<uint8_t> packet(data, length);
  if (media::rtp::classify(packet) != media::rtp::PacketKind::Rtp) return;  // RTCP
  const int32_t index = rtpByPort_[ntohs(from.sin_port)];
  if (index < 0) {
    ++unknownPackets_;
    return;
  }
  const auto rtp = RtpPacket::parse(packet);
  if (rtp) onMedia(*calls_[static_cast<size_t>(index)], kUp, *rtp, rxNs);
}

void Generator::drain(UdpSocket& s, int kind, int socketIndex) {
  constexpr unsigned kBatch = 64;
  static uint8_t buffers[kBatch][2048];
  static sockaddr_in sources[kBatch];
  static iovec iov[kBatch];
  static mmsghdr msgs[kBatch];
  alignas(cmsghdr) static uint8_t control[kBatch][128];
  for (int batches = 0;;) {
    for (unsigned i = 0; i < kBatch; ++i) {
      iov[i] = {buffers[i], sizeof buffers[i]};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = &sources[i];
      msgs[i].msg_hdr.msg_namelen = sizeof sources[i];
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = control[i];
      msgs[i].msg_hdr.msg_controllen = sizeof control[i];
    }
    const int n = ::recvmmsg(s.fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    const int64_t fallbackNs = realNs();
    for (int i = 0; i < n; ++i) {
      int64_t rxNs = fallbackNs;
      for (cmsghdr* cm = CMSG_FIRSTHDR(&msgs[i].msg_hdr); cm;
           cm = CMSG_NXTHDR(&msgs[i].msg_hdr, cm)) {
        if (cm->cmsg_level != SOL_SOCKET) continue;
        if (cm->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts{};
          std::memcpy(&ts, CMSG_DATA(cm), sizeof ts);
          rxNs = int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
        } else if (cm->cmsg_type == SO_RXQ_OVFL) {
          uint32_t drops = 0;
          std::memcpy(&drops, CMSG_DATA(cm), sizeof drops);
          genDrops_ += drops - s.lastDrops;
          s.lastDrops = drops;
        }
      }
      const size_t length = msgs[i].msg_len;
      switch (kind) {
        case kKindWeb:
          onWebDatagram(socketIndex, buffers[i], length, sources[i], rxNs);
          break;
        case kKindRtp:
          onRtpDatagram(buffers[i], length, sources[i], rxNs);
          break;
        case kKindUas:
          onUasDatagram(std::string_view(reinterpret_cast<const char*>(buffers[i]), length),
                        sources[i]);
          break;
        case kKindNg:
          onNgDatagram(std::string_view(reinterpret_cast<const char*>(buffers[i]), length));
          break;
        default:
          break;
      }
    }
    // Back to the send schedule now and then even when the socket stays
    // readable: a sender held up by its own receiving sends bursts.
    if (n < static_cast<int>(kBatch) || ++batches >= 8) return;
  }
}

// ---- event loop ----------------------------------------------------------------

void Generator::runSlots(int64_t nowNs) {
  if (nextSlotNs_ == 0) nextSlotNs_ = nowNs;
  worstLagNs_ = std::max(worstLagNs_, nowNs - nextSlotNs_);
  if (nowNs - nextSlotNs_ > 100000000) {
    // Held up for over 100 ms: skip the missed sends rather than burst them
    // (a burst would only hold the far end and then us up again).
    const int64_t missed = (nowNs - nextSlotNs_) / 1000000;
    skippedSlots_ += static_cast<uint64_t>(missed);
    slotIndex_ = (slotIndex_ + static_cast<size_t>(missed)) % slots_.size();
    nextSlotNs_ += missed * 1000000;
  }
  while (nowNs >= nextSlotNs_) {
    for (const auto& [index, direction] : slots_[slotIndex_]) {
      Call& c = *calls_[index];
      if (c.phase == Phase::Media) sendPacket(c, direction);
    }
    slotIndex_ = (slotIndex_ + 1) % slots_.size();
    nextSlotNs_ += 1000000;
  }
}

void Generator::maintenance(int64_t nowNs) {
  const int64_t nowMs = nowNs / 1000000;
  // New calls at the set-up rate, with a bounded number in progress.
  int inProgress = 0;
  for (const auto& c : calls_) {
    if (c->phase == Phase::Offering || c->phase == Phase::Connecting) ++inProgress;
  }
  while (calls_.size() < wantCalls_ && nowNs >= nextSetupNs_ && inProgress < 100) {
    auto c = std::make_unique<Call>();
    c->index = static_cast<uint32_t>(calls_.size());
    calls_.push_back(std::move(c));
    startCall(*calls_.back());
    ++inProgress;
    nextSetupNs_ =
        std::max(nextSetupNs_, nowNs - 100000000) + static_cast<int64_t>(1e9 / o_.setupRate);
  }
  for (auto& cp : calls_) {
    Call& c = *cp;
    if (c.phase == Phase::Offering && o_.target == Target::Rtpengine && !c.ngPending.empty() &&
        nowMs - c.ngSentMs > 2000) {
      if (c.ngAttempts >= 3) {
        failCall(c, "rtpengine did not answer " + c.ngPending);
      } else {
        sendNg(c, c.ngPending);
      }
    }
    if (c.phase == Phase::Offering && nowMs - c.startedMs > 30000) {
      failCall(c, "no answer within 30 s");
    }
    if (c.phase != Phase::Connecting) continue;
    c.web->poll(nowMs);
    if (c.web->state() == WebRtcPeer::State::Failed) {
      failCall(c, c.web->failure());
    } else if (c.web->state() == WebRtcPeer::State::Ready && c.rtpKnown) {
      enterMedia(c);
    }
  }
}

void Generator::pump(int64_t untilNs, const std::function<bool()>& done) {
  epoll_event events[64];
  for (;;) {
    const int64_t now = monoNs();
    if (now >= untilNs || (done && done())) return;
    runSlots(now);
    if (now >= nextMaintenanceNs_) {
      maintenance(now);
      nextMaintenanceNs_ = now + 5000000;
    }
    const int64_t wakeNs = std::min({nextSlotNs_, nextMaintenanceNs_, untilNs});
    const int64_t waitNs = std::max<int64_t>(0, wakeNs - monoNs());
    const timespec timeout{static_cast<time_t>(waitNs / 1000000000),
                           static_cast<long>(waitNs % 1000000000)};
    const int n = ::epoll_pwait2(epoll_, events, 64, &timeout, nullptr);
    for (int i = 0; i < n; ++i) {
      const uint32_t data = events[i].data.u32;
      const int kind = static_cast<int>(data >> 16);
      const int index = static_cast<int>(data & 0xffff);
      switch (kind) {
        case kKindWeb:
          drain(webSockets_[static_cast<size_t>(index)], kind, index);
          break;
        case kKindRtp:
          drain(rtpSockets_[static_cast<size_t>(index)], kind, index);
          break;
        case kKindUas:
          drain(uas_, kind, 0);
          break;
        case kKindNg:
          drain(ng_, kind, 0);
          break;
        case kKindControl:
          readCounters();
          break;
        case kKindWs:
          for (const auto& message : ws_.onReadable()) onWsMessage(message);
          if (!ws_.open()) {
            std::fprintf(stderr, "media_load: the WebSocket closed\n");
            ::epoll_ctl(epoll_, EPOLL_CTL_DEL, ws_.fd(), nullptr);
          }
          break;
        default:
          break;
      }
    }
  }
}

// ---- measurement ---------------------------------------------------------------

void Generator::openWindow() {
  for (auto& h : latency_) h.clear();
  for (auto& cp : calls_) {
    Call& c = *cp;
    c.counted = c.phase == Phase::Media;
    for (int d = 0; d < 2; ++d) {
      RxState& rx = c.rx[d];
      rx.windowStart = c.tx[d].counter;
      rx.windowEnd = UINT32_MAX;
      rx.windowReceived = 0;
      rx.haveTimestamp = false;
    }
  }
  measuring_ = true;
  counting_ = true;
}

void Generator::closeWindow() {
  measuring_ = false;
  for (auto& cp : calls_) {
    for (int d = 0; d < 2; ++d) cp->rx[d].windowEnd = cp->tx[d].counter;
  }
}

StepResult Generator::measureStep(int calls, double settleS) {
  StepResult r;
  r.calls = calls;
  const int64_t stepStart = monoNs();
  wantCalls_ = static_cast<size_t>(calls);
  // Set-up: every call in media or failed, within 30 s.
  auto settled = [&] {
    if (calls_.size() < wantCalls_) return false;
    for (const auto& c : calls_) {
      if (c->phase == Phase::Offering || c->phase == Phase::Connecting) return false;
    }
    return true;
  };
  pump(stepStart + 30000000000LL, settled);
  const double setupS = static_cast<double>(monoNs() - stepStart) / 1e9;
  pump(monoNs() + static_cast<int64_t>(settleS * 1e9));
  // A failed window during which other jobs kept the target or the generator
  // off their cores is measured again (twice at most): the figures are meant
  // to describe one core, not the neighbours.
  for (int attempt = 1;; ++attempt) {
    r = measureWindow(calls, setupS, attempt);
    // ... within a minute per step and the run's time budget.
    const double stepS = static_cast<double>(monoNs() - stepStart) / 1e9;
    const double runS = static_cast<double>(monoNs() - runBegin_) / 1e9;
    if (r.ok || !r.disturbed || attempt == 3 || stepS + o_.measureS + 1 > 60 ||
        runS + o_.measureS + 1 > o_.budgetS) {
      break;
    }
  }
  return r;
}

StepResult Generator::measureWindow(int calls, double setupS, int attempt) {
  StepResult r;
  r.calls = calls;
  std::map<std::string, uint64_t> countersBefore, countersAfter;
  requestCounters(&countersBefore);
  const double cpu0 = processCpuSeconds(o_.pid);
  const double gen0 = selfCpuSeconds();
  const uint64_t drops0 = genDrops_;
  const uint64_t sendFail0 = sendFailures_;
  const uint64_t auth0 = authFailures_;
  const uint64_t skipped0 = skippedSlots_;
  const int64_t targetWait0 = runQueueWaitNs(o_.pid);
  const int64_t genWait0 = runQueueWaitNs(::getpid());
  worstLagNs_ = 0;
  openWindow();
  const int64_t w0 = monoNs();
  pump(w0 + int64_t{o_.measureS} * 1000000000);
  closeWindow();
  const int64_t w1 = monoNs();
  const double lagMs = static_cast<double>(worstLagNs_) / 1e6;
  const double cpu1 = processCpuSeconds(o_.pid);
  const double gen1 = selfCpuSeconds();
  const int64_t targetWait = runQueueWaitNs(o_.pid) - targetWait0;
  const int64_t genWait = runQueueWaitNs(::getpid()) - genWait0;
  requestCounters(&countersAfter);
  r.rssKib = processRssKib(o_.pid);
  // Stragglers of the window may still be on their way.
  pump(monoNs() + 300000000);
  counting_ = false;
  pump(monoNs() + 3000000000LL, [&] { return controlFd_ < 0; });

  const double windowS = static_cast<double>(w1 - w0) / 1e9;
  uint64_t expected[2] = {0, 0}, received[2] = {0, 0};
  int established = 0;
  for (const auto& cp : calls_) {
    const Call& c = *cp;
    if (c.phase == Phase::Media) ++established;
    if (!c.counted) continue;
    for (int d = 0; d < 2; ++d) {
      const RxState& rx = c.rx[d];
      if (o_.mode == Mode::Relay) {
        expected[d] += rx.windowEnd - rx.windowStart;
      } else {
        // What the target's clock says it should have sent in the window;
        // a call that stopped sending altogether counts its window in full.
        const uint32_t ticks = d == kUp ? 160 : 960;
        expected[d] += rx.haveTimestamp ? (rx.lastTimestamp - rx.firstTimestamp) / ticks + 1
                                        : static_cast<uint64_t>(windowS * 50.0);
      }
      received[d] += rx.windowReceived;
    }
  }
  r.established = established;
  auto lossOf = [](uint64_t e, uint64_t got) {
    return e == 0 ? 0.0 : 100.0 * static_cast<double>(e > got ? e - got : 0) / e;
  };
  const uint64_t allExpected = expected[0] + expected[1];
  const uint64_t allReceived = received[0] + received[1];
  r.lossPct = lossOf(allExpected, allReceived);
  // Transcoded: a frame that reached the gateway too late (or not at all) is
  // concealed and still sent, so it is not missing above; the gateway counts
  // it, and it is lost audio all the same.
  double concealedPct = 0;
  if (o_.mode == Mode::Transcode && allExpected > 0) {
    const auto a = countersAfter.find("media.concealed_frames");
    const auto b = countersBefore.find("media.concealed_frames");
    if (a != countersAfter.end() && b != countersBefore.end() && a->second >= b->second) {
      concealedPct = 100.0 * static_cast<double>(a->second - b->second) / allExpected;
      r.lossPct += concealedPct;
    }
  }
  r.pps = static_cast<double>(allReceived) / windowS;
  const double cpu = cpu1 - cpu0;
  r.usPerPacket = allReceived ? cpu * 1e6 / static_cast<double>(allReceived) : 0;
  LatencyHistogram both;
  both.merge(latency_[0]);
  both.merge(latency_[1]);
  const double targetCpuPct = 100.0 * cpu / windowS;
  r.targetCpuPct = targetCpuPct;
  r.p50Us = both.quantileUs(0.5);
  r.p99Us = both.quantileUs(0.99);
  const double genCpuPct = 100.0 * (gen1 - gen0) / windowS;
  const double targetWaitPct = 100.0 * static_cast<double>(targetWait) / 1e9 / windowS;
  const double genWaitPct = 100.0 * static_cast<double>(genWait) / 1e9 / windowS;
  r.disturbed = targetWaitPct > 5.0 || genWaitPct > 5.0 || lagMs > 50.0;
  // A step passes below the loss limit with (almost) every call up: set-up
  // failures and calls the target dropped count against it too.
  // The generator must have offered the full load: 50 packets a second each
  // way per counted call. When it could not, the step measures the
  // generator, and the ramp stops there.
  uint64_t sent = 0;
  int counted = 0;
  for (const auto& cp : calls_) {
    if (!cp->counted) continue;
    ++counted;
    for (int d = 0; d < 2; ++d) sent += cp->rx[d].windowEnd - cp->rx[d].windowStart;
  }
  const double nominal = counted * 2 * 50.0 * windowS;
  const double sendDeficitPct =
      nominal > 0 ? std::max(0.0, 100.0 * (nominal - static_cast<double>(sent)) / nominal) : 0;
  r.generatorBound = skippedSlots_ > skipped0 || sendDeficitPct > 0.5;
  r.ok = established > 0 && r.lossPct < o_.lossLimitPct && !r.generatorBound &&
         static_cast<double>(calls - established) <= 0.001 * calls;

  std::printf(
      "step calls=%d established=%d setup_failed=%d setup_s=%.1f pps=%.0f loss_pct=%.4f "
      "concealed_pct=%.4f "
      "loss_up_pct=%.4f loss_down_pct=%.4f lat_p50_us=%.0f lat_p99_us=%.0f lat_max_us=%.0f "
      "lat_up_p50_us=%.0f lat_down_p50_us=%.0f lat_samples=%" PRIu64
      " target_cpu_pct=%.1f us_per_pkt=%.2f rss_kib=%ld gen_cpu_pct=%.1f gen_lag_ms=%.1f "
      "gen_rx_drops=%" PRIu64 " gen_send_fail=%" PRIu64 " srtp_auth_fail=%" PRIu64
      " gen_skipped_slots=%" PRIu64
      " target_wait_pct=%.2f gen_wait_pct=%.2f send_deficit_pct=%.2f generator_bound=%d"
      " attempt=%d disturbed=%d ok=%d",
      calls, established, setupFailures_, setupS, r.pps, r.lossPct, concealedPct,
      lossOf(expected[0], received[0]), lossOf(expected[1], received[1]), both.quantileUs(0.5),
      both.quantileUs(0.99), both.maxUs(), latency_[0].quantileUs(0.5), latency_[1].quantileUs(0.5),
      both.count(), targetCpuPct, r.usPerPacket, r.rssKib, genCpuPct, lagMs, genDrops_ - drops0,
      sendFailures_ - sendFail0, authFailures_ - auth0, skippedSlots_ - skipped0, targetWaitPct,
      genWaitPct, sendDeficitPct, r.generatorBound ? 1 : 0, attempt, r.disturbed ? 1 : 0,
      r.ok ? 1 : 0);
  if (!o_.control.empty()) {
    std::printf(" gw_relayed=%s gw_transcoded=%s gw_concealed=%s gw_jitter_late=%s",
                counterDelta(countersBefore, countersAfter, "media.relayed_packets").c_str(),
                counterDelta(countersBefore, countersAfter, "media.transcoded_frames").c_str(),
                counterDelta(countersBefore, countersAfter, "media.concealed_frames").c_str(),
                counterDelta(countersBefore, countersAfter, "media.jitter_late").c_str());
  }
  std::printf("\n");
  std::fflush(stdout);
  if (genCpuPct > 90.0) {
    std::printf(
        "note generator_saturated=1 (its core was >90%% busy; figures above are a floor)\n");
  }
  return r;
}

void Generator::loopbackBaseline() {
  // One-way delay of a datagram between two of our own sockets, timed the
  // same way (send stamp, kernel receive stamp): the floor under the figures.
  UdpSocket a = openUdp(0), b = openUdp(0);
  LatencyHistogram h;
  const sockaddr_in to = loopback(b.port);
  for (int i = 0; i < 2000; ++i) {
    uint8_t buf[120] = {};
    const int64_t now = realNs();
    put64(buf, static_cast<uint64_t>(now));
    ::sendto(a.fd, buf, sizeof buf, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    pollfd p{b.fd, POLLIN, 0};
    ::poll(&p, 1, 100);
    uint8_t in[256];
    iovec iov{in, sizeof in};
    alignas(cmsghdr) uint8_t control[128];
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    if (::recvmsg(b.fd, &m, MSG_DONTWAIT) < 8) continue;
    for (cmsghdr* cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
      if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts{};
        std::memcpy(&ts, CMSG_DATA(cm), sizeof ts);
        h.add(int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec - static_cast<int64_t>(get64(in)));
      }
    }
    if (i % 50 == 0) ::usleep(1000);
  }
  ::close(a.fd);
  ::close(b.fd);
  std::printf("baseline loopback_p50_us=%.0f loopback_p99_us=%.0f\n", h.quantileUs(0.5),
              h.quantileUs(0.99));
}

int Generator::run() {
  media::rtc::SrtpSession::initLibrary();
  identity_ = media::rtc::DtlsIdentity::generate();
  seed_ = static_cast<uint64_t>(realNs()) ^ (static_cast<uint64_t>(::getpid()) << 40);
  runTag_ = std::to_string(::getpid());
  std::string error;
  if (o_.mode == Mode::Relay) {
    upFrames_ = makeOpusCycle(false, &error);
    downFrames_ = upFrames_;
  } else {
    upFrames_ = makeOpusCycle(true, &error);
    downFrames_ = makePcmuCycle();
    downTicks_ = 160;
  }
  if (upFrames_.frames.empty()) {
    std::fprintf(stderr, "media_load: %s\n", error.c_str());
    return 2;
  }
  size_t bytes = 0;
  for (const auto& f : upFrames_.frames) bytes += f.size();
  std::printf("config target=%s mode=%s opus_frame_bytes_avg=%zu trailer_bytes=%zu sockets=%d\n",
              o_.target == Target::Callgated ? "callgated" : "rtpengine",
              o_.mode == Mode::Relay ? "relay" : "transcode", bytes / upFrames_.frames.size(),
              o_.mode == Mode::Relay ? kTrailerSize : size_t{0}, o_.sockets);
  if (o_.mode == Mode::Transcode) {
    std::printf("codec_delay opus48k_to_pcm8k_ms=%.3f pcm8k_opus8k_roundtrip_ms=%.3f\n",
                opusDecodeDelaySamples(upFrames_) / 8.0, opusEncodeDecodeDelaySamples() / 8.0);
  }
  loopbackBaseline();

  epoll_ = ::epoll_create1(0);
  auto watch = [&](int fd, int kind, int index) {
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u32 = (static_cast<uint32_t>(kind) << 16) | static_cast<uint32_t>(index);
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &e);
  };
  for (int i = 0; i < o_.sockets; ++i) {
    webSockets_.push_back(openUdp(0));
    rtpSockets_.push_back(openUdp(0));
    watch(webSockets_.back().fd, kKindWeb, i);
    watch(rtpSockets_.back().fd, kKindRtp, i);
  }
  connectSignalling();
  if (o_.target == Target::Callgated) {
    watch(ws_.fd(), kKindWs, 0);
    watch(uas_.fd, kKindUas, 0);
  } else {
    watch(ng_.fd, kKindNg, 0);
  }

  const int64_t begin = monoNs();
  runBegin_ = begin;
  std::string stoppedBy = "steps";
  std::vector<StepResult> results;
  for (const int calls : o_.steps) {
    const double elapsed = static_cast<double>(monoNs() - begin) / 1e9;
    // A step needs its set-up time, a settle and the window: skip what cannot fit.
    const double newCalls = std::max(0.0, static_cast<double>(calls) - calls_.size());
    const double estimate = newCalls / o_.setupRate + 3.0 + o_.measureS + 1.0;
    if (elapsed + estimate > o_.budgetS) {
      std::printf("note stopped=time_budget elapsed_s=%.0f\n", elapsed);
      stoppedBy = "budget";
      break;
    }
    const auto r = measureStep(calls, o_.mode == Mode::Transcode ? 3.0 : 2.0);
    results.push_back(r);
    std::printf(
        "result calls=%d ok=%d loss_pct=%.4f pps=%.0f lat_p50_us=%.0f lat_p99_us=%.0f "
        "target_cpu_pct=%.1f us_per_pkt=%.2f rss_kib=%ld disturbed=%d generator_bound=%d\n",
        r.calls, r.ok ? 1 : 0, r.lossPct, r.pps, r.p50Us, r.p99Us, r.targetCpuPct, r.usPerPacket,
        r.rssKib, r.disturbed ? 1 : 0, r.generatorBound ? 1 : 0);
    std::fflush(stdout);
    if (r.generatorBound) {
      std::printf(
          "note stopped=generator_bound (the generator could not offer %d calls; the target's "
          "maximum is at least the last passing step)\n",
          r.calls);
    }
    if (!r.ok) {
      stoppedBy = r.generatorBound ? "generator" : "loss";
      break;
    }
  }
  for (const auto& [reason, count] : failureReasons_) {
    std::printf("failure count=%d reason=\"%s\"\n", count, reason.c_str());
  }
  // Summary: the highest step that passed, and memory per call from the
  // least-squares slope of RSS over established calls.
  // Also the highest passing step whose p99 delay stayed under 50 ms for
  // relayed calls (under 100 ms with the transcoder's jitter buffer): past
  // it the target runs on its socket queues.
  int best = 0, bestPrompt = 0;
  double bestUs = 0, bestPps = 0;
  const double promptUs = o_.mode == Mode::Relay ? 50000 : 100000;
  for (const auto& r : results) {
    if (r.ok && r.calls > best) {
      best = r.calls;
      bestUs = r.usPerPacket;
      bestPps = r.pps;
    }
    if (r.ok && r.p99Us <= promptUs && r.calls > bestPrompt) bestPrompt = r.calls;
  }
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int n = 0;
  for (const auto& r : results) {
    if (r.established <= 0) continue;
    sx += r.established;
    sy += static_cast<double>(r.rssKib);
    sxx += static_cast<double>(r.established) * r.established;
    sxy += static_cast<double>(r.established) * static_cast<double>(r.rssKib);
    ++n;
  }
  const double slope =
      n >= 2 && (n * sxx - sx * sx) > 0 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
  std::printf(
      "summary target=%s mode=%s max_calls_ok=%d max_calls_prompt=%d pps_at_max=%.0f "
      "us_per_pkt_at_max=%.2f kib_per_call=%.1f hung_up_by_target=%" PRIu64
      " unknown_packets=%" PRIu64 " stopped_by=%s\n",
      o_.target == Target::Callgated ? "callgated" : "rtpengine",
      o_.mode == Mode::Relay ? "relay" : "transcode", best, bestPrompt, bestPps, bestUs, slope,
      hungUpByTarget_, unknownPackets_, stoppedBy.c_str());
  std::fflush(stdout);
  hangUpAll();
  return 0;
}

std::vector<int> parseSteps(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(std::atoi(item.c_str()));
  }
  return out;
}

uint16_t portOf(const std::string& hostPort) {
  const auto colon = hostPort.rfind(':');
  return static_cast<uint16_t>(
      std::atoi(hostPort.c_str() + (colon == std::string::npos ? 0 : colon + 1)));
}

}  // namespace
}  // namespace callgate::bench

int main(int argc, char** argv) {
  using namespace callgate::bench;
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const std::string v = argv[i + 1];
    if (k == "--target") {
      o.target = v == "rtpengine" ? Target::Rtpengine : Target::Callgated;
    } else if (k == "--mode") {
      o.mode = v == "transcode" ? Mode::Transcode : Mode::Relay;
    } else if (k == "--ws") {
      o.wsPort = portOf(v);
    } else if (k == "--uas-port") {
      o.uasPort = static_cast<uint16_t>(std::atoi(v.c_str()));
    } else if (k == "--ng") {
      o.ngPort = portOf(v);
    } else if (k == "--pid") {
      o.pid = std::atoi(v.c_str());
    } else if (k == "--control") {
      o.control = v;
    } else if (k == "--steps") {
      o.steps = parseSteps(v);
    } else if (k == "--measure-s") {
      o.measureS = std::atoi(v.c_str());
    } else if (k == "--budget-s") {
      o.budgetS = std::atoi(v.c_str());
    } else if (k == "--setup-rate") {
      o.setupRate = std::atof(v.c_str());
    } else if (k == "--loss-limit") {
      o.lossLimitPct = std::atof(v.c_str());
    } else if (k == "--sockets") {
      o.sockets = std::max(1, std::atoi(v.c_str()));
    } else if (k == "--latency-legs") {
      o.latencyLegs = std::atoi(v.c_str());
    } else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (o.pid <= 0 || (o.target == Target::Callgated && (!o.wsPort || !o.uasPort)) ||
      (o.target == Target::Rtpengine && !o.ngPort) || o.steps.empty()) {
    std::fprintf(stderr,
                 "usage: media_load --target callgated --ws IP:PORT --uas-port PORT --pid PID "
                 "[--control SOCKET] | --target rtpengine --ng IP:PORT --pid PID; "
                 "[--mode relay|transcode] [--steps N,N,...] [--measure-s S] [--budget-s S]\n");
    return 2;
  }
  Generator generator(o);
  return generator.run();
}
