#include "xmlrpc/ValueEquality.h"

namespace callgate::mgmt::xmlrpc {

bool sameValue(const Value& a, const Value& b) {
  if (a.isEmpty() || b.isEmpty()) return a.isEmpty() && b.isEmpty();
  const std::type_info& type = a.type();
  if (type != b.type()) return false;
  if (type == typeid(bool)) return a.extract<bool>() == b.extract<bool>();
  if (type == typeid(Poco::Int64)) return a.extract<Poco::Int64>() == b.extract<Poco::Int64>();
  if (type == typeid(double)) return a.extract<double>() == b.extract<double>();
  if (type == typeid(std::string)) return a.extract<std::string>() == b.extract<std::string>();
  if (type == typeid(Array)) {
    const auto& x = a.extract<Array>();
    const auto& y = b.extract<Array>();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!sameValue(x[i], y[i])) return false;
    }
    return true;
  }
  if (type == typeid(Struct)) {
    const auto& x = a.extract<Struct>();
    const auto& y = b.extract<Struct>();
    if (x.size() != y.size()) return false;
    for (const auto& [name, member] : x) {
      const auto other = y.find(name);
      if (other == y.end() || !sameValue(member, other->second)) return false;
    }
    return true;
  }
  return false;
}

}  // namespace callgate::mgmt::xmlrpc
