// sip_call_rate: a SIP call set-up load generator for benchmarking callgated.
//
// Plays both ends over UDP on loopback: a UAC that places calls through the
// gateway (INVITE, ACK, BYE) and a UAS the gateway routes them to (180, 200,
// 200 for BYE). Prints calls per second, failures, set-up latency
// percentiles. It decides nothing: figures are compared by the caller.
//
//   sip_call_rate --gateway 127.0.0.1:5060 --uas-port 5070 --calls 5000 --rate 300
//                 [--hold-ms 0] [--timeout-ms 5000]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string gatewayIp = "127.0.0.1";
  int gatewayPort = 5060;
  int uasPort = 5070;
  int uacPort = 0;
  int calls = 1000;
  double rate = 100;
  int holdMs = 0;
  int timeoutMs = 5000;
  std::string user = "bench";
};

std::string_view header(std::string_view msg, std::string_view name, std::string_view compact) {
  size_t pos = 0;
  while ((pos = msg.find("\r\n", pos)) != std::string_view::npos) {
    pos += 2;
    if (msg.compare(pos, 2, "\r\n") == 0) break;
    const auto colon = msg.find(':', pos);
    if (colon == std::string_view::npos) break;
    auto key = msg.substr(pos, colon - pos);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    auto eq = [](std::string_view a, std::string_view b) {
      return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
             });
    };
    if (eq(key, name) || (!compact.empty() && eq(key, compact))) {
      auto end = msg.find("\r\n", colon);
      auto value = msg.substr(colon + 1, end - colon - 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return value;
    }
  }
  return {};
}

// All Via lines, verbatim, for echoing in responses.
std::string viaLines(std::string_view msg) {
  std::string out;
  size_t pos = 0;
  while ((pos = msg.find("\r\n", pos)) != std::string_view::npos) {
    pos += 2;
    if (msg.compare(pos, 2, "\r\n") == 0) break;
    const auto end = msg.find("\r\n", pos);
    auto line = msg.substr(pos, end - pos);
    if (line.starts_with("Via:") || line.starts_with("v:") || line.starts_with("VIA:")) {
      out.append(line);
      out.append("\r\n");
    }
  }
  return out;
}

int statusOf(std::string_view msg) {
  if (!msg.starts_with("SIP/2.0 ") || msg.size() < 11) return 0;
  return std::atoi(std::string(msg.substr(8, 3)).c_str());
}

std::string methodOfCseq(std::string_view msg) {
  auto cseq = header(msg, "CSeq", "");
  auto space = cseq.find(' ');
  return space == std::string_view::npos ? std::string() : std::string(cseq.substr(space + 1));
}

int udpSocket(int port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int size = 8 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    std::perror("bind");
    std::exit(2);
  }
  return fd;
}

