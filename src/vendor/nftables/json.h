#pragma once
// `nft -j list ruleset` (libnftables-json(5)) -> NftConfig. Each rule's "expr" array is rendered
// back into the tokens of the text form, so both forms share one rule grammar and one lowering.
// JSON has no line per rule: a rule's line is the line where its object starts in the file.
#include <optional>
#include <string>
#include <string_view>

#include "vendor/nftables/config.h"

namespace sanso::vendor::nftables {

struct JsonError {
  int line = 0;
  std::string message;
};

/// nullopt error: parsed (objects sanso does not read are listed in NftConfig::unparsed).
NftConfig parse_json(const std::string& file, std::string_view text, std::optional<JsonError>& error);

}  // namespace sanso::vendor::nftables
