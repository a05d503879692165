#include "b2bua/CallEvent.h"

namespace callgate::b2bua {

const char* callEventName(CallEventKind kind) {
  switch (kind) {
    case CallEventKind::Offered:
      return "offered";
    case CallEventKind::Answered:
      return "answered";
    case CallEventKind::Ended:
      return "ended";
    case CallEventKind::Refused:
      break;
  }
  return "refused";
}

}  // namespace callgate::b2bua
