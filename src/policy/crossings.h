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

/// What makes a group: (from zone, to zone, breach device, stage, permitting entry or -1).
struct GroupKey {
  std::string from_zone;
  std::string to_zone;
  std::size_t device = 0;
  int stage = -1;
  long long entry = -1;
  auto operator<=>(const GroupKey&) const = default;
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
  /// Copied whole from the crossings before a change (no new and no gone flow adds to it): its
  /// finding is the one it had then.
  bool unchanged = false;
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

GroupKey key_of(const CrossingGroup& g);

/// What one path flow adds to the crossings. It depends on nothing but the flow, the topology
/// and the devices on the flow's path, so the audit after a change reuses it for every flow
/// that avoids the changed devices (sanso impact --change).
struct FlowCrossings {
  struct PairPart {
    std::pair<std::string, std::string> zones;
    model::PacketSet may;
    model::PacketSet must;
  };
  struct GroupPart {
    GroupKey key;
    std::size_t hop = 0;  ///< the breach hop
    model::PacketSet may;
    model::PacketSet must;
    std::optional<model::PacketSet> hit;
  };
  std::vector<PairPart> pairs;    ///< in the order they were found
  std::vector<GroupPart> groups;  ///< in the order they were found
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

/// The same, where `reuse[i]`, if not null, is what flows[i] added before (a flow that avoids
/// every changed device) and is merged instead of computed again. Every flow's parts are moved
/// to `parts` (one per flow, in order) when it is given.
Crossings collect_crossings(analysis::Network& network, const std::vector<analysis::PathFlow>& flows,
                            const AllowedFn& allowed,
                            const std::vector<const FlowCrossings*>& reuse,
                            std::vector<FlowCrossings>* parts);

/// The crossings of an audit before a change, for the audit after it.
struct CrossingsBefore {
  const Crossings* crossings = nullptr;
  const analysis::PathFlow* flows = nullptr;  ///< the flows its paths point into
  /// Per flow before: its index in the flows after, or nullopt when it is gone.
  std::vector<std::optional<std::size_t>> now;
  std::vector<const FlowCrossings*> gone;  ///< what the gone flows added
};

/// collect_crossings after a change: a group or zone pair that no new and no gone flow adds to
/// is copied from `before` (its paths moved to the same flows now) instead of merged again from
/// every flow's parts; only the others are merged.
Crossings collect_crossings(analysis::Network& network, const std::vector<analysis::PathFlow>& flows,
                            const AllowedFn& allowed,
                            const std::vector<const FlowCrossings*>& reuse,
                            const CrossingsBefore& before);

}  // namespace sanso::policy
