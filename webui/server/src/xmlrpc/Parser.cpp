#include "xmlrpc/Parser.h"

#include "xmlrpc/DocumentParser.h"
#include "xmlrpc/DocumentText.h"

namespace callgate::mgmt::xmlrpc {
namespace {

// The parsers report every input problem as a Fault; what is left to catch
// is running out of memory inside std::string, std::vector or Poco.
template <typename Result, typename Parse>
Result guarded(std::string_view body, const Limits& limits, Parse parse) noexcept {
  Result result;
  try {
    std::string storage;
    std::string_view text;
    if (!prepareDocument(body, limits, storage, text, result.error)) return result;
    DocumentParser parser(text, limits);
    parse(parser, result);
  } catch (...) {
    result = Result();
    result.error.code = kInternalError;
    result.error.message = "out of memory";  // short enough to need no allocation
  }
  return result;
}

}  // namespace

CallParseResult parseMethodCall(std::string_view body, const Limits& limits) noexcept {
  return guarded<CallParseResult>(body, limits, [](DocumentParser& parser, CallParseResult& r) {
    MethodCall call;
    if (parser.parseCall(call)) {
      r.call = std::move(call);
    } else {
      r.error = parser.error();
    }
  });
}

ResponseParseResult parseMethodResponse(std::string_view body, const Limits& limits) noexcept {
  return guarded<ResponseParseResult>(body, limits,
                                      [](DocumentParser& parser, ResponseParseResult& r) {
                                        MethodResponse response;
                                        if (parser.parseResponse(response)) {
                                          r.response = std::move(response);
                                        } else {
                                          r.error = parser.error();
                                        }
                                      });
}

}  // namespace callgate::mgmt::xmlrpc
