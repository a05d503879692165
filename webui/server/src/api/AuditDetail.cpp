#include "api/AuditDetail.h"

#include <set>

#include "config/ConfigFields.h"
#include "http/Json.h"

namespace callgate::mgmt::api {
namespace {

Poco::Dynamic::Var shown(const std::string& name, const Poco::Dynamic::Var& v) {
  if (!config::isSecretField(name) || v.isEmpty()) return v;
  return v.isString() && v.extract<std::string>().empty()
             ? v
             : Poco::Dynamic::Var(std::string(config::kMaskedSecret));
}

}  // namespace

std::string diffDetail(const Poco::JSON::Object::Ptr& before,
                       const Poco::JSON::Object::Ptr& after) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  std::set<std::string> names;
  if (before)
    for (const auto& n : before->getNames()) names.insert(n);
  if (after)
    for (const auto& n : after->getNames()) names.insert(n);
  for (const auto& n : names) {
    const auto a = before && before->has(n) ? before->get(n) : Poco::Dynamic::Var();
    const auto b = after && after->has(n) ? after->get(n) : Poco::Dynamic::Var();
    if (http::stringify(a) == http::stringify(b)) continue;
    Poco::JSON::Object::Ptr change = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    change->set("from", shown(n, a));
    change->set("to", shown(n, b));
    out->set(n, change);
  }
  return http::stringify(out);
}

}  // namespace callgate::mgmt::api
