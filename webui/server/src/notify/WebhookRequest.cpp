#include "notify/WebhookRequest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "auth/SecureRandom.h"
#include "config/WebhookValidation.h"
#include "http/Json.h"
#include "xmlrpc/Encoder.h"

namespace callgate::mgmt::notify {
namespace {

bool listed(const std::string& list, std::string_view item) {
  for (const auto& entry : config::splitList(list)) {
    if (entry == item) return true;
  }
  return false;
}

}  // namespace

bool wants(const config::Webhook& webhook, const Poco::JSON::Object& event) {
  if (!webhook.enabled) return false;
  const std::string type = event.optValue<std::string>("type", "");
  if (!type.starts_with("call.") || !listed(webhook.events, type.substr(5))) return false;
  if (webhook.buttons.empty()) return true;
  const auto callme = event.getObject("callme");
  return callme && listed(webhook.buttons, callme->optValue<std::string>("button", ""));
}

std::string signatureHeader(std::string_view secret, std::string_view body, int64_t unixSeconds) {
  const std::string t = std::to_string(unixSeconds);
  const std::string signedText = t + "." + std::string(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signedText.data()), signedText.size(), mac, &len);
  return "t=" + t + ",v1=" + auth::toHex(mac, len);
}

WebhookRequest buildWebhookRequest(const config::Webhook& webhook,
                                   const Poco::JSON::Object::Ptr& event,
                                   const std::string& deliveryId, int64_t unixSeconds) {
  WebhookRequest r;
  if (webhook.format == "xmlrpc") {
    try {
      r.body = xmlrpc::encodeMethodCall(webhook.xmlrpc_method, xmlrpc::Array{event});
    } catch (const std::exception& e) {
      throw std::invalid_argument(std::string("XML-RPC encoding: ") + e.what());
    }
    r.contentType = "text/xml";
  } else {
    r.body = http::stringify(event);
    r.contentType = "application/json";
  }
  r.headers.emplace_back("X-Callgate-Event", event->optValue<std::string>("type", ""));
  r.headers.emplace_back("X-Callgate-Delivery", deliveryId);
  if (!webhook.secret.empty()) {
    r.headers.emplace_back("X-Callgate-Signature",
                           signatureHeader(webhook.secret, r.body, unixSeconds));
  }
  return r;
}

}  // namespace callgate::mgmt::notify
