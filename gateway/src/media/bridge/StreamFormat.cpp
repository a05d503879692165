#include "media/bridge/StreamFormat.h"

namespace callgate::media::bridge {

std::string_view audioCodecName(AudioCodec codec) {
  switch (codec) {
    case AudioCodec::Pcmu:
      return "PCMU";
    case AudioCodec::Pcma:
      return "PCMA";
    case AudioCodec::Opus:
      return "opus";
  }
  return "unknown";
}

}  // namespace callgate::media::bridge
