#include "sip/auth/Digest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

#include "sip/msg/TextUtil.h"

namespace callgate::sip::auth {
namespace {

std::string hexDigest(std::string_view algorithm, std::string_view data) {
  const bool sha256 = algorithm.starts_with("SHA-256");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, sha256 ? EVP_sha256() : EVP_md5(), nullptr);
  std::string out;
  out.reserve(length * 2);
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::string unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) ++i;
      out.push_back(v[i]);
    }
    return out;
  }
  return std::string(v);
}

std::string quote(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string upper(std::string_view v) {
  std::string out(v);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace

std::optional<DigestChallenge> parseChallenge(std::string_view value, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<DigestChallenge> {
    if (error) *error = why;
    return std::nullopt;
  };
  value = trim(value);
  if (value.size() < 7 || !equalsIgnoreCase(value.substr(0, 6), "Digest") || !isSpace(value[6])) {
    return fail("not a Digest challenge");
  }
  DigestChallenge c;
  bool haveRealm = false;
  bool haveNonce = false;
  std::vector<std::string> seen;
  bool malformed = false;
  forEachListItem(value.substr(7), [&](std::string_view item) {
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      malformed = true;
      return;
    }
    std::string name(trim(item.substr(0, eq)));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      malformed = true;
      return;
    }
    seen.push_back(name);
    const std::string v = unquote(trim(item.substr(eq + 1)));
    if (name == "realm") {
      c.realm = v;
      haveRealm = true;
    } else if (name == "nonce") {
      c.nonce = v;
      haveNonce = true;
    } else if (name == "opaque") {
      c.opaque = v;
    } else if (name == "algorithm") {
      c.algorithm = upper(v);
    } else if (name == "stale") {
      c.stale = equalsIgnoreCase(v, "true");
    } else if (name == "qop") {
      forEachListItem(v, [&](std::string_view q) { c.qop.emplace_back(trim(q)); });
    }
  });
  if (malformed) return fail("malformed or duplicate challenge parameter");
  if (!haveRealm) return fail("challenge without realm");
  if (!haveNonce || c.nonce.empty()) return fail("challenge without nonce");
  static const char* kAlgorithms[] = {"MD5", "MD5-SESS", "SHA-256", "SHA-256-SESS"};
  if (std::none_of(std::begin(kAlgorithms), std::end(kAlgorithms),
                   [&](const char* a) { return c.algorithm == a; })) {
    return fail("unsupported digest algorithm");
  }
  if (!c.qop.empty() && std::none_of(c.qop.begin(), c.qop.end(), [](const std::string& q) {
        return q == "auth" || q == "auth-int";
      })) {
    return fail("unsupported qop");
  }
  return c;
}

std::string buildAuthorization(const DigestChallenge& c, const DigestCredentials& cred,
                               std::string_view method, std::string_view digestUri,
                               std::string_view cnonce, uint32_t nonceCount,
                               std::string_view body) {
  const std::string& alg = c.algorithm;
  const bool sess = alg.ends_with("-SESS");
  // RFC 7616 §3.4.2: A1 = user:realm:pass, then for -sess H(A1):nonce:cnonce.
  std::string ha1 = hexDigest(alg, cred.username + ":" + c.realm + ":" + cred.password);
  if (sess) ha1 = hexDigest(alg, ha1 + ":" + c.nonce + ":" + std::string(cnonce));
  std::string qop;
  if (std::find(c.qop.begin(), c.qop.end(), "auth") != c.qop.end()) {
    qop = "auth";
  } else if (std::find(c.qop.begin(), c.qop.end(), "auth-int") != c.qop.end()) {
    qop = "auth-int";
  }
  std::string a2 = std::string(method) + ":" + std::string(digestUri);
  if (qop == "auth-int") a2 += ":" + hexDigest(alg, body);
  const std::string ha2 = hexDigest(alg, a2);
  char nc[9];
  std::snprintf(nc, sizeof nc, "%08x", nonceCount);
  const std::string response =
      qop.empty() ? hexDigest(alg, ha1 + ":" + c.nonce + ":" + ha2)
                  : hexDigest(alg, ha1 + ":" + c.nonce + ":" + nc + ":" + std::string(cnonce) +
                                       ":" + qop + ":" + ha2);
  std::string out = "Digest username=" + quote(cred.username) + ", realm=" + quote(c.realm) +
                    ", nonce=" + quote(c.nonce) + ", uri=" + quote(digestUri) +
                    ", response=" + quote(response) + ", algorithm=" + alg;
  if (!c.opaque.empty()) out += ", opaque=" + quote(c.opaque);
  if (!qop.empty()) out += ", qop=" + qop + ", nc=" + nc + ", cnonce=" + quote(cnonce);
  return out;
}

}  // namespace callgate::sip::auth
