#include "xmlrpc/XmlReader.h"

#include <algorithm>
#include <cstdint>

#include "xmlrpc/XmlText.h"

namespace callgate::mgmt::xmlrpc {
namespace {

// Far more than XML-RPC's own nesting needs; only guards the open-tag stack
// against documents the grammar would reject later anyway.
constexpr size_t kMaxOpenElements = 256;
constexpr size_t kMaxAttributes = 32;

// XML 1.0 §2.3 NameStartChar/NameChar, simplified: any non-ASCII byte of
// the (already valid) UTF-8 is taken as a name character.
bool isNameStart(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || u >= 0x80;
}

bool isNameChar(char c) {
  return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}

// A small cursor for the pseudo-attributes of the XML declaration.
struct DeclCursor {
  std::string_view s;
  size_t pos;

  bool space() {
    const size_t start = pos;
    while (pos < s.size() && isXmlSpace(s[pos])) ++pos;
    return pos > start;
  }
  // name S? = S? ("value" | 'value')
  bool pseudoAttribute(std::string_view& name, std::string_view& value) {
    const size_t start = pos;
    while (pos < s.size() && s[pos] >= 'a' && s[pos] <= 'z') ++pos;
    name = s.substr(start, pos - start);
    space();
    if (name.empty() || pos >= s.size() || s[pos] != '=') return false;
    ++pos;
    space();
    if (pos >= s.size() || (s[pos] != '"' && s[pos] != '\'')) return false;
    const char quote = s[pos++];
    const size_t end = s.find(quote, pos);
    if (end == std::string_view::npos) return false;
    value = s.substr(pos, end - pos);
    pos = end + 1;
    return true;
  }
};

bool isVersion(std::string_view v) {  // §2.8 VersionNum: '1.' [0-9]+
  return v.size() > 2 && v.starts_with("1.") &&
         std::all_of(v.begin() + 2, v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isEncodingName(std::string_view v) {  // §4.3.3 EncName
  if (v.empty() || !((v[0] >= 'A' && v[0] <= 'Z') || (v[0] >= 'a' && v[0] <= 'z'))) return false;
  return std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

}  // namespace

bool readXmlDeclaration(std::string_view doc, XmlDeclaration& decl, std::string& error) {
  decl = {};
  if (!doc.starts_with("<?xml") || doc.size() < 6 || !isXmlSpace(doc[5])) return true;
  DeclCursor c{doc, 5};
  std::string_view name;
  std::string_view value;
  // version first, then the optional encoding and standalone, in this order.
  c.space();
  if (!c.pseudoAttribute(name, value) || name != "version" || !isVersion(value)) {
    error = "malformed XML declaration: version=\"1.x\" must come first";
    return false;
  }
  decl.version = value;
  int stage = 0;  // 0: encoding or standalone may follow, 1: only standalone, 2: none
  for (;;) {
    const bool hadSpace = c.space();
    if (c.s.substr(c.pos).starts_with("?>")) break;
    if (!hadSpace || stage == 2 || !c.pseudoAttribute(name, value)) {
      error = "malformed XML declaration";
      return false;
    }
    if (name == "encoding" && stage == 0 && isEncodingName(value)) {
      decl.encoding = value;
      stage = 1;
    } else if (name == "standalone" && (value == "yes" || value == "no")) {
      stage = 2;
    } else {
      error = "malformed XML declaration";
      return false;
    }
  }
  decl.length = c.pos + 2;
  return true;
}

XmlReader::XmlReader(std::string_view doc, size_t maxElements)
    : doc_(doc), maxElements_(maxElements) {}

size_t XmlReader::line() const {
  const auto upTo = doc_.substr(0, std::min(pos_, doc_.size()));
  return 1 + static_cast<size_t>(std::count(upTo.begin(), upTo.end(), '\n'));
}

bool XmlReader::fail(int code, std::string message) {
  error_.code = code;
  error_.message = std::move(message) + " at line " + std::to_string(line());
  phase_ = Phase::Done;
  return false;
}

bool XmlReader::skipSpace() {
  const size_t start = pos_;
  while (pos_ < doc_.size() && isXmlSpace(doc_[pos_])) ++pos_;
  return pos_ > start;
}

// Misc (§2.8): whitespace, comments and processing instructions around the root.
bool XmlReader::skipMisc() {
  for (;;) {
    skipSpace();
    if (at("<!--")) {
      if (!skipComment()) return false;
    } else if (at("<?")) {
      if (!skipProcessingInstruction()) return false;
    } else {
      return true;
    }
  }
}

// §2.5: "--" must not occur inside a comment.
bool XmlReader::skipComment() {
  pos_ += 4;
  const size_t dashes = doc_.find("--", pos_);
  if (dashes == std::string_view::npos) return fail("unterminated comment");
  if (dashes + 2 >= doc_.size() || doc_[dashes + 2] != '>') {
    pos_ = dashes;
    return fail("'--' inside a comment");
  }
  pos_ = dashes + 3;
  return true;
}

// §2.6; the target "xml" is reserved for the declaration at the very start.
bool XmlReader::skipProcessingInstruction() {
  pos_ += 2;
  std::string_view target;
  if (!readName(target)) return false;
  if (equalsIgnoreCase(target, "xml")) return fail("XML declaration not at the start");
  const size_t end = doc_.find("?>", pos_);
  if (end == std::string_view::npos) return fail("unterminated processing instruction");
  pos_ = end + 2;
  return true;
}

bool XmlReader::readName(std::string_view& name) {
  const size_t start = pos_;
  if (pos_ >= doc_.size() || !isNameStart(doc_[pos_])) return fail("expected a name");
  while (pos_ < doc_.size() && isNameChar(doc_[pos_])) ++pos_;
  name = doc_.substr(start, pos_ - start);
  return true;
}

// §4.1 references. Only the five entities of §4.6 exist here, since there is
// no DTD to declare others; `out` is null inside attribute values.
bool XmlReader::readReference(std::string* out) {
  ++pos_;  // '&'
  if (pos_ < doc_.size() && doc_[pos_] == '#') {
    ++pos_;
    const bool hex = pos_ < doc_.size() && doc_[pos_] == 'x';
    if (hex) ++pos_;
    uint32_t cp = 0;
    size_t digits = 0;
    for (; pos_ < doc_.size() && doc_[pos_] != ';'; ++pos_, ++digits) {
      const char c = doc_[pos_];
      uint32_t d = 0;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint32_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else if (hex && c >= 'A' && c <= 'F') {
        d = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return fail("malformed character reference");
      }
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10FFFF) return fail("character reference out of range");
    }
    if (pos_ >= doc_.size() || digits == 0) return fail("malformed character reference");
    ++pos_;  // ';'
    if (!isXmlChar(cp)) return fail("character reference to a character XML does not allow");
    if (out != nullptr) appendUtf8(*out, cp);
    return true;
  }
  std::string_view name;
  if (!readName(name)) return fail("'&' must start a reference (write &amp;)");
  if (pos_ >= doc_.size() || doc_[pos_] != ';') return fail("unterminated entity reference");
  ++pos_;
  char c = 0;
  if (name == "lt") {
    c = '<';
  } else if (name == "gt") {
    c = '>';
  } else if (name == "amp") {
    c = '&';
  } else if (name == "quot") {
    c = '"';
  } else if (name == "apos") {
    c = '\'';
  } else {
    return fail("entity reference &" + clipText(name, 32) +
                "; not allowed: only the predefined entities are");
  }
  if (out != nullptr) *out += c;
  return true;
}

bool XmlReader::readStartTag(XmlEvent& event) {
  ++pos_;  // '<'
  std::string_view name;
  if (!readName(name)) return false;
  if (++elements_ > maxElements_) {
    return fail(kInvalidRequest, "more than " + std::to_string(maxElements_) + " elements");
  }
  if (open_.size() >= kMaxOpenElements) return fail(kInvalidRequest, "elements nested too deeply");
  std::vector<std::string_view> attributes;
  if (!readAttributes(attributes)) return false;
  open_.push_back(name);
  event.kind = XmlEvent::Kind::StartTag;
  event.name = name;
  return true;
}

// §3.1 Attribute*: read only to check them; XML-RPC defines none.
bool XmlReader::readAttributes(std::vector<std::string_view>& names) {
  for (;;) {
    const bool hadSpace = skipSpace();
    if (pos_ >= doc_.size()) return fail("unterminated start tag");
    if (at("/>")) {
      pos_ += 2;
      pendingEnd_ = true;
      return true;
    }
    if (doc_[pos_] == '>') {
      ++pos_;
      return true;
    }
    if (!hadSpace) return fail("expected whitespace before an attribute");
    std::string_view name;
    if (!readName(name)) return false;
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return fail("duplicate attribute");
    }
    if (names.size() >= kMaxAttributes) return fail(kInvalidRequest, "too many attributes");
    names.push_back(name);
    skipSpace();
    if (pos_ >= doc_.size() || doc_[pos_] != '=') return fail("expected '=' after an attribute");
    ++pos_;
    skipSpace();
    if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) {
      return fail("attribute value must be quoted");
    }
    const char quote = doc_[pos_++];
    while (pos_ < doc_.size() && doc_[pos_] != quote) {
      if (doc_[pos_] == '<') return fail("'<' in an attribute value");
      if (doc_[pos_] == '&') {
        if (!readReference(nullptr)) return false;
      } else {
        ++pos_;
      }
    }
    if (pos_ >= doc_.size()) return fail("unterminated attribute value");
    ++pos_;
  }
}

bool XmlReader::readEndTag(XmlEvent& event) {
  pos_ += 2;  // "</"
  std::string_view name;
  if (!readName(name)) return false;
  skipSpace();
  if (pos_ >= doc_.size() || doc_[pos_] != '>') return fail("malformed end tag");
  // §3 element-type match: the reader is only in Content while open_ has a name.
  if (name != open_.back()) {
    return fail("</" + clipText(name, 32) + "> does not close <" + clipText(open_.back(), 32) +
                ">");
  }
  ++pos_;
  open_.pop_back();
  if (open_.empty()) phase_ = Phase::Epilog;
  event.kind = XmlEvent::Kind::EndTag;
  event.name = name;
  return true;
}

// Character data up to the next tag (§2.4), with CDATA sections (§2.7)
// appended, references resolved, and CR LF or a lone CR turned into LF (§2.11).
bool XmlReader::readCharData(std::string& out) {
  while (pos_ < doc_.size()) {
    const size_t special = doc_.find_first_of("<&]\r", pos_);
    const size_t runEnd = special == std::string_view::npos ? doc_.size() : special;
    out.append(doc_.substr(pos_, runEnd - pos_));
    pos_ = runEnd;
    if (pos_ >= doc_.size()) break;
    const char c = doc_[pos_];
    if (c == '\r') {
      out += '\n';
      pos_ += at("\r\n") ? 2 : 1;
    } else if (c == ']') {
      if (at("]]>")) return fail("']]>' in character data");
      out += c;
      ++pos_;
    } else if (c == '&') {
      if (!readReference(&out)) return false;
    } else if (at("<![CDATA[")) {
      pos_ += 9;
      const size_t end = doc_.find("]]>", pos_);
      if (end == std::string_view::npos) return fail("unterminated CDATA section");
      for (; pos_ < end; ++pos_) {
        if (doc_[pos_] != '\r') {
          out += doc_[pos_];
        } else if (doc_[pos_ + 1] != '\n') {
          out += '\n';
        }
      }
      pos_ = end + 3;
    } else if (at("<!--")) {
      if (!skipComment()) return false;
    } else if (at("<?")) {
      if (!skipProcessingInstruction()) return false;
    } else if (at("<!")) {
      return fail("markup declarations (DOCTYPE, ENTITY) are not allowed");
    } else if (at("</") || (pos_ + 1 < doc_.size() && isNameStart(doc_[pos_ + 1]))) {
      break;  // a tag
    } else {
      return fail("'<' must start a tag (write &lt;)");
    }
  }
  return true;
}

bool XmlReader::next(XmlEvent& event) {
  event.kind = XmlEvent::Kind::End;
  event.name = {};
  event.text.clear();
  if (pendingEnd_) {
    pendingEnd_ = false;
    event.kind = XmlEvent::Kind::EndTag;
    event.name = open_.back();
    open_.pop_back();
    if (open_.empty()) phase_ = Phase::Epilog;
    return true;
  }
  switch (phase_) {
    case Phase::Prolog: {
      if (pos_ == 0) {
        XmlDeclaration decl;
        std::string message;
        if (!readXmlDeclaration(doc_, decl, message)) return fail(std::move(message));
        pos_ = decl.length;
      }
      if (!skipMisc()) return false;
      if (at("<!DOCTYPE")) return fail("DOCTYPE is not allowed");
      if (pos_ >= doc_.size()) return fail("no root element");
      if (doc_[pos_] != '<' || pos_ + 1 >= doc_.size() || !isNameStart(doc_[pos_ + 1])) {
        return fail("expected the root element");
      }
      phase_ = Phase::Content;
      return readStartTag(event);
    }
    case Phase::Content: {
      if (pos_ >= doc_.size()) {
        return fail("document ends inside <" + clipText(open_.back(), 32) + ">");
      }
      if (at("</")) return readEndTag(event);
      if (doc_[pos_] == '<' && pos_ + 1 < doc_.size() && isNameStart(doc_[pos_ + 1])) {
        return readStartTag(event);
      }
      if (!readCharData(event.text)) return false;
      // Only comments or processing instructions: go on to the tag after them.
      if (event.text.empty()) return next(event);
      event.kind = XmlEvent::Kind::Text;
      return true;
    }
    case Phase::Epilog:
      if (!skipMisc()) return false;
      if (pos_ < doc_.size()) return fail("content after the root element");
      phase_ = Phase::Done;
      return true;
    case Phase::Done:
      return error_.code == 0;
  }
  return false;
}

}  // namespace callgate::mgmt::xmlrpc
