#include "xmlrpc/DocumentParser.h"

#include <cstdint>
#include <deque>
#include <limits>

#include "xmlrpc/Base64.h"
#include "xmlrpc/ScalarText.h"
#include "xmlrpc/XmlText.h"

// Poco::Dynamic::Var has no move constructor: a std::vector<Var> deep-copies
// its elements when it grows, and Var(std::vector<Var>) copies the vector.
// Array elements and params are therefore collected in a std::deque (never
// relocates) and swapped one by one into place (Var::swap exchanges holder
// pointers); struct members are parsed straight into the map the Var holds.
// Each value is built once, however deep it sits.

namespace callgate::mgmt::xmlrpc {
namespace {

std::string tag(std::string_view name) {
  return "<" + clipText(name, 32) + ">";
}

enum class Scalar { Int32, Int64, Boolean, String, Double, DateTime, Base64, Nil, Unknown };

Scalar scalarType(std::string_view type) {
  if (type == "i4" || type == "int") return Scalar::Int32;
  if (type == "i8") return Scalar::Int64;
  if (type == "boolean") return Scalar::Boolean;
  if (type == "string") return Scalar::String;
  if (type == "double") return Scalar::Double;
  if (type == "dateTime.iso8601") return Scalar::DateTime;
  if (type == "base64") return Scalar::Base64;
  if (type == "nil") return Scalar::Nil;  // the widely used "nil" extension
  return Scalar::Unknown;
}

}  // namespace

DocumentParser::DocumentParser(std::string_view text, const Limits& limits)
    : reader_(text, limits.maxElements), limits_(limits) {}

bool DocumentParser::fail(std::string message) {
  error_ = {kInvalidRequest, std::move(message) + " at line " + std::to_string(reader_.line())};
  return false;
}

bool DocumentParser::nextEvent(XmlEvent& event) {
  if (reader_.next(event)) return true;
  error_ = reader_.error();
  return false;
}

// The next tag inside `parent`, which may hold only elements.
bool DocumentParser::nextTag(XmlEvent& event, std::string_view parent) {
  for (;;) {
    if (!nextEvent(event)) return false;
    if (event.kind == XmlEvent::Kind::StartTag || event.kind == XmlEvent::Kind::EndTag) return true;
    if (event.kind == XmlEvent::Kind::End) return fail("unexpected end of document");
    if (!isAllXmlSpace(event.text)) return fail("text not allowed in " + tag(parent));
  }
}

bool DocumentParser::expectStart(std::string_view name, std::string_view parent) {
  XmlEvent event;
  if (!nextTag(event, parent)) return false;
  if (event.kind == XmlEvent::Kind::StartTag && event.name == name) return true;
  if (event.kind == XmlEvent::Kind::StartTag) {
    return fail("expected " + tag(name) + " in " + tag(parent) + ", got " + tag(event.name));
  }
  return fail(tag(parent) + " lacks " + tag(name));
}

// The reader has already checked that an end tag closes the open element.
bool DocumentParser::expectEnd(std::string_view name) {
  XmlEvent event;
  if (!nextTag(event, name)) return false;
  if (event.kind == XmlEvent::Kind::EndTag) return true;
  return fail("unexpected " + tag(event.name) + " in " + tag(name));
}

bool DocumentParser::expectEndOfDocument() {
  XmlEvent event;
  return nextEvent(event);  // after the root, the reader gives End or an error
}

bool DocumentParser::readRoot(std::string_view name) {
  XmlEvent event;
  if (!nextEvent(event)) return false;
  // Outside the root the reader yields only the root's start tag.
  if (event.name != name) return fail("root element is " + tag(event.name) + ", not " + tag(name));
  return true;
}

// Character data of an element that may not contain elements.
bool DocumentParser::readContent(std::string_view element, std::string& text) {
  XmlEvent event;
  for (;;) {
    if (!nextEvent(event)) return false;
    switch (event.kind) {
      case XmlEvent::Kind::Text:
        text += event.text;
        break;
      case XmlEvent::Kind::EndTag:
        return true;
      case XmlEvent::Kind::StartTag:
        return fail(tag(element) + " may not contain " + tag(event.name));
      case XmlEvent::Kind::End:
        return fail("unexpected end of document");
    }
  }
}

// <param><value>...</value></param>, after <param>.
bool DocumentParser::parseParam(Value& value) {
  return expectStart("value", "param") && parseValue(value, 0) && expectEnd("param");
}

// After <value>: a typed element, or text alone, which is a string.
bool DocumentParser::parseValue(Value& value, size_t depth) {
  std::string text;
  XmlEvent event;
  for (;;) {
    if (!nextEvent(event)) return false;
    switch (event.kind) {
      case XmlEvent::Kind::Text:
        text += event.text;
        break;
      case XmlEvent::Kind::EndTag:
        value = std::move(text);
        return true;
      case XmlEvent::Kind::StartTag:
        if (!isAllXmlSpace(text)) return fail("<value> mixes text and " + tag(event.name));
        return parseTyped(event.name, value, depth) && expectEnd("value");
      case XmlEvent::Kind::End:
        return fail("unexpected end of document");
    }
  }
}

// After the start tag of a value type; consumes its end tag.
bool DocumentParser::parseTyped(std::string_view type, Value& value, size_t depth) {
  if (type == "array") return parseArray(value, depth + 1);
  if (type == "struct") return parseStruct(value, depth + 1);
  const Scalar scalar = scalarType(type);
  if (scalar == Scalar::Unknown) return fail("unknown value type " + tag(type));
  std::string text;
  if (!readContent(type, text)) return false;
  const std::string_view trimmed = trimXmlSpace(text);
  switch (scalar) {
    case Scalar::Int32:
    case Scalar::Int64: {
      // i4/int are four-byte signed integers; i8 is the common 64-bit extension.
      const bool wide = scalar == Scalar::Int64;
      const auto n = parseIntegerText(
          trimmed, wide ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int32_t>::min(),
          wide ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int32_t>::max());
      if (!n) return fail("invalid or out-of-range " + tag(type) + " value");
      value = Poco::Int64{*n};
      return true;
    }
    case Scalar::Boolean:
      if (trimmed != "0" && trimmed != "1") return fail("<boolean> must be 0 or 1");
      value = trimmed == "1";
      return true;
    case Scalar::String:
      value = std::move(text);
      return true;
    case Scalar::Double: {
      const auto d = parseDoubleText(trimmed);
      if (!d) return fail("invalid or out-of-range <double> value");
      value = *d;
      return true;
    }
    case Scalar::DateTime:
      if (!isDateTimeText(trimmed)) return fail("invalid <dateTime.iso8601> value");
      value = std::string(trimmed);
      return true;
    case Scalar::Base64: {
      auto bytes = decodeBase64(text);
      if (!bytes) return fail("invalid <base64> value");
      value = std::move(*bytes);
      return true;
    }
    case Scalar::Nil:
      if (!trimmed.empty()) return fail("<nil/> must be empty");
      value = Value();
      return true;
    case Scalar::Unknown:
      break;
  }
  return false;
}

// After <array>: <data> holding zero or more <value>s.
bool DocumentParser::parseArray(Value& value, size_t depth) {
  if (depth > limits_.maxDepth) {
    return fail("values nested deeper than " + std::to_string(limits_.maxDepth));
  }
  if (!expectStart("data", "array")) return false;
  std::deque<Value> items;
  XmlEvent event;
  for (;;) {
    if (!nextTag(event, "data")) return false;
    if (event.kind == XmlEvent::Kind::EndTag) break;
    if (event.name != "value") return fail("unexpected " + tag(event.name) + " in <data>");
    items.emplace_back();
    if (!parseValue(items.back(), depth)) return false;
  }
  if (!expectEnd("array")) return false;
  value = Array(items.size());
  for (size_t i = 0; i < items.size(); ++i) value[i].swap(items[i]);
  return true;
}

// After <struct>: <member><name>..</name><value>..</value></member>*.
bool DocumentParser::parseStruct(Value& value, size_t depth) {
  if (depth > limits_.maxDepth) {
    return fail("values nested deeper than " + std::to_string(limits_.maxDepth));
  }
  value = Struct();
  XmlEvent event;
  for (;;) {
    if (!nextTag(event, "struct")) return false;
    if (event.kind == XmlEvent::Kind::EndTag) break;
    if (event.name != "member") return fail("unexpected " + tag(event.name) + " in <struct>");
    std::string name;
    if (!expectStart("name", "member") || !readContent("name", name)) return false;
    // The spec does not say which of two equal names wins; refuse to guess.
    if (value.extract<Struct>().contains(name)) {
      return fail("duplicate struct member \"" + clipText(name, 32) + "\"");
    }
    if (!expectStart("value", "member") || !parseValue(value[name], depth) ||
        !expectEnd("member")) {
      return false;
    }
  }
  return true;
}

// Spec "Fault example": a struct with faultCode (int) and faultString (string).
bool DocumentParser::toFault(const Value& value, Fault& fault) {
  if (value.type() != typeid(Struct)) return fail("<fault> value must be a struct");
  const auto& members = value.extract<Struct>();
  const auto code = members.find("faultCode");
  const auto message = members.find("faultString");
  if (code == members.end() || code->second.type() != typeid(Poco::Int64) ||
      code->second.extract<Poco::Int64>() < std::numeric_limits<int>::min() ||
      code->second.extract<Poco::Int64>() > std::numeric_limits<int>::max()) {
    return fail("<fault> lacks an int faultCode");
  }
  if (message == members.end() || message->second.type() != typeid(std::string)) {
    return fail("<fault> lacks a string faultString");
  }
  fault.code = static_cast<int>(code->second.extract<Poco::Int64>());
  fault.message = message->second.extract<std::string>();
  return true;
}

bool DocumentParser::parseCall(MethodCall& call) {
  if (!readRoot("methodCall") || !expectStart("methodName", "methodCall")) return false;
  std::string name;
  if (!readContent("methodName", name)) return false;
  const std::string_view trimmed = trimXmlSpace(name);
  if (!isMethodName(trimmed)) return fail("invalid method name");
  call.methodName = std::string(trimmed);
  XmlEvent event;
  if (!nextTag(event, "methodCall")) return false;
  if (event.kind == XmlEvent::Kind::StartTag) {  // <params> is optional
    if (event.name != "params") return fail("unexpected " + tag(event.name) + " in <methodCall>");
    std::deque<Value> params;
    for (;;) {
      if (!nextTag(event, "params")) return false;
      if (event.kind == XmlEvent::Kind::EndTag) break;
      if (event.name != "param") return fail("unexpected " + tag(event.name) + " in <params>");
      params.emplace_back();
      if (!parseParam(params.back())) return false;
    }
    if (!expectEnd("methodCall")) return false;
    call.params.resize(params.size());
    for (size_t i = 0; i < params.size(); ++i) call.params[i].swap(params[i]);
  }
  return expectEndOfDocument();
}

bool DocumentParser::parseResponse(MethodResponse& response) {
  if (!readRoot("methodResponse")) return false;
  XmlEvent event;
  if (!nextTag(event, "methodResponse")) return false;
  if (event.kind == XmlEvent::Kind::EndTag) return fail("<methodResponse> is empty");
  if (event.name == "params") {
    // Spec: "a single <params> which contains a single <param>".
    if (!nextTag(event, "params")) return false;
    if (event.kind != XmlEvent::Kind::StartTag || event.name != "param") {
      return fail("<params> of a response must hold exactly one <param>");
    }
    if (!parseParam(response.value)) return false;
    if (!nextTag(event, "params")) return false;
    if (event.kind != XmlEvent::Kind::EndTag) {
      return fail("<params> of a response must hold exactly one <param>");
    }
  } else if (event.name == "fault") {
    Value value;
    Fault fault;
    if (!expectStart("value", "fault") || !parseValue(value, 0) || !toFault(value, fault) ||
        !expectEnd("fault")) {
      return false;
    }
    response.fault = std::move(fault);
  } else {
    return fail("expected <params> or <fault> in <methodResponse>, got " + tag(event.name));
  }
  return expectEnd("methodResponse") && expectEndOfDocument();
}

}  // namespace callgate::mgmt::xmlrpc
