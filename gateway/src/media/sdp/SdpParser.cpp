#include "media/sdp/SdpParser.h"

#include <array>
#include <string>
#include <utility>

#include "media/sdp/SdpAttributes.h"
#include "media/sdp/SdpText.h"

namespace callgate::media::sdp {
namespace {

struct AttributeLine {
  std::string_view name;
  std::string_view value;  // trimmed; empty when absent
  bool hasValue = false;
};

AttributeLine splitAttribute(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return {text, {}, false};
  return {text.substr(0, colon), text::trim(text.substr(colon + 1)), true};
}

// A byte that may not appear inside an SDP line (RFC 8866 §9: text excludes
// NUL, CR and LF; other controls have no business in a description).
bool isForbiddenByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

// Parsing state for one description. Single-valued attributes follow one
// rule: the first occurrence fills the field and later ones stay verbatim in
// otherAttributes, so a parsed description written back and parsed again
// comes out the same.
class Parser {
 public:
  explicit Parser(std::string* error) : error_(error) {}

  std::optional<SessionDescription> run(std::string_view text) {
    if (text.size() > kMaxSdpBytes) {
      setError("SDP larger than " + std::to_string(kMaxSdpBytes) + " bytes");
      return std::nullopt;
    }
    size_t pos = 0;
    while (pos < text.size()) {
      auto end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      auto line = text.substr(pos, end - pos);
      pos = end + 1;
      ++lineNumber_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!handleLine(line)) return std::nullopt;
    }
    if (!sawVersion_) {
      setError("empty SDP: v=0 missing");
      return std::nullopt;
    }
    if (!sawOrigin_) {
      setError("o= line missing");
      return std::nullopt;
    }
    return std::move(session_);
  }

 private:
  bool handleLine(std::string_view line) {
    if (line.size() > kMaxLineBytes) {
      return fail("line longer than " + std::to_string(kMaxLineBytes) + " bytes");
    }
    for (char c : line) {
      if (isForbiddenByte(c)) return fail("control character in line");
    }
    if (text::trim(line).empty()) return true;  // tolerate blank lines
    if (line.size() < 2 || line[0] < 'a' || line[0] > 'z' || line[1] != '=') {
      return fail("expected <letter>=<value>");
    }
    const char type = line[0];
    const auto value = text::trim(line.substr(2));
    if (!sawVersion_) {
      if (type != 'v') return fail("SDP must start with v=0");
      if (value != "0") return fail("unsupported SDP version");
      sawVersion_ = true;
      return true;
    }
    switch (type) {
      case 'v':
        return fail("duplicate v= line");
      case 'o':
        return media_ == nullptr ? handleOrigin(value) : true;
      case 's':
        // RFC 8866 §5.3: "s= " or "s=-" stand for no name.
        if (media_ == nullptr && !sawName_) {
          sawName_ = true;
          session_.sessionName = value.empty() ? std::string("-") : std::string(value);
        }
        return true;
      case 't':
        if (media_ == nullptr && !sawTiming_) {
          sawTiming_ = true;
          session_.timing = value.empty() ? std::string("0 0") : std::string(value);
        }
        return true;
      case 'c':
        return handleConnection(value);
      case 'b':
        return handleBandwidth(value);
      case 'm':
        return handleMedia(value);
      case 'a':
        return handleAttribute(value);
      default:
        // i=, u=, e=, p=, k=, z=, r= and unknown types carry nothing the
        // gateway uses.
        return true;
    }
  }

  bool handleOrigin(std::string_view value) {
    if (sawOrigin_) return fail("duplicate o= line");
    sawOrigin_ = true;
    text::Tokens tokens(value);
    const auto username = tokens.next();
    const auto id = tokens.next();
    const auto version = tokens.next();
    const auto netType = tokens.next();
    const auto addrType = tokens.next();
    const auto address = tokens.next();
    if (address.empty() || !tokens.atEnd()) return fail("o= line needs 6 fields");
    auto& origin = session_.origin;
    const auto sessionId = text::parseNumber<uint64_t>(id);
    if (!sessionId) return fail("bad session id in o= line");
    const auto sessionVersion = text::parseNumber<uint64_t>(version);
    if (!sessionVersion) return fail("bad session version in o= line");
    if (netType != "IN") return fail("o= network type must be IN");
    origin.username = username;
    origin.sessionId = *sessionId;
    origin.sessionVersion = *sessionVersion;
    origin.addressType = addrType;
    origin.address = address;
    return true;
  }

