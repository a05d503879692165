#include "xmlrpc/Encoder.h"

#include "xmlrpc/ScalarText.h"
#include "xmlrpc/XmlText.h"

namespace callgate::mgmt::xmlrpc {
namespace {

constexpr std::string_view kDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

}  // namespace

std::string encodeResponse(const Value& value, const Limits& limits) {
  std::string out(kDeclaration);
  out += "<methodResponse><params><param>";
  appendValue(out, value, limits.maxDepth);
  out += "</param></params></methodResponse>\n";
  return out;
}

std::string encodeFault(int code, std::string_view message) {
  std::string out(kDeclaration);
  out += "<methodResponse><fault><value><struct>";
  out += "<member><name>faultCode</name><value><int>";
  out += std::to_string(code);
  out += "</int></value></member>";
  out += "<member><name>faultString</name><value><string>";
  appendEscapedText(out, sanitizeXmlText(message));
  out += "</string></value></member>";
  out += "</struct></value></fault></methodResponse>\n";
  return out;
}

std::string encodeMethodCall(std::string_view methodName, const Array& params,
                             const Limits& limits) {
  if (!isMethodName(methodName)) throw EncodeError("invalid XML-RPC method name");
  std::string out(kDeclaration);
  out += "<methodCall><methodName>";
  out += methodName;  // the allowed characters need no escaping
  out += "</methodName><params>";
  for (const auto& param : params) {
    out += "<param>";
    appendValue(out, param, limits.maxDepth);
    out += "</param>";
  }
  out += "</params></methodCall>\n";
  return out;
}

}  // namespace callgate::mgmt::xmlrpc
