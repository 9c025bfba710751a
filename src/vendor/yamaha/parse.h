#pragma once
// Text of one RTX config (`show config` output or a saved .rtfg file) -> YamahaConfig.
#include <string>
#include <string_view>

#include "vendor/yamaha/config.h"

namespace sanso::vendor::yamaha {

/// Never fails: lines it cannot read are listed in YamahaConfig::unparsed (filters it cannot read
/// are kept as garbled, so that a list binding them can place an uncertain entry there).
YamahaConfig parse(const std::string& file, std::string_view text);

}  // namespace sanso::vendor::yamaha
