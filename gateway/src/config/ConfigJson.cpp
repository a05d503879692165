#include "config/ConfigJson.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <limits>

#include "config/ConfigFields.h"

namespace callgate::config {
namespace {

// --- writing -----------------------------------------------------------------

void appendString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

template <typename T>
void appendObject(std::string& out, const T& value, const std::vector<Field<T>>& fields,
                  const std::string& indent) {
  out += "{\n";
  for (size_t i = 0; i < fields.size(); ++i) {
    out += indent + "  ";
    appendString(out, fields[i].name);
    out += ": ";
    std::visit(
        [&](auto member) {
          const auto& v = value.*member;
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string>) {
            appendString(out, v);
          } else if constexpr (std::is_same_v<V, bool>) {
            out += v ? "true" : "false";
          } else {
            out += std::to_string(v);
          }
        },
        fields[i].member);
    out += i + 1 < fields.size() ? ",\n" : "\n";
  }
  out += indent + "}";
}

template <typename T>
void appendArray(std::string& out, const std::vector<T>& items,
                 const std::vector<Field<T>>& fields) {
  if (items.empty()) {
    out += "[]";
    return;
  }
  out += "[\n";
  for (size_t i = 0; i < items.size(); ++i) {
    out += "    ";
    appendObject(out, items[i], fields, "    ");
    out += i + 1 < items.size() ? ",\n" : "\n";
  }
  out += "  ]";
}

// --- reading -----------------------------------------------------------------

class Reader {
 public:
  std::vector<ValidationError> errors;
  bool keepMaskedSecrets = false;

  template <typename T>
  void readObject(const Poco::Dynamic::Var& var, const std::string& path, T& value,
                  const std::vector<Field<T>>& fields) {
    Poco::JSON::Object::Ptr obj = asObject(var, path);
    if (!obj) return;
    for (const auto& key : obj->getNames()) {
      const Field<T>* field = nullptr;
      for (const auto& f : fields) {
        if (f.name == key) field = &f;
      }
      const std::string fieldPath = path.empty() ? key : path + "." + key;
      if (!field) {
        error(fieldPath, "unknown field");
        continue;
      }
      const auto v = obj->get(key);
      if (keepMaskedSecrets && isSecretField(key) && v.isString() &&
          v.extract<std::string>() == kMaskedSecret) {
        continue;
      }
      std::visit([&](auto member) { readValue(v, fieldPath, value.*member); }, field->member);
    }
  }

  template <typename T>
  void readArray(const Poco::Dynamic::Var& var, const std::string& path, std::vector<T>& items,
                 const std::vector<Field<T>>& fields) {
    Poco::JSON::Array::Ptr array;
    try {
      if (var.type() == typeid(Poco::JSON::Array::Ptr))
        array = var.extract<Poco::JSON::Array::Ptr>();
    } catch (const Poco::Exception&) {
    }
    if (!array) {
      error(path, "expected an array");
      return;
    }
    if (array->size() > 100000) {
      error(path, "too many entries (max 100000)");
      return;
    }
    items.clear();
    for (size_t i = 0; i < array->size(); ++i) {
      T item;
      readObject(array->get(static_cast<unsigned>(i)), path + "[" + std::to_string(i) + "]", item,
                 fields);
      items.push_back(std::move(item));
    }
  }

