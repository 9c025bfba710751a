#pragma once
// The impact as text for a reviewer (English or Japanese) and as stable JSON for CI
// (docs/impact.md: sorted keys, arrays in a fixed order, no timings).
#include <string>

#include <nlohmann/json.hpp>

#include "impact/impact.h"
#include "report/text.h"

namespace sanso::impact {

std::string impact_text(const ImpactResult& r, report::Lang lang);
nlohmann::json impact_json(const ImpactResult& r);

/// Blocks the text report prints per set before it points to the JSON for the rest.
inline constexpr std::size_t kTextBlocks = 20;

}  // namespace sanso::impact
