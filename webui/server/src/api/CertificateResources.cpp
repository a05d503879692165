// The TLS certificates in the configuration: `management` (the HTTPS
// listener of callgate-mgmt) and `sip` (callgated's TLS and WSS listeners,
// settings section tls).
//   GET /api/v1/certificates         both, described
//   GET /api/v1/certificates/{name}  subject, issuer, validity, SHA-256 fingerprint
//   PUT /api/v1/certificates/{name}  {"certificate_pem", "private_key_pem"}
//                                    or {"pkcs12_base64", "password"}
// An upload is checked (Certificate.h) before it is stored through the
// audited configuration change; a new management certificate serves new
// HTTPS connections at once.

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>

#include <ctime>
#include <sstream>

#include "api/ConfigChange.h"
#include "api/Guard.h"
#include "api/Resources.h"
#include "config/ConfigFields.h"
#include "core/Log.h"
#include "http/Certificate.h"
#include "http/Json.h"

namespace callgate::mgmt::api {
namespace {

using http::Access;
using http::ApiError;
using http::Request;
using http::Response;

constexpr std::string_view kLogTag = "mgmt.certificates";

// Where each certificate lives in the configuration.
std::pair<std::string*, std::string*> pemFields(config::Config& c, const std::string& name) {
  if (name == "management") return {&c.management.certificate_pem, &c.management.private_key_pem};
  if (name == "sip") return {&c.tls.certificate_pem, &c.tls.private_key_pem};
  throw ApiError(404, "not_found", "no certificate named '" + name + "' (management or sip)",
                 "name");
}

std::string sectionOf(const std::string& name) {
  return name == "management" ? "management" : "tls";
}

Poco::JSON::Object::Ptr describe(const std::string& name, const std::string& pem) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("name", name);
  const auto info = http::describeCertificate(pem);
  o->set("configured", info.has_value());
  if (!info) return o;
  o->set("subject", info->subject);
  o->set("issuer", info->issuer);
  o->set("not_before", info->notBefore);
  o->set("not_after", info->notAfter);
  o->set("sha256_fingerprint", info->sha256Fingerprint);
  o->set("key_type", info->keyType);
  Poco::JSON::Array::Ptr names = new Poco::JSON::Array;
  for (const auto& n : info->subjectAltNames) names->add(n);
  o->set("subject_alt_names", names);
  o->set("chain_length", info->chainLength);
  return o;
}

std::string decodeBase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  std::string out;
  try {
    out.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
  } catch (const Poco::Exception&) {
    throw ApiError(400, "invalid_field", "not valid base64", "pkcs12_base64");
  }
  if (!decoder.good() && !decoder.eof()) {
    throw ApiError(400, "invalid_field", "not valid base64", "pkcs12_base64");
  }
  return out;
}

// The PEM pair an upload carries, in either form.
http::PemIdentity uploaded(const Poco::JSON::Object& body) {
  http::onlyFields(body, {"certificate_pem", "private_key_pem", "pkcs12_base64", "password"});
  const auto p12 = http::optionalString(body, "pkcs12_base64");
  if (p12) {
    if (body.has("certificate_pem") || body.has("private_key_pem")) {
      throw ApiError(400, "invalid_field", "send either PEM fields or pkcs12_base64, not both",
                     "pkcs12_base64");
    }
    std::string error;
    auto pem = http::pkcs12ToPem(decodeBase64(*p12),
                                 http::optionalString(body, "password").value_or(""), error);
    if (!pem) throw ApiError(422, "validation_failed", error, "pkcs12_base64");
    return *pem;
  }
  if (body.has("password")) {
    throw ApiError(400, "unknown_field", "password goes with pkcs12_base64 only", "password");
  }
  return http::PemIdentity{http::requiredString(body, "certificate_pem"),
                           http::requiredString(body, "private_key_pem")};
}

std::string fingerprintOf(const std::string& pem) {
  const auto info = http::describeCertificate(pem);
  return info ? info->sha256Fingerprint : std::string();
}

}  // namespace

void addCertificateRoutes(http::Router& router, Services& s) {
  const std::string base = std::string(kApiBase) + "/certificates";
  addRoute(router, s, "GET", base, Access::Read, "the TLS certificates (management, sip)",
           [&s](Request&, const Principal&) {
             auto c = s.withStore([](config::ConfigStore& st) { return st.load(); });
             Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
             for (const char* name : {"management", "sip"}) {
               list->add(describe(name, *pemFields(c, name).first));
             }
             Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
             out->set("items", list);
             return Response::of(out);
           });
  addRoute(router, s, "GET", base + "/{name}", Access::Read, "describe one TLS certificate",
           [&s](Request& r, const Principal&) {
             auto c = s.withStore([](config::ConfigStore& st) { return st.load(); });
             const std::string& name = r.param("name");
             return Response::of(describe(name, *pemFields(c, name).first));
           });
  addRoute(
      router, s, "PUT", base + "/{name}", Access::Admin,
      "replace a TLS certificate (PEM pair or PKCS#12)", [&s](Request& r, const Principal& who) {
        const std::string name = r.param("name");
        {
          config::Config probe;
          pemFields(probe, name);  // 404 before anything else
        }
        const auto pem = uploaded(r.bodyObject());
        if (const auto problem =
                http::checkIdentity(pem.certificatePem, pem.privateKeyPem, std::time(nullptr))) {
          throw ApiError(422, "validation_failed", problem->message, problem->field);
        }
        auto out = changeConfig(s, who, "update", "certificates/" + name, [&](config::Config& c) {
          auto [certificate, key] = pemFields(c, name);
          Poco::JSON::Object::Ptr detail = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
          Poco::JSON::Object::Ptr fp = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
          fp->set("from", fingerprintOf(*certificate));
          fp->set("to", fingerprintOf(pem.certificatePem));
          detail->set("sha256_fingerprint", fp);
          Poco::JSON::Object::Ptr masked = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
          masked->set("from", std::string(config::kMaskedSecret));
          masked->set("to", std::string(config::kMaskedSecret));
          detail->set("private_key_pem", masked);
          *certificate = pem.certificatePem;
          *key = pem.privateKeyPem;
          return Mutation{http::stringify(detail), sectionOf(name) + "."};
        });
        out->set("item", describe(name, pem.certificatePem));
        if (name == "management") {
          bool reloaded = false;
          if (s.tlsIdentity) {
            try {
              s.tlsIdentity->replace(pem.certificatePem, pem.privateKeyPem);
              reloaded = true;
            } catch (const std::exception& e) {
              CG_LOG_ERROR(kLogTag) << "stored, but not loaded: " << e.what();
            }
          }
          out->set("tls_reloaded", reloaded);
          out->set("restart_required", !reloaded);
        }
        s.events.record("certificate_replaced", who.actor(), who.address,
                        name + " certificate is now " + fingerprintOf(pem.certificatePem));
        return Response::of(out);
      });
}

}  // namespace callgate::mgmt::api
