#include "callme/Token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "callme/Base64.h"
#include "callme/TokenJson.h"
#include "core/Random.h"

namespace callgate::callme {
namespace {

constexpr size_t kMacBytes = 32;

std::optional<std::array<unsigned char, kMacBytes>> hmacSha256(std::string_view key,
                                                               std::string_view data) {
  std::array<unsigned char, kMacBytes> mac{};
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
            &length) ||
      length != kMacBytes) {
    return std::nullopt;
  }
  return mac;
}

std::string payloadJson(std::string_view button, const TokenContext& c, int64_t iat, int64_t exp,
                        std::string_view jti) {
  std::string out = "{\"v\":1,\"btn\":";
  appendJsonString(out, button);
  out += ",\"iat\":" + std::to_string(iat) + ",\"exp\":" + std::to_string(exp) + ",\"jti\":";
  appendJsonString(out, jti);
  out += ",\"ctx\":{\"customer_id\":";
  appendJsonString(out, c.customerId);
  out += ",\"order_id\":";
  appendJsonString(out, c.orderId);
  out += ",\"data\":{";
  for (size_t i = 0; i < c.data.size(); ++i) {
    if (i) out.push_back(',');
    appendJsonString(out, c.data[i].first);
    out.push_back(':');
    appendJsonString(out, c.data[i].second);
  }
  out += "}}}";
  return out;
}

const std::string* stringMember(const JsonValue& object, std::string_view key) {
  const JsonValue* v = object.find(key);
  return v && v->kind == JsonValue::Kind::String ? &v->string : nullptr;
}

std::optional<TokenClaims> claimsFrom(const JsonValue& root) {
  const JsonValue* version = root.find("v");
  const JsonValue* iat = root.find("iat");
  const JsonValue* exp = root.find("exp");
  const std::string* button = stringMember(root, "btn");
  const std::string* jti = stringMember(root, "jti");
  if (!version || version->kind != JsonValue::Kind::Integer || version->integer != 1)
    return std::nullopt;
  if (!iat || iat->kind != JsonValue::Kind::Integer || !exp ||
      exp->kind != JsonValue::Kind::Integer || !button || !jti)
    return std::nullopt;
  TokenClaims claims;
  claims.button = *button;
  claims.issuedAt = iat->integer;
  claims.expiresAt = exp->integer;
  claims.id = *jti;
  // The context is optional as a whole and member by member.
  if (const JsonValue* ctx = root.find("ctx")) {
    if (ctx->kind != JsonValue::Kind::Object) return std::nullopt;
    if (const JsonValue* v = ctx->find("customer_id")) {
      if (v->kind != JsonValue::Kind::String) return std::nullopt;
      claims.context.customerId = v->string;
    }
    if (const JsonValue* v = ctx->find("order_id")) {
      if (v->kind != JsonValue::Kind::String) return std::nullopt;
      claims.context.orderId = v->string;
    }
    if (const JsonValue* data = ctx->find("data")) {
      if (data->kind != JsonValue::Kind::Object) return std::nullopt;
      for (const auto& m : data->members) {
        if (m.value.kind != JsonValue::Kind::String) return std::nullopt;
        claims.context.data.emplace_back(m.key, m.value.string);
      }
    }
  }
  return claims;
}

}  // namespace

std::string_view toString(TokenError error) {
  switch (error) {
    case TokenError::Malformed:
      return "malformed";
    case TokenError::BadSignature:
      return "bad signature";
    case TokenError::Expired:
      return "expired";
    case TokenError::NotYetValid:
      return "not yet valid";
    case TokenError::WrongButton:
      return "wrong button";
    case TokenError::TtlTooLong:
      return "lifetime over the maximum";
  }
  return "malformed";
}

std::string issueToken(std::string_view secret, std::string_view button,
                       const TokenContext& context, int64_t ttlSeconds, int64_t now,
                       core::Random& random) {
  const std::string payload =
      base64UrlEncode(payloadJson(button, context, now, now + ttlSeconds, random.token(16)));
  const auto mac = hmacSha256(secret, payload);
  if (!mac) return {};
  return payload + "." +
         base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac->data()), mac->size()));
}

TokenCheck verifyToken(std::string_view secret, std::string_view token, std::string_view button,
                       int64_t now, int64_t maxTtlSeconds) {
  TokenCheck result;
  if (token.empty() || token.size() > kMaxTokenBytes) return result;
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || token.find('.', dot + 1) != token.npos)
    return result;
  const std::string_view payloadPart = token.substr(0, dot);
  const auto signature = base64UrlDecode(token.substr(dot + 1));
  if (!signature) return result;
  result.error = TokenError::BadSignature;
  if (secret.empty() || signature->size() != kMacBytes) return result;
  const auto mac = hmacSha256(secret, payloadPart);
  // CRYPTO_memcmp takes the same time wherever the first difference is.
  if (!mac || CRYPTO_memcmp(mac->data(), signature->data(), kMacBytes) != 0) return result;

  result.error = TokenError::Malformed;
  const auto payload = base64UrlDecode(payloadPart);
  if (!payload) return result;
  const auto root = parseJsonObject(*payload);
  if (!root) return result;
  auto claims = claimsFrom(*root);
  if (!claims) return result;
  // Unsigned difference: both values are arbitrary int64 from the payload.
  if (claims->expiresAt < claims->issuedAt) return result;
  if (static_cast<uint64_t>(claims->expiresAt) - static_cast<uint64_t>(claims->issuedAt) >
      static_cast<uint64_t>(maxTtlSeconds)) {
    result.error = TokenError::TtlTooLong;
    return result;
  }
  if (claims->issuedAt > now && claims->issuedAt - now > kClockSkewSeconds) {
    result.error = TokenError::NotYetValid;
    return result;
  }
  if (now >= claims->expiresAt) {
    result.error = TokenError::Expired;
    return result;
  }
  if (claims->button != button) {
    result.error = TokenError::WrongButton;
    return result;
  }
  result.claims = std::move(*claims);
  return result;
}

}  // namespace callgate::callme
