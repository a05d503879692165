#pragma once
// The XML-RPC grammar (spec "Request example", "Response example") over the
// events of an XmlReader: methodCall and methodResponse documents, and the
// <value> types. Elements are matched strictly, in the spec's order;
// whitespace between them is ignored, other text is an error.

#include <cstddef>
#include <string>
#include <string_view>

#include "xmlrpc/Parser.h"
#include "xmlrpc/XmlReader.h"

namespace callgate::mgmt::xmlrpc {

class DocumentParser {
 public:
  // `text` is a prepared document (prepareDocument) that outlives the parser.
  DocumentParser(std::string_view text, const Limits& limits);

  bool parseCall(MethodCall& call);
  bool parseResponse(MethodResponse& response);
  const Fault& error() const { return error_; }

 private:
  bool fail(std::string message);
  bool nextEvent(XmlEvent& event);
  bool nextTag(XmlEvent& event, std::string_view parent);
  bool expectStart(std::string_view name, std::string_view parent);
  bool expectEnd(std::string_view name);
  bool expectEndOfDocument();
  bool readRoot(std::string_view name);
  bool readContent(std::string_view element, std::string& text);
  bool parseParam(Value& value);
  bool parseValue(Value& value, size_t depth);
  bool parseTyped(std::string_view type, Value& value, size_t depth);
  bool parseArray(Value& value, size_t depth);
  bool parseStruct(Value& value, size_t depth);
  bool toFault(const Value& value, Fault& fault);

  XmlReader reader_;
  const Limits& limits_;
  Fault error_;
};

}  // namespace callgate::mgmt::xmlrpc
