#pragma once
// Turns a request body into the UTF-8 text the XmlReader works on: size
// limit, byte order mark, the encoding named in the XML declaration
// (XML 1.0 §4.3.3) and the characters XML allows (§2.2).

#include <string>
#include <string_view>

#include "xmlrpc/Types.h"

namespace callgate::mgmt::xmlrpc {

// UTF-8 (the default), US-ASCII and ISO-8859-1 are accepted; the last is
// what PHP's xmlrpc extension declares by default, and is converted into
// `storage`. On success `text` views either `body` or `storage`.
bool prepareDocument(std::string_view body, const Limits& limits, std::string& storage,
                     std::string_view& text, Fault& error);

}  // namespace callgate::mgmt::xmlrpc
