#include "rpc/ValueJson.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace callgate::mgmt::rpc {

Poco::Dynamic::Var toJsonValue(const xmlrpc::Value& value) {
  if (value.type() == typeid(xmlrpc::Struct)) {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    for (const auto& [name, member] : value.extract<xmlrpc::Struct>()) {
      out->set(name, toJsonValue(member));
    }
    return out;
  }
  if (value.type() == typeid(xmlrpc::Array)) {
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& item : value.extract<xmlrpc::Array>()) out->add(toJsonValue(item));
    return out;
  }
  return value;
}

}  // namespace callgate::mgmt::rpc
