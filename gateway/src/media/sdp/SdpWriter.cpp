#include "media/sdp/SdpWriter.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "media/sdp/SdpParser.h"

namespace callgate::media::sdp {
namespace {

class Writer {
 public:
  std::string take() { return std::move(out_); }

  void session(const SessionDescription& s) {
    line("v=0");
    const auto& o = s.origin;
    begin('o');
    append(o.username.empty() ? std::string_view("-") : std::string_view(o.username));
    append(' ');
    append(std::to_string(o.sessionId));
    append(' ');
    append(std::to_string(o.sessionVersion));
    append(" IN ");
    append(o.addressType);
    append(' ');
    append(o.address);
    end();
    begin('s');
    append(s.sessionName.empty() ? std::string_view("-") : std::string_view(s.sessionName));
    end();
    if (s.connection) connection(*s.connection);
    for (const auto& b : s.bandwidth) simple('b', b);
    simple('t', s.timing.empty() ? std::string_view("0 0") : std::string_view(s.timing));

    for (const auto& g : s.groups) group("group", g);
    if (!s.msidSemantic.empty()) attribute("msid-semantic", s.msidSemantic);
    if (s.iceLite) flag("ice-lite");
    if (!s.iceUfrag.empty()) attribute("ice-ufrag", s.iceUfrag);
    if (!s.icePwd.empty()) attribute("ice-pwd", s.icePwd);
    iceOptions(s.iceOptions);
    for (const auto& f : s.fingerprints) fingerprint(f);
    if (s.setup != Setup::None) attribute("setup", setupName(s.setup));
    if (s.direction) flag(directionName(*s.direction));
    for (const auto& a : s.otherAttributes) verbatim(a);

    for (const auto& m : s.media) media(m);
  }

 private:
  void media(const MediaDescription& m) {
    begin('m');
    append(m.type);
    append(' ');
    append(std::to_string(m.port));
    if (m.portCount != 0) {
      append('/');
      append(std::to_string(m.portCount));
    }
    append(' ');
    append(m.protocol);
    if (!m.formatTokens.empty()) {
      for (const auto& token : m.formatTokens) {
        append(' ');
        append(token);
      }
    } else {
      // A description built in code may list only its formats.
      for (const auto& f : m.formats) {
        append(' ');
        append(std::to_string(f.payloadType));
      }
    }
    end();
    if (m.connection) connection(*m.connection);
    for (const auto& b : m.bandwidth) simple('b', b);

    if (m.rtcpPort) {
      begin('a');
      append("rtcp:");
      append(std::to_string(*m.rtcpPort));
      if (m.rtcpConnection) {
        append(" IN ");
        append(m.rtcpConnection->addressType);
        append(' ');
        append(m.rtcpConnection->address);
      }
      end();
    }
    if (!m.iceUfrag.empty()) attribute("ice-ufrag", m.iceUfrag);
    if (!m.icePwd.empty()) attribute("ice-pwd", m.icePwd);
    iceOptions(m.iceOptions);
    for (const auto& f : m.fingerprints) fingerprint(f);
    if (m.setup != Setup::None) attribute("setup", setupName(m.setup));
    if (!m.mid.empty()) attribute("mid", m.mid);
    for (const auto& a : m.extmaps) verbatim(a);
    if (m.direction) flag(directionName(*m.direction));
    if (m.rtcpMux) flag("rtcp-mux");
    if (m.rtcpRsize) flag("rtcp-rsize");
    for (const auto& f : m.formats) format(f);
    if (m.ptime) attribute("ptime", std::to_string(*m.ptime));
    if (m.maxptime) attribute("maxptime", std::to_string(*m.maxptime));
    for (const auto& g : m.ssrcGroups) group("ssrc-group", g);
    for (const auto& s : m.ssrcs) ssrc(s);
    if (!m.msid.empty()) attribute("msid", m.msid);
    for (const auto& c : m.crypto) crypto(c);
    for (const auto& c : m.candidates) attribute("candidate", writeCandidate(c));
    if (m.endOfCandidates) flag("end-of-candidates");
    for (const auto& a : m.otherAttributes) verbatim(a);
  }

