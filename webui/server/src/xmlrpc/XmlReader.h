#pragma once
// A pull reader for the part of XML 1.0 that XML-RPC documents use:
// elements, attributes (checked, then ignored), character data, CDATA
// sections, comments and processing instructions (skipped), the five
// predefined entities and character references. It knows no DTD: a DOCTYPE
// is refused and every other entity reference is an error, so nothing is
// ever expanded or fetched (no XXE, no "billion laughs").
//
// The document must be UTF-8 already accepted by findInvalidXmlText(); the
// reader then only has to look at ASCII markup bytes.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "xmlrpc/Types.h"

namespace callgate::mgmt::xmlrpc {

struct XmlEvent {
  enum class Kind { StartTag, EndTag, Text, End };
  Kind kind = Kind::End;
  std::string_view name;  // StartTag, EndTag: a view into the document
  std::string text;       // Text: references resolved, line ends normalised (§2.11)
};

// The XML declaration (§2.8), when the document starts with one.
struct XmlDeclaration {
  std::string_view version;
  std::string_view encoding;  // empty when not declared
  size_t length = 0;          // 0 when there is no declaration
};

// False with `error` set when the declaration is malformed.
bool readXmlDeclaration(std::string_view doc, XmlDeclaration& decl, std::string& error);

class XmlReader {
 public:
  // `doc` must outlive the reader.
  XmlReader(std::string_view doc, size_t maxElements);

  // The next event. A self-closing tag gives StartTag then EndTag; adjacent
  // character data, CDATA and references come as one Text (comments and
  // processing instructions between them are dropped). After the root
  // element's EndTag, End comes once the rest is known to be only comments,
  // processing instructions and whitespace. False on an error; see error().
  bool next(XmlEvent& event);

  // kParseError for malformed or refused XML, kInvalidRequest for a limit.
  // The message ends with the line it was found on.
  const Fault& error() const { return error_; }
  // 1-based line of the current position.
  size_t line() const;

 private:
  enum class Phase { Prolog, Content, Epilog, Done };

  bool fail(int code, std::string message);
  bool fail(std::string message) { return fail(kParseError, std::move(message)); }
  bool at(std::string_view s) const { return doc_.substr(pos_).starts_with(s); }
  bool skipSpace();
  bool skipMisc();
  bool skipComment();
  bool skipProcessingInstruction();
  bool readName(std::string_view& name);
  bool readStartTag(XmlEvent& event);
  bool readAttributes(std::vector<std::string_view>& names);
  bool readEndTag(XmlEvent& event);
  bool readReference(std::string* out);
  bool readCharData(std::string& out);

  std::string_view doc_;
  size_t pos_ = 0;
  size_t maxElements_;
  size_t elements_ = 0;
  Phase phase_ = Phase::Prolog;
  bool pendingEnd_ = false;             // the last start tag was self-closing
  std::vector<std::string_view> open_;  // names of the open elements, views into doc_
  Fault error_;
};

}  // namespace callgate::mgmt::xmlrpc
