// Fuzzes the XML-RPC request and response parsers. Whatever parses must
// encode again and parse back to the same values; whatever is refused must
// make a fault document that parses back to the same fault.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "xmlrpc/Encoder.h"
#include "xmlrpc/Parser.h"
#include "xmlrpc/ValueEquality.h"
#include "xmlrpc/XmlText.h"

namespace {

using namespace callgate::mgmt::xmlrpc;

void check(bool ok) {
  if (!ok) std::abort();
}

// Fault messages are sanitised on the way out (a faultString may have come
// in as <base64> bytes).
void checkFaultRoundTrip(const Fault& fault) {
  check(!fault.message.empty());
  const auto r = parseMethodResponse(encodeFault(fault.code, fault.message));
  check(r.response.has_value() && r.response->fault.has_value());
  check(r.response->fault->code == fault.code);
  check(r.response->fault->message == sanitizeXmlText(fault.message));
}

void fuzzCall(std::string_view text) {
  const auto r = parseMethodCall(text);
  if (!r.call) {
    check(r.error.code == kParseError || r.error.code == kUnsupportedEncoding ||
          r.error.code == kInvalidCharacter || r.error.code == kInvalidRequest);
    checkFaultRoundTrip(r.error);
    return;
  }
  const auto again = parseMethodCall(encodeMethodCall(r.call->methodName, r.call->params));
  check(again.call.has_value());
  check(again.call->methodName == r.call->methodName);
  check(again.call->params.size() == r.call->params.size());
  for (size_t i = 0; i < r.call->params.size(); ++i) {
    check(sameValue(again.call->params[i], r.call->params[i]));
  }
}

void fuzzResponse(std::string_view text) {
  const auto r = parseMethodResponse(text);
  if (!r.response) return;
  if (r.response->fault) {
    const auto again =
        parseMethodResponse(encodeFault(r.response->fault->code, r.response->fault->message));
    check(again.response.has_value() && again.response->fault.has_value());
    check(again.response->fault->code == r.response->fault->code);
    check(again.response->fault->message == sanitizeXmlText(r.response->fault->message));
    return;
  }
  const auto again = parseMethodResponse(encodeResponse(r.response->value));
  check(again.response.has_value() && !again.response->fault.has_value());
  check(sameValue(again.response->value, r.response->value));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzzCall(text);
  fuzzResponse(text);
  return 0;
}
