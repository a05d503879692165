#include "control/ControlProtocol.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace callgate::control {

std::string toJsonText(const Poco::Dynamic::Var& value, unsigned indent) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, indent);
  return out.str();
}

std::string encodeRequest(int id, const std::string& method,
                          const Poco::JSON::Object::Ptr& params) {
  Poco::JSON::Object o;
  o.set("jsonrpc", "2.0");
  o.set("id", id);
  o.set("method", method);
  if (params) o.set("params", params);
  std::ostringstream out;
  o.stringify(out);
  return out.str() + "\n";
}

std::string encodeResult(const Poco::Dynamic::Var& id, const Poco::Dynamic::Var& result) {
  Poco::JSON::Object o;
  o.set("jsonrpc", "2.0");
  o.set("id", id);
  o.set("result", result);
  std::ostringstream out;
  o.stringify(out);
  return out.str() + "\n";
}

std::string encodeError(const Poco::Dynamic::Var& id, int code, const std::string& message) {
  Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
  error->set("code", code);
  error->set("message", message);
  Poco::JSON::Object o;
  o.set("jsonrpc", "2.0");
  o.set("id", id);
  o.set("error", error);
  std::ostringstream out;
  o.stringify(out);
  return out.str() + "\n";
}

}  // namespace callgate::control
