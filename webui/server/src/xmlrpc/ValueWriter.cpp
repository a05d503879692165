#include "xmlrpc/ValueWriter.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "Poco/DateTime.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "xmlrpc/Base64.h"
#include "xmlrpc/ScalarText.h"
#include "xmlrpc/XmlText.h"

namespace callgate::mgmt::xmlrpc {
namespace {

class Writer {
 public:
  Writer(std::string& out, size_t maxDepth) : out_(out), maxDepth_(maxDepth) {}

  void value(const Value& v, size_t depth) {
    out_ += "<value>";
    typed(v, depth);
    out_ += "</value>";
  }

 private:
  void typed(const Value& v, size_t depth) {
    const std::type_info& type = v.type();
    if (v.isEmpty()) {
      out_ += "<nil/>";
    } else if (type == typeid(bool)) {
      out_ += v.extract<bool>() ? "<boolean>1</boolean>" : "<boolean>0</boolean>";
    } else if (v.isInteger()) {
      integer(v);
    } else if (type == typeid(double) || type == typeid(float)) {
      real(type == typeid(double) ? v.extract<double>() : double{v.extract<float>()});
    } else if (v.isString()) {
      string(v.convert<std::string>());
    } else if (type == typeid(Poco::DateTime)) {
      // The spec's own example form, 19980717T14:08:55.
      out_ += "<dateTime.iso8601>";
      out_ += Poco::DateTimeFormatter::format(v.extract<Poco::DateTime>(), "%Y%m%dT%H:%M:%S");
      out_ += "</dateTime.iso8601>";
    } else if (type == typeid(Struct)) {
      members(v.extract<Struct>(), depth + 1);
    } else if (type == typeid(Poco::OrderedDynamicStruct)) {
      members(v.extract<Poco::OrderedDynamicStruct>(), depth + 1);
    } else if (type == typeid(Poco::JSON::Object)) {
      members(v.extract<Poco::JSON::Object>(), depth + 1);
    } else if (type == typeid(Poco::JSON::Object::Ptr)) {
      const auto& ptr = v.extract<Poco::JSON::Object::Ptr>();
      if (ptr.isNull()) {
        out_ += "<nil/>";
      } else {
        members(*ptr, depth + 1);
      }
    } else if (type == typeid(Array)) {
      elements(v.extract<Array>(), depth + 1);
    } else if (type == typeid(Poco::JSON::Array)) {
      elements(v.extract<Poco::JSON::Array>(), depth + 1);
    } else if (type == typeid(Poco::JSON::Array::Ptr)) {
      const auto& ptr = v.extract<Poco::JSON::Array::Ptr>();
      if (ptr.isNull()) {
        out_ += "<nil/>";
      } else {
        elements(*ptr, depth + 1);
      }
    } else {
      throw EncodeError(std::string("XML-RPC has no type for ") + type.name());
    }
  }

  void integer(const Value& v) {
    int64_t n = 0;
    if (v.isSigned()) {
      n = v.convert<Poco::Int64>();
    } else {
      const auto u = v.convert<Poco::UInt64>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        throw EncodeError("integer above the i8 range");
      }
      n = static_cast<int64_t>(u);
    }
    // <int> is what every implementation reads; <i8> only where needed.
    const bool fits32 =
        n >= std::numeric_limits<int32_t>::min() && n <= std::numeric_limits<int32_t>::max();
    out_ += fits32 ? "<int>" : "<i8>";
    out_ += std::to_string(n);
    out_ += fits32 ? "</int>" : "</i8>";
  }

  void real(double d) {
    // Spec: "There is no representation for infinity or negative infinity or 'not a number'".
    if (!std::isfinite(d)) throw EncodeError("XML-RPC cannot carry a non-finite double");
    out_ += "<double>";
    out_ += formatDouble(d);
    out_ += "</double>";
  }

  void string(const std::string& s) {
    if (findInvalidXmlText(s) == std::string::npos) {
      out_ += "<string>";
      appendEscapedText(out_, s);
      out_ += "</string>";
    } else {
      out_ += "<base64>";
      out_ += encodeBase64(s);
      out_ += "</base64>";
    }
  }

  void checkDepth(size_t depth) const {
    if (depth > maxDepth_) {
      throw EncodeError("value nested deeper than " + std::to_string(maxDepth_));
    }
  }

  template <typename Members>
  void members(const Members& m, size_t depth) {
    checkDepth(depth);
    out_ += "<struct>";
    for (const auto& [name, member] : m) {
      if (findInvalidXmlText(name) != std::string::npos) {
        throw EncodeError("struct member name is not valid XML text");
      }
      out_ += "<member><name>";
      appendEscapedText(out_, name);
      out_ += "</name>";
      value(member, depth);
      out_ += "</member>";
    }
    out_ += "</struct>";
  }

  template <typename Elements>
  void elements(const Elements& items, size_t depth) {
    checkDepth(depth);
    out_ += "<array><data>";
    for (const auto& item : items) value(item, depth);
    out_ += "</data></array>";
  }

  std::string& out_;
  size_t maxDepth_;
};

}  // namespace

void appendValue(std::string& out, const Value& value, size_t maxDepth) {
  Writer(out, maxDepth).value(value, 0);
}

}  // namespace callgate::mgmt::xmlrpc
