#include "core/Clock.h"

namespace callgate::core {

const SystemClock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace callgate::core
