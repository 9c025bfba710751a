#pragma once
// Path flows grouped by ordered zone pair (as the audit groups crossings) and by segment pair.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analysis/network.h"
#include "analysis/reachability.h"
#include "model/packet_set.h"

namespace sanso::impact {

struct PairSets {
  model::PacketSet may;
  model::PacketSet must;
};

using PairKey = std::pair<std::string, std::string>;
using PairMap = std::map<PairKey, PairSets>;

/// What crosses from one zone to another: policy::collect_crossings's pairs (realms judged as the
/// audit judges them, e.g. the Internet behind the security cloud is the egress zone).
PairMap zone_pairs(analysis::Network& network, const std::vector<analysis::PathFlow>& flows);

/// What is delivered from one segment to another (zones alike or not).
PairMap segment_pairs(const analysis::Network& network,
                      const std::vector<analysis::PathFlow>& flows);

}  // namespace sanso::impact
