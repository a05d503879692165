#include "xmlrpc/DocumentText.h"

#include <algorithm>

#include "xmlrpc/XmlReader.h"
#include "xmlrpc/XmlText.h"

namespace callgate::mgmt::xmlrpc {
namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}

size_t lineAt(std::string_view text, size_t offset) {
  const auto upTo = text.substr(0, offset);
  return 1 + static_cast<size_t>(std::count(upTo.begin(), upTo.end(), '\n'));
}

void latin1ToUtf8(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size() + in.size() / 8);
  for (char c : in) appendUtf8(out, static_cast<unsigned char>(c));
}

}  // namespace

bool prepareDocument(std::string_view body, const Limits& limits, std::string& storage,
                     std::string_view& text, Fault& error) {
  if (body.size() > limits.maxBodyBytes) {
    error = {kInvalidRequest, "body larger than " + std::to_string(limits.maxBodyBytes) + " bytes"};
    return false;
  }
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  // §F.1: a UTF-16/32 document starts with FE FF, FF FE or a NUL byte.
  if (body.starts_with("\xFE\xFF") || body.starts_with("\xFF\xFE") ||
      body.substr(0, 4).find('\0') != std::string_view::npos) {
    error = {kUnsupportedEncoding, "only UTF-8, US-ASCII and ISO-8859-1 are supported"};
    return false;
  }
  XmlDeclaration decl;
  std::string message;
  if (!readXmlDeclaration(body, decl, message)) {
    error = {kParseError, message + " at line 1"};
    return false;
  }
  const std::string_view encoding = decl.encoding;
  text = body;
  if (equalsIgnoreCase(encoding, "ISO-8859-1") || equalsIgnoreCase(encoding, "latin1")) {
    latin1ToUtf8(body, storage);
    text = storage;
  } else if (equalsIgnoreCase(encoding, "US-ASCII")) {
    const auto high = std::find_if(body.begin(), body.end(),
                                   [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    if (high != body.end()) {
      const auto offset = static_cast<size_t>(high - body.begin());
      error = {kInvalidCharacter, "non-ASCII byte in a US-ASCII document at line " +
                                      std::to_string(lineAt(body, offset))};
      return false;
    }
  } else if (!encoding.empty() && !equalsIgnoreCase(encoding, "UTF-8")) {
    error = {kUnsupportedEncoding, "unsupported encoding " + clipText(encoding, 32)};
    return false;
  }
  if (const size_t bad = findInvalidXmlText(text); bad != std::string_view::npos) {
    error = {kInvalidCharacter, "invalid UTF-8 or a character XML does not allow at line " +
                                    std::to_string(lineAt(text, bad))};
    return false;
  }
  return true;
}

}  // namespace callgate::mgmt::xmlrpc
