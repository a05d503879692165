#pragma once
// Rules for the media plane settings, the media interfaces and the media
// fields of peers. Part of validate(); split out to keep each file to one job.

#include <string>
#include <vector>

#include "config/Config.h"
#include "config/Validation.h"

namespace callgate::config {

void validateMedia(const Config& config, std::vector<ValidationError>& errors);

// "opus,pcmu" → {"opus", "pcmu"}; the names a peer's `codecs` field may list.
std::vector<std::string> splitCodecList(const std::string& list);
bool isKnownCodec(const std::string& name);

}  // namespace callgate::config
