#pragma once
// Tagged logging. Each file logs under a tag naming its class ("sip.txn");
// levels are switchable per tag at run time. TRACE compiles out of release builds.
//
//   CG_LOG_INFO("sip.txn") << "timer B fired for " << branch;

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace callgate::core::log {

enum class Level : uint8_t { Trace, Debug, Info, Warn, Error, Off };

std::string_view levelName(Level level);
bool parseLevel(std::string_view name, Level& out);

void setLevel(Level level);
void setTagLevel(std::string_view tag, Level level);
bool enabled(Level level, std::string_view tag);
// Sink for formatted lines; default writes to stderr. For tests and syslog.
using Sink = void (*)(Level, std::string_view tag, std::string_view text);
void setSink(Sink sink);

// Allows `burst` lines per `periodSeconds` for one call site; counts the rest.
class RateLimit {
 public:
  RateLimit(unsigned burst, unsigned periodSeconds) : burst_(burst), period_(periodSeconds) {}
  bool allow();
  uint64_t suppressed() const { return suppressed_; }

 private:
  unsigned burst_;
  unsigned period_;
  int64_t windowStart_ = 0;
  unsigned used_ = 0;
  uint64_t suppressed_ = 0;
};

class Line {
 public:
  Line(Level level, std::string_view tag) : level_(level), tag_(tag) {}
  ~Line();
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;
  std::ostream& stream() { return out_; }

 private:
  Level level_;
  std::string_view tag_;
  std::ostringstream out_;
};

}  // namespace callgate::core::log

#define CG_LOG_AT(level, tag)                            \
  if (!::callgate::core::log::enabled((level), (tag))) { \
  } else                                                 \
    ::callgate::core::log::Line((level), (tag)).stream()

#ifdef NDEBUG
#define CG_LOG_TRACE(tag) \
  if (true) {             \
  } else                  \
    ::callgate::core::log::Line(::callgate::core::log::Level::Trace, (tag)).stream()
#else
#define CG_LOG_TRACE(tag) CG_LOG_AT(::callgate::core::log::Level::Trace, tag)
#endif
#define CG_LOG_DEBUG(tag) CG_LOG_AT(::callgate::core::log::Level::Debug, tag)
#define CG_LOG_INFO(tag) CG_LOG_AT(::callgate::core::log::Level::Info, tag)
#define CG_LOG_WARN(tag) CG_LOG_AT(::callgate::core::log::Level::Warn, tag)
#define CG_LOG_ERROR(tag) CG_LOG_AT(::callgate::core::log::Level::Error, tag)

// For wire errors: at most 10 lines a minute from one call site.
#define CG_LOG_RATE_LIMITED_WARN(tag)                                               \
  if (static thread_local ::callgate::core::log::RateLimit cgRateLimit_{10, 60};    \
      !::callgate::core::log::enabled(::callgate::core::log::Level::Warn, (tag)) || \
      !cgRateLimit_.allow()) {                                                      \
  } else                                                                            \
    ::callgate::core::log::Line(::callgate::core::log::Level::Warn, (tag)).stream()