  void format(const Format& f) {
    const auto pt = std::to_string(f.payloadType);
    if (!f.encoding.empty()) {
      begin('a');
      append("rtpmap:");
      append(pt);
      append(' ');
      append(f.encoding);
      append('/');
      append(std::to_string(f.clockRate));
      // RFC 8866 §6.6: the channel count may be omitted when it is one.
      if (f.channels != 1) {
        append('/');
        append(std::to_string(f.channels));
      }
      end();
    }
    if (!f.fmtp.empty()) {
      begin('a');
      append("fmtp:");
      append(pt);
      append(' ');
      append(f.fmtp);
      end();
    }
    for (const auto& fb : f.rtcpFeedback) {
      begin('a');
      append("rtcp-fb:");
      append(pt);
      if (!fb.empty()) {
        append(' ');
        append(fb);
      }
      end();
    }
  }

  void ssrc(const SsrcAttribute& s) {
    begin('a');
    append("ssrc:");
    append(std::to_string(s.ssrc));
    if (!s.attribute.empty() || !s.value.empty()) {
      append(' ');
      append(s.attribute);
      if (!s.value.empty()) {
        append(':');
        append(s.value);
      }
    }
    end();
  }

  void crypto(const Crypto& c) {
    begin('a');
    append("crypto:");
    append(std::to_string(c.tag));
    append(' ');
    append(c.suite);
    append(' ');
    append(c.keyParams);
    if (!c.sessionParams.empty()) {
      append(' ');
      append(c.sessionParams);
    }
    end();
  }

  void fingerprint(const Fingerprint& f) {
    begin('a');
    append("fingerprint:");
    append(f.algorithm);
    append(' ');
    append(f.value);
    end();
  }

  void group(std::string_view name, const Group& g) {
    begin('a');
    append(name);
    append(':');
    append(g.semantics);
    for (const auto& id : g.ids) {
      append(' ');
      append(id);
    }
    end();
  }

  // Options are packed into as few lines as fit the parser's line limit, so
  // long lists stay readable by parseSdp.
  void iceOptions(const std::vector<std::string>& options) {
    constexpr std::string_view kPrefix = "a=ice-options:";
    size_t lineStart = 0;
    bool open = false;
    for (const auto& option : options) {
      if (open && out_.size() - lineStart + 1 + option.size() > kMaxLineBytes) {
        end();
        open = false;
      }
      if (!open) {
        lineStart = out_.size();
        append(kPrefix);
        open = true;
      } else {
        append(' ');
      }
      append(option);
    }
    if (open) end();
  }

  void connection(const Connection& c) {
    begin('c');
    append("IN ");
    append(c.addressType);
    append(' ');
    append(c.address);
    end();
  }

  void verbatim(const Attribute& a) {
    begin('a');
    append(a.name);
    if (a.hasValue) {
      append(':');
      append(a.value);
    }
    end();
  }

  void attribute(std::string_view name, std::string_view value) {
    begin('a');
    append(name);
    append(':');
    append(value);
    end();
  }

  void flag(std::string_view name) {
    begin('a');
    append(name);
    end();
  }

  void simple(char type, std::string_view value) {
    begin(type);
    append(value);
    end();
  }

  void line(std::string_view text) {
    append(text);
    end();
  }

  void begin(char type) {
    out_ += type;
    out_ += '=';
  }
  void append(std::string_view text) { out_ += text; }
  void append(char c) { out_ += c; }
  void end() { out_ += "\r\n"; }

  std::string out_;
};

}  // namespace

std::string writeSdp(const SessionDescription& session) {
  Writer writer;
  writer.session(session);
  return writer.take();
}

}  // namespace callgate::media::sdp
