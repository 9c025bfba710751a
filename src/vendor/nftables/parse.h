#pragma once
// Text of `nft list ruleset` or an `nft -f` source file -> NftConfig (what was written).
#include <string>
#include <string_view>

#include "vendor/nftables/config.h"

namespace sanso::vendor::nftables {

/// Never fails: statements it cannot read are listed in NftConfig::unparsed with their lines.
/// `define` variables are expanded where used; `include` is reported, not followed.
NftConfig parse_text(const std::string& file, std::string_view text);

/// Splits into physical lines (a final line without '\n' counts; a trailing "\r" is dropped).
std::vector<std::string_view> physical_lines(std::string_view text);

/// Splits the tokens between a set's braces into elements (',' at depth 0), dropping per-element
/// options (counter, timeout, expires, comment); for maps the value follows ':'.
std::vector<Element> split_elements(const std::vector<Token>& inner, bool is_map);

}  // namespace sanso::vendor::nftables