int boundPort(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

struct CallState {
  Clock::time_point started;
  Clock::time_point answered;
  std::string toTag;
  std::string remoteTarget;
  int phase = 0;  // 0 inviting, 1 established, 2 bye sent, 3 done, 4 failed
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    if (k == "--gateway") {
      auto colon = v.rfind(':');
      o.gatewayIp = v.substr(0, colon);
      o.gatewayPort = std::atoi(v.c_str() + colon + 1);
    } else if (k == "--uas-port") {
      o.uasPort = std::atoi(v.c_str());
    } else if (k == "--uac-port") {
      o.uacPort = std::atoi(v.c_str());
    } else if (k == "--calls") {
      o.calls = std::atoi(v.c_str());
    } else if (k == "--rate") {
      o.rate = std::atof(v.c_str());
    } else if (k == "--hold-ms") {
      o.holdMs = std::atoi(v.c_str());
    } else if (k == "--timeout-ms") {
      o.timeoutMs = std::atoi(v.c_str());
    } else if (k == "--user") {
      o.user = v;
    } else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const int uac = udpSocket(o.uacPort);
  const int uas = udpSocket(o.uasPort);
  const int uacPort = boundPort(uac);
  sockaddr_in gw{};
  gw.sin_family = AF_INET;
  gw.sin_port = htons(static_cast<uint16_t>(o.gatewayPort));
  ::inet_pton(AF_INET, o.gatewayIp.c_str(), &gw.sin_addr);

  static const std::string kSdp =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
      "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

  std::unordered_map<std::string, CallState> calls;
  calls.reserve(static_cast<size_t>(o.calls) * 2);
  std::vector<double> setupMs;
  setupMs.reserve(static_cast<size_t>(o.calls));
  int started = 0, completed = 0, failed = 0;
  const auto begin = Clock::now();
  const auto interval = std::chrono::duration<double>(1.0 / o.rate);
  char buf[65536];

  auto sendTo = [&](int fd, const std::string& msg, const sockaddr_in& to) {
    ::sendto(fd, msg.data(), msg.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  };
  auto inDialog = [&](const std::string& callId, CallState& c, const char* method, int cseq) {
    std::string m = std::string(method) + " " + c.remoteTarget + " SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(uacPort) + ";branch=z9hG4bK" + method +
         callId + ";rport\r\n";
    m += "Max-Forwards: 70\r\nFrom: <sip:caller@127.0.0.1>;tag=f" + callId + "\r\n";
    m += "To: <sip:" + o.user + "@" + o.gatewayIp + ">;tag=" + c.toTag + "\r\n";
    m += "Call-ID: " + callId + "\r\nCSeq: " + std::to_string(cseq) + " " + method +
         "\r\nContent-Length: 0\r\n\r\n";
    sendTo(uac, m, gw);
  };

  while (completed + failed < o.calls) {
    const auto now = Clock::now();
    // Place calls at the configured rate.
    while (started < o.calls && now - begin >= interval * started) {
      const std::string callId = "bench-" + std::to_string(started) + "-" + std::to_string(uacPort);
      std::string m = "INVITE sip:" + o.user + "@" + o.gatewayIp + ":" +
                      std::to_string(o.gatewayPort) + " SIP/2.0\r\n";
      m += "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(uacPort) + ";branch=z9hG4bKi" + callId +
           ";rport\r\n";
      m += "Max-Forwards: 70\r\nFrom: <sip:caller@127.0.0.1>;tag=f" + callId + "\r\n";
      m += "To: <sip:" + o.user + "@" + o.gatewayIp + ">\r\nCall-ID: " + callId +
           "\r\nCSeq: 1 INVITE\r\n";
      m += "Contact: <sip:caller@127.0.0.1:" + std::to_string(uacPort) + ">\r\n";
      m += "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(kSdp.size()) +
           "\r\n\r\n" + kSdp;
      calls[callId].started = now;
      sendTo(uac, m, gw);
      ++started;
    }
    pollfd fds[2] = {{uac, POLLIN, 0}, {uas, POLLIN, 0}};
    ::poll(fds, 2, 1);
    for (int which = 0; which < 2; ++which) {
      for (;;) {
        sockaddr_in from{};
        socklen_t len = sizeof from;
        const auto n =
            ::recvfrom(fds[which].fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n <= 0) break;
        std::string_view msg(buf, static_cast<size_t>(n));
        if (which == 1) {
          // UAS side: answer what the gateway sends us.
          const int status = statusOf(msg);
          if (status) continue;  // responses to our nothing
          const auto sp = msg.find(' ');
          const auto method = msg.substr(0, sp);
          if (method == "ACK") continue;
          std::string base = viaLines(msg);
          base += "From: " + std::string(header(msg, "From", "f")) + "\r\n";
          std::string to(header(msg, "To", "t"));
          if (to.find(";tag=") == std::string::npos)
            to += ";tag=uas" + std::string(header(msg, "Call-ID", "i")).substr(0, 16);
          base += "To: " + to + "\r\n";
          base += "Call-ID: " + std::string(header(msg, "Call-ID", "i")) + "\r\n";
          base += "CSeq: " + std::string(header(msg, "CSeq", "")) + "\r\n";
          if (method == "INVITE") {
            std::string ringing = "SIP/2.0 180 Ringing\r\n" + base +
                                  "Contact: <sip:agent@127.0.0.1:" + std::to_string(o.uasPort) +
                                  ">\r\nContent-Length: 0\r\n\r\n";
            sendTo(uas, ringing, from);
            std::string ok = "SIP/2.0 200 OK\r\n" + base +
                             "Contact: <sip:agent@127.0.0.1:" + std::to_string(o.uasPort) +
                             ">\r\nContent-Type: application/sdp\r\nContent-Length: " +
                             std::to_string(kSdp.size()) + "\r\n\r\n" + kSdp;
            sendTo(uas, ok, from);
          } else {
            sendTo(uas, "SIP/2.0 200 OK\r\n" + base + "Content-Length: 0\r\n\r\n", from);
          }
          continue;
        }
        // UAC side.
        const int status = statusOf(msg);
        const std::string callId(header(msg, "Call-ID", "i"));
        auto it = calls.find(callId);
        if (status == 0) {
          // A request from the gateway (BYE on timeout, OPTIONS): answer 200.
          std::string base = viaLines(msg);
          base += "From: " + std::string(header(msg, "From", "f")) +
                  "\r\nTo: " + std::string(header(msg, "To", "t")) + "\r\nCall-ID: " + callId +
                  "\r\nCSeq: " + std::string(header(msg, "CSeq", "")) + "\r\n";
          sendTo(uac, "SIP/2.0 200 OK\r\n" + base + "Content-Length: 0\r\n\r\n", from);
          if (it != calls.end() && it->second.phase < 3) {
            it->second.phase = 4;
            ++failed;
          }
          continue;
        }
        if (it == calls.end() || status < 200) continue;
        auto& c = it->second;
        const auto method = methodOfCseq(msg);
        if (method == "INVITE" && c.phase == 0) {
          if (status >= 300) {
            c.phase = 4;
            ++failed;
            continue;
          }
          c.answered = Clock::now();
          setupMs.push_back(
              std::chrono::duration<double, std::milli>(c.answered - c.started).count());
          auto to = header(msg, "To", "t");
          auto tag = to.find(";tag=");
          c.toTag = std::string(to.substr(tag + 5));
          auto contact = header(msg, "Contact", "m");
          auto lt = contact.find('<');
          auto gt = contact.find('>');
          c.remoteTarget = lt != std::string_view::npos && gt != std::string_view::npos
                               ? std::string(contact.substr(lt + 1, gt - lt - 1))
                               : "sip:" + o.gatewayIp;
          inDialog(callId, c, "ACK", 1);
          c.phase = 1;
          if (o.holdMs == 0) {
            inDialog(callId, c, "BYE", 2);
            c.phase = 2;
          }
        } else if (method == "BYE" && c.phase == 2) {
          c.phase = 3;
          ++completed;
        }
      }
    }
    // Hang up held calls, and fail calls that took too long.
    const auto t = Clock::now();
    for (auto& [callId, c] : calls) {
      if (c.phase == 1 && o.holdMs > 0 && t - c.answered > std::chrono::milliseconds(o.holdMs)) {
        inDialog(callId, c, "BYE", 2);
        c.phase = 2;
      } else if ((c.phase == 0 || c.phase == 2) &&
                 t - c.started > std::chrono::milliseconds(o.timeoutMs + o.holdMs)) {
        c.phase = 4;
        ++failed;
      }
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  std::sort(setupMs.begin(), setupMs.end());
  auto pct = [&](double p) {
    return setupMs.empty()
               ? 0.0
               : setupMs[std::min(setupMs.size() - 1, static_cast<size_t>(p * setupMs.size()))];
  };
  std::printf(
      "calls=%d completed=%d failed=%d seconds=%.2f cps=%.1f setup_ms_p50=%.2f p99=%.2f max=%.2f\n",
      o.calls, completed, failed, seconds, completed / seconds, pct(0.5), pct(0.99),
      setupMs.empty() ? 0.0 : setupMs.back());
  ::close(uac);
  ::close(uas);
  return failed == 0 ? 0 : 1;
}