  Poco::JSON::Object::Ptr asObject(const Poco::Dynamic::Var& var, const std::string& path) {
    try {
      if (var.type() == typeid(Poco::JSON::Object::Ptr))
        return var.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    error(path, "expected an object");
    return nullptr;
  }

  void error(const std::string& field, const std::string& message) {
    errors.push_back({field, message});
  }

 private:
  void readValue(const Poco::Dynamic::Var& v, const std::string& path, std::string& out) {
    if (!v.isString()) return error(path, "expected a string");
    out = v.extract<std::string>();
    if (out.size() > 1024 * 1024) error(path, "string too long");
  }
  void readValue(const Poco::Dynamic::Var& v, const std::string& path, bool& out) {
    if (!v.isBoolean()) return error(path, "expected true or false");
    out = v.extract<bool>();
  }
  template <typename N>
  void readValue(const Poco::Dynamic::Var& v, const std::string& path, N& out) {
    constexpr auto lo = std::numeric_limits<N>::min();
    constexpr auto hi = std::numeric_limits<N>::max();
    const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
    if (!v.isInteger()) return error(path, "expected an integer " + range);
    try {
      const auto n = v.convert<int64_t>();
      if (n < static_cast<int64_t>(lo) || n > static_cast<int64_t>(hi)) {
        return error(path, "expected an integer " + range);
      }
      out = static_cast<N>(n);
    } catch (const Poco::Exception&) {
      error(path, "expected an integer " + range);
    }
  }
};

}  // namespace

std::string toJson(const Config& c) {
  std::string out = "{\n  \"version\": " + std::to_string(kJsonFormatVersion) + ",\n";
  out += "  \"system\": ";
  appendObject(out, c.system, systemFields(), "  ");
  out += ",\n  \"sip\": ";
  appendObject(out, c.sip, sipFields(), "  ");
  out += ",\n  \"registrar\": ";
  appendObject(out, c.registrar, registrarFields(), "  ");
  out += ",\n  \"tls\": ";
  appendObject(out, c.tls, tlsFields(), "  ");
  out += ",\n  \"media\": ";
  appendObject(out, c.media, mediaFields(), "  ");
  out += ",\n  \"management\": ";
  appendObject(out, c.management, managementFields(), "  ");
  out += ",\n  \"callme\": ";
  appendObject(out, c.callme, callmeFields(), "  ");
  out += ",\n  \"media_interfaces\": ";
  appendArray(out, c.media_interfaces, mediaInterfaceFields());
  out += ",\n  \"listeners\": ";
  appendArray(out, c.listeners, listenerFields());
  out += ",\n  \"peers\": ";
  appendArray(out, c.peers, peerFields());
  out += ",\n  \"routes\": ";
  appendArray(out, c.routes, routeFields());
  out += ",\n  \"buttons\": ";
  appendArray(out, c.buttons, buttonFields());
  out += ",\n  \"webhooks\": ";
  appendArray(out, c.webhooks, webhookFields());
  out += "\n}\n";
  return out;
}

ConfigParseResult fromJson(std::string_view text) {
  ConfigParseResult result;
  Reader r;
  if (text.size() > kMaxJsonBytes) {
    result.errors.push_back({"(document)", "larger than 16 MiB"});
    return result;
  }
  Poco::Dynamic::Var root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(std::string(text));
  } catch (const Poco::Exception& e) {
    result.errors.push_back({"(document)", "JSON syntax error: " + e.message()});
    return result;
  }
  auto obj = r.asObject(root, "(document)");
  if (obj) {
    for (const auto& key : obj->getNames()) {
      const auto v = obj->get(key);
      auto& c = result.config;
      if (key == "version") {
        if (!v.isInteger() || v.convert<int64_t>() != kJsonFormatVersion) {
          r.error("version", "must be " + std::to_string(kJsonFormatVersion));
        }
      } else if (key == "system") {
        r.readObject(v, "system", c.system, systemFields());
      } else if (key == "sip") {
        r.readObject(v, "sip", c.sip, sipFields());
      } else if (key == "registrar") {
        r.readObject(v, "registrar", c.registrar, registrarFields());
      } else if (key == "tls") {
        r.readObject(v, "tls", c.tls, tlsFields());
      } else if (key == "media") {
        r.readObject(v, "media", c.media, mediaFields());
      } else if (key == "management") {
        r.readObject(v, "management", c.management, managementFields());
      } else if (key == "callme") {
        r.readObject(v, "callme", c.callme, callmeFields());
      } else if (key == "buttons") {
        r.readArray(v, "buttons", c.buttons, buttonFields());
      } else if (key == "webhooks") {
        r.readArray(v, "webhooks", c.webhooks, webhookFields());
      } else if (key == "media_interfaces") {
        r.readArray(v, "media_interfaces", c.media_interfaces, mediaInterfaceFields());
      } else if (key == "listeners") {
        r.readArray(v, "listeners", c.listeners, listenerFields());
      } else if (key == "peers") {
        r.readArray(v, "peers", c.peers, peerFields());
      } else if (key == "routes") {
        r.readArray(v, "routes", c.routes, routeFields());
      } else {
        r.error(key, "unknown field");
      }
    }
  }
  result.errors = std::move(r.errors);
  return result;
}

template <typename T>
Poco::JSON::Object::Ptr toJsonObject(const T& value, bool maskSecrets) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& f : fieldsOf(&value)) {
    const std::string name(f.name);
    std::visit(
        [&](auto member) {
          const auto& v = value.*member;
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string>) {
            const bool mask = maskSecrets && isSecretField(name) && !v.empty();
            out->set(name, mask ? std::string(kMaskedSecret) : v);
          } else if constexpr (std::is_same_v<V, bool>) {
            out->set(name, v);
          } else {
            out->set(name, static_cast<int64_t>(v));
          }
        },
        f.member);
  }
  return out;
}

template <typename T>
std::vector<ValidationError> applyJson(const Poco::JSON::Object::Ptr& object,
                                       const std::string& prefix, T& value) {
  Reader r;
  r.keepMaskedSecrets = true;
  r.readObject(Poco::Dynamic::Var(object), prefix, value, fieldsOf(&value));
  return std::move(r.errors);
}

#define CALLGATE_CONFIG_JSON_OBJECT(T)                                               \
  template Poco::JSON::Object::Ptr toJsonObject<T>(const T&, bool);                  \
  template std::vector<ValidationError> applyJson<T>(const Poco::JSON::Object::Ptr&, \
                                                     const std::string&, T&);
CALLGATE_CONFIG_JSON_OBJECT(SystemSettings)
CALLGATE_CONFIG_JSON_OBJECT(SipSettings)
CALLGATE_CONFIG_JSON_OBJECT(RegistrarSettings)
CALLGATE_CONFIG_JSON_OBJECT(TlsSettings)
CALLGATE_CONFIG_JSON_OBJECT(MediaSettings)
CALLGATE_CONFIG_JSON_OBJECT(ManagementSettings)
CALLGATE_CONFIG_JSON_OBJECT(MediaInterface)
CALLGATE_CONFIG_JSON_OBJECT(Listener)
CALLGATE_CONFIG_JSON_OBJECT(Peer)
CALLGATE_CONFIG_JSON_OBJECT(Route)
CALLGATE_CONFIG_JSON_OBJECT(CallmeSettings)
CALLGATE_CONFIG_JSON_OBJECT(Button)
CALLGATE_CONFIG_JSON_OBJECT(Webhook)
#undef CALLGATE_CONFIG_JSON_OBJECT

}  // namespace callgate::config
