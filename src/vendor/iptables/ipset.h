#pragma once
// `ipset save` output -> the address sets that `-m set --match-set` rules name.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/address.h"
#include "model/device.h"

namespace sanso::vendor::iptables {

struct IpSet {
  int line = 0;       ///< the `create` line
  std::string name;
  std::string type;   ///< "hash:ip", "hash:net", ...
  model::Family family = model::Family::V4;
  std::vector<model::IpRange> members;
  /// Why the contents cannot be trusted offline (a set type sanso does not model, timeouts,
  /// nomatch entries, a malformed element); nullopt when `members` is exactly the set.
  std::optional<std::string> uncertain;
};

struct IpsetConfig {
  std::string file;
  int lines = 0;
  std::vector<IpSet> sets;
  std::vector<model::UnparsedLine> unparsed;
};

IpsetConfig parse_ipsets(const std::string& file, std::string_view text);
const IpSet* find_set(const IpsetConfig& cfg, std::string_view name);

}  // namespace sanso::vendor::iptables
