#pragma once
// ASA configuration text -> AsaConfig (what was written) and the file's physical lines (for
// evidence and coverage texts). Never fails: what it cannot read is an UnparsedNote; whether the
// text is an ASA configuration at all is load.cpp's decision.
#include <string>
#include <string_view>
#include <vector>

#include "vendor/asa/config.h"

namespace sanso::vendor::asa {

struct ParsedConfig {
  AsaConfig config;
  std::vector<std::string_view> lines;  ///< views into the parsed text
};

ParsedConfig parse(const std::string& file, std::string_view text);

}  // namespace sanso::vendor::asa
