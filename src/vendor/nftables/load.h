#pragma once
// nftables rulesets -> model::Device (the vendor table's entry for "nftables"): `nft list
// ruleset` text, `nft -f` source files, or `nft -j list ruleset` JSON (a file whose first
// non-space character is '{').
#include "vendor/vendor.h"

namespace sanso::vendor::nftables {

LoadResult load(const DeviceInput& input);

}  // namespace sanso::vendor::nftables