  bool handleConnection(std::string_view value) {
    auto connection = parseConnectionValue(value);
    if (!connection) return fail("bad c= line");
    // Several c= lines only occur for layered multicast; the first is used.
    auto& slot = media_ != nullptr ? media_->connection : session_.connection;
    if (!slot) slot = std::move(*connection);
    return true;
  }

  bool handleBandwidth(std::string_view value) {
    if (!charge(1)) return false;
    if (value.empty()) return true;
    auto& list = media_ != nullptr ? media_->bandwidth : session_.bandwidth;
    list.emplace_back(value);
    return true;
  }

  bool handleMedia(std::string_view value) {
    if (session_.media.size() >= kMaxMediaSections) {
      return fail("more than " + std::to_string(kMaxMediaSections) + " media sections");
    }
    text::Tokens tokens(value);
    MediaDescription m;
    m.type = tokens.next();
    if (m.type.empty()) return fail("m= line needs a media type");
    const auto portText = tokens.next();
    if (portText.empty()) return fail("m= line needs a port");
    const auto slash = portText.find('/');
    const auto port = text::parseNumber<uint16_t>(portText.substr(0, slash));
    if (!port) return fail("bad port in m= line");
    m.port = *port;
    if (slash != std::string_view::npos) {
      const auto count = text::parseNumber<uint16_t>(portText.substr(slash + 1));
      if (!count) return fail("bad port count in m= line");
      m.portCount = *count;
    }
    m.protocol = tokens.next();
    if (m.protocol.empty()) return fail("m= line needs a protocol");
    const bool rtp = isRtpProtocol(m.protocol);
    rtpmapSeen_.fill(false);
    for (auto token = tokens.next(); !token.empty(); token = tokens.next()) {
      if (m.formatTokens.size() >= kMaxFormatsPerMedia) {
        return fail("more than " + std::to_string(kMaxFormatsPerMedia) + " formats in m= line");
      }
      m.formatTokens.emplace_back(token);
      if (!rtp) continue;
      // RFC 3550 §5.1: payload types are 7 bits.
      const auto pt = text::parseNumber<uint32_t>(token);
      if (!pt || *pt > 127) return fail("bad payload type in m= line");
      if (m.findFormat(static_cast<uint8_t>(*pt)) != nullptr) {
        return fail("duplicate payload type " + std::to_string(*pt) + " in m= line");
      }
      Format format = staticFormat(static_cast<uint8_t>(*pt)).value_or(Format{});
      format.payloadType = static_cast<uint8_t>(*pt);
      m.formats.push_back(std::move(format));
    }
    // Each payload type is charged for the a=rtpmap it will be written with.
    if (!charge(m.formats.size())) return false;
    session_.media.push_back(std::move(m));
    media_ = &session_.media.back();
    return true;
  }

  bool handleAttribute(std::string_view text) {
    const auto a = splitAttribute(text);
    if (a.name.empty()) return fail("attribute without a name");
    if (media_ == nullptr) {
      if (!charge(1)) return false;
      return handleSessionAttribute(a);
    }
    return handleMediaAttribute(a);
  }

  bool handleSessionAttribute(const AttributeLine& a) {
    auto& s = session_;
    bool taken = false;
    if (a.name == "group") {
      taken = takeGroup(s.groups, a);
    } else if (a.name == "msid-semantic") {
      taken = takeString(s.msidSemantic, a);
    } else if (a.name == "ice-lite") {
      taken = takeFlag(s.iceLite, a);
    } else if (a.name == "ice-ufrag") {
      taken = takeString(s.iceUfrag, a);
    } else if (a.name == "ice-pwd") {
      taken = takeString(s.icePwd, a);
    } else if (a.name == "ice-options") {
      taken = takeOptions(s.iceOptions, a);
    } else if (a.name == "fingerprint") {
      if (!takeFingerprint(s.fingerprints, a)) return false;
      taken = true;
    } else if (a.name == "setup") {
      taken = takeSetup(s.setup, a);
    } else if (parseDirection(a.name)) {
      taken = takeDirection(s.direction, a);
    }
    if (!taken) keep(s.otherAttributes, a);
    return true;
  }

