#include "impact/pairs.h"

#include "policy/crossings.h"

namespace sanso::impact {

PairMap zone_pairs(analysis::Network& network, const std::vector<analysis::PathFlow>& flows) {
  // "Allowed by default" everywhere: only the pair sets are wanted, not the finding groups.
  const policy::AllowedFn none = [](const std::string&, const std::string&) {
    return std::optional<model::PacketSet>();
  };
  PairMap out;
  for (auto& [key, flow] : policy::collect_crossings(network, flows, none).pairs) {
    out[key] = {std::move(flow.may), std::move(flow.must)};
  }
  return out;
}

PairMap segment_pairs(const analysis::Network& network,
                      const std::vector<analysis::PathFlow>& flows) {
  std::map<PairKey, std::pair<std::vector<model::PacketSet>, std::vector<model::PacketSet>>> parts;
  for (const auto& f : flows) {
    auto& p = parts[{network.segment(f.from).name, network.segment(f.to).name}];
    p.first.push_back(f.may);
    p.second.push_back(f.must);
  }
  PairMap out;
  for (auto& [key, p] : parts) out[key] = {model::union_all(p.first), model::union_all(p.second)};
  return out;
}

}  // namespace sanso::impact
