#pragma once
// Character-level rules of XML 1.0 shared by the reader and the encoder:
// which code points a document may contain (§2.2 Char), strict UTF-8, and
// escaping of character data (§2.4).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace callgate::mgmt::xmlrpc {

// XML 1.0 §2.2: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
constexpr bool isXmlChar(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// XML 1.0 §2.3 S.
constexpr bool isXmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trimXmlSpace(std::string_view s);
bool isAllXmlSpace(std::string_view s);

// Decodes one strict UTF-8 sequence (no overlong forms, no surrogates, at
// most U+10FFFF) at `pos`. Returns its length, or 0 when invalid.
size_t decodeUtf8(std::string_view s, size_t pos, uint32_t& cp);
void appendUtf8(std::string& out, uint32_t cp);

// Offset of the first byte that is not valid UTF-8 or not an XML Char;
// npos when the whole text may appear in a document.
size_t findInvalidXmlText(std::string_view s);

// At most `max` bytes of valid UTF-8 `s`, cut at a character boundary, for
// quoting input in error messages.
std::string clipText(std::string_view s, size_t max);

// Replaces invalid UTF-8 and characters XML forbids with U+FFFD, for text
// that must go out as a string whatever it holds (fault messages).
std::string sanitizeXmlText(std::string_view s);

// Appends valid XML text as character data: & < > escaped, and CR as a
// character reference so that the reader's line-end normalisation (§2.11)
// gives it back unchanged.
void appendEscapedText(std::string& out, std::string_view text);

}  // namespace callgate::mgmt::xmlrpc