  bool handleMediaAttribute(const AttributeLine& a) {
    auto& m = *media_;
    if (m.isRtp() && a.hasValue &&
        (a.name == "rtpmap" || a.name == "fmtp" || a.name == "rtcp-fb")) {
      const auto [ptText, rest] = text::splitHead(a.value);
      const auto pt = text::parseNumber<uint32_t>(ptText);
      Format* format = pt && *pt <= 127 ? m.findFormat(static_cast<uint8_t>(*pt)) : nullptr;
      if (format != nullptr) return handleFormatAttribute(*format, a.name, rest);
      // Not a payload type of this m= line (or "*"): kept, not lost.
    }
    if (!charge(1)) return false;
    bool taken = false;
    if (a.name == "candidate") {
      if (!takeCandidate(m.candidates, a)) return false;
      taken = true;
    } else if (a.name == "end-of-candidates") {
      taken = takeFlag(m.endOfCandidates, a);
    } else if (a.name == "mid") {
      taken = takeString(m.mid, a);
    } else if (a.name == "ice-ufrag") {
      taken = takeString(m.iceUfrag, a);
    } else if (a.name == "ice-pwd") {
      taken = takeString(m.icePwd, a);
    } else if (a.name == "ice-options") {
      taken = takeOptions(m.iceOptions, a);
    } else if (a.name == "fingerprint") {
      if (!takeFingerprint(m.fingerprints, a)) return false;
      taken = true;
    } else if (a.name == "setup") {
      taken = takeSetup(m.setup, a);
    } else if (parseDirection(a.name)) {
      taken = takeDirection(m.direction, a);
    } else if (a.name == "rtcp-mux") {
      taken = takeFlag(m.rtcpMux, a);
    } else if (a.name == "rtcp-rsize") {
      taken = takeFlag(m.rtcpRsize, a);
    } else if (a.name == "rtcp") {
      if (m.rtcpPort) {
        taken = false;
      } else {
        auto rtcp = parseRtcpValue(a.value);
        if (!a.hasValue || !rtcp) return fail("bad rtcp attribute");
        m.rtcpPort = rtcp->port;
        m.rtcpConnection = std::move(rtcp->connection);
        taken = true;
      }
    } else if (a.name == "ssrc") {
      auto ssrc = parseSsrcValue(a.value);
      if (!a.hasValue || !ssrc) return fail("bad ssrc attribute");
      m.ssrcs.push_back(std::move(*ssrc));
      taken = true;
    } else if (a.name == "ssrc-group") {
      taken = takeGroup(m.ssrcGroups, a);
    } else if (a.name == "msid") {
      taken = takeString(m.msid, a);
    } else if (a.name == "crypto") {
      auto crypto = parseCryptoValue(a.value);
      if (!a.hasValue || !crypto) return fail("bad crypto attribute");
      m.crypto.push_back(std::move(*crypto));
      taken = true;
    } else if (a.name == "ptime") {
      taken = takeNumber(m.ptime, a);
    } else if (a.name == "maxptime") {
      taken = takeNumber(m.maxptime, a);
    } else if (a.name == "extmap") {
      keep(m.extmaps, a);
      taken = true;
    }
    if (!taken) keep(m.otherAttributes, a);
    return true;
  }

