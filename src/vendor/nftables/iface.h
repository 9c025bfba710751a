#pragma once
// Interface name patterns of nft: a name, or a prefix when it ends in '*' ("eth*"). Two patterns
// are either nested or disjoint, so conjunctions of positive patterns stay one pattern.
#include <optional>
#include <string>
#include <string_view>

namespace sanso::vendor::nftables {

bool is_wildcard(std::string_view p);
/// Every name matching `inner` matches `outer`.
bool covers(std::string_view outer, std::string_view inner);
bool disjoint(std::string_view a, std::string_view b);
/// The names matching both: the narrower pattern, or nullopt when none.
std::optional<std::string> intersect(const std::string& a, const std::string& b);

}  // namespace sanso::vendor::nftables
