#pragma once
// From path flows to crossings: the packets that flow from one zone (realm) to another, grouped
// as DESIGN §5 wants findings: one group per (breach device, permitting rule, from zone, to zone).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/network.h"
#include "analysis/reachability.h"
#include "model/packet_set.h"

namespace sanso::policy {

/// Where one path flow crosses, for evidence: the flow and the hop that leaves the source zone.
struct CrossingPath {
  const analysis::PathFlow* flow = nullptr;
  std::size_t breach_hop = 0;
};

struct CrossingGroup {
  std::string from_zone;
  std::string to_zone;
  std::size_t device = 0;              ///< the breach hop's device
  int stage = -1;                      ///< primary stage at the breach hop; -1: not modelled
  std::optional<std::size_t> entry;    ///< permitting entry in that stage; nullopt: its default
  model::PacketSet may;                ///< part not covered by valid allow entries
  model::PacketSet must;
  /// Everything of this crossing the permitting rule admits, covered or not: tells whether the
  /// rule was written for a declared entry and admits more than it.
  model::PacketSet hit;
  std::vector<CrossingPath> paths;
};

/// Everything that flows from one zone to another (covered or not), for the matrix and for
/// ALLOW-UNUSED.
struct ZonePairFlow {
  model::PacketSet may;
  model::PacketSet must;
};

struct Crossings {
  std::vector<CrossingGroup> groups;
  std::map<std::pair<std::string, std::string>, ZonePairFlow> pairs;
};

/// What policy says about a zone pair before any finding: nullopt = the whole pair is allowed by
/// default (same-tier realms); otherwise the declared packets that are allowed.
using AllowedFn = std::function<std::optional<model::PacketSet>(const std::string& from_zone,
                                                                const std::string& to_zone)>;

/// The realm a crossing is judged by: `zone` (one that `s` stands for), except that packets passing
/// a segment of an egress zone with `reaches:` cross into (out of) the egress zone itself.
std::string judged_zone(const topology::Topology& topo, const topology::Segment& s,
                        const std::string& zone);

/// The hop where the separation is breached: the first that leaves the source zone's tier, or for
/// a crossing between zones of one tier the first that leaves the source zone.
std::size_t breach_hop(const analysis::Network& net, const analysis::PathFlow& f,
                       const std::string& from_zone);

Crossings collect_crossings(analysis::Network& network, const std::vector<analysis::PathFlow>& flows,
                            const AllowedFn& allowed);

}  // namespace sanso::policy