  // a=rtpmap, a=fmtp or a=rtcp-fb for a payload type of the current m= line;
  // `rest` is what follows the payload type.
  bool handleFormatAttribute(Format& format, std::string_view name, std::string_view rest) {
    if (name == "rtpmap") {
      // Already charged on the m= line.
      auto& seen = rtpmapSeen_[format.payloadType];
      if (seen) {
        return fail("duplicate rtpmap for payload type " + std::to_string(format.payloadType));
      }
      seen = true;
      const auto encoding = parseRtpMapEncoding(rest);
      if (!encoding) return fail("bad rtpmap");
      format.encoding = encoding->encoding;
      format.clockRate = encoding->clockRate;
      format.channels = encoding->channels;
      return true;
    }
    if (!charge(1)) return false;
    if (name == "rtcp-fb") {
      format.rtcpFeedback.emplace_back(rest);
    } else if (format.fmtp.empty()) {
      format.fmtp = rest;
    } else if (!rest.empty()) {
      // A second a=fmtp for the same type: kept in otherAttributes, after
      // the first, rather than merged into it.
      media_->otherAttributes.push_back(
          Attribute{"fmtp", std::to_string(format.payloadType) + " " + std::string(rest), true});
    }
    return true;
  }

  static void keep(std::vector<Attribute>& list, const AttributeLine& a) {
    list.push_back(Attribute{std::string(a.name), std::string(a.value), a.hasValue});
  }

  static bool takeString(std::string& field, const AttributeLine& a) {
    if (!a.hasValue || !field.empty()) return false;
    field = a.value;
    return true;
  }

  static bool takeFlag(bool& field, const AttributeLine& a) {
    if (a.hasValue) return false;
    field = true;
    return true;
  }

  static bool takeOptions(std::vector<std::string>& options, const AttributeLine& a) {
    if (!a.hasValue) return false;
    text::Tokens tokens(a.value);
    for (auto t = tokens.next(); !t.empty(); t = tokens.next()) options.emplace_back(t);
    return true;
  }

  static bool takeSetup(Setup& field, const AttributeLine& a) {
    if (!a.hasValue || field != Setup::None) return false;
    const auto setup = parseSetup(a.value);
    if (!setup) return false;
    field = *setup;
    return true;
  }

  static bool takeDirection(std::optional<Direction>& field, const AttributeLine& a) {
    if (a.hasValue || field) return false;
    field = parseDirection(a.name);
    return true;
  }

  static bool takeGroup(std::vector<Group>& groups, const AttributeLine& a) {
    if (!a.hasValue) return false;
    auto group = parseGroupValue(a.value);
    if (!group) return false;
    groups.push_back(std::move(*group));
    return true;
  }

  static bool takeNumber(std::optional<uint32_t>& field, const AttributeLine& a) {
    if (!a.hasValue || field) return false;
    field = text::parseNumber<uint32_t>(a.value);
    return field.has_value();
  }

  bool takeFingerprint(std::vector<Fingerprint>& list, const AttributeLine& a) {
    auto fingerprint = parseFingerprintValue(a.value);
    if (!a.hasValue || !fingerprint) return fail("bad fingerprint attribute");
    list.push_back(std::move(*fingerprint));
    return true;
  }

  bool takeCandidate(std::vector<Candidate>& list, const AttributeLine& a) {
    std::string why;
    auto candidate = parseCandidate(a.value, &why);
    if (!candidate) return fail("bad candidate: " + why);
    list.push_back(std::move(*candidate));
    return true;
  }

  bool charge(size_t n) {
    attributes_ += n;
    if (attributes_ > kMaxAttributes) {
      return fail("more than " + std::to_string(kMaxAttributes) + " attributes");
    }
    return true;
  }

  bool fail(const std::string& message) {
    setError("line " + std::to_string(lineNumber_) + ": " + message);
    return false;
  }

  void setError(std::string message) {
    if (error_ != nullptr) *error_ = std::move(message);
  }

  std::string* error_;  // passed in; may be null
  SessionDescription session_;
  MediaDescription* media_ = nullptr;   // the section being filled, in session_.media
  std::array<bool, 128> rtpmapSeen_{};  // per payload type of the current m= line
  size_t lineNumber_ = 0;
  size_t attributes_ = 0;
  bool sawVersion_ = false;
  bool sawOrigin_ = false;
  bool sawName_ = false;
  bool sawTiming_ = false;
};

}  // namespace

std::optional<SessionDescription> parseSdp(std::string_view text, std::string* error) {
  return Parser(error).run(text);
}

}  // namespace callgate::media::sdp
