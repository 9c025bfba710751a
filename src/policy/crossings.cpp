#include "policy/crossings.h"

#include <set>

namespace sanso::policy {
namespace {

using model::PacketSet;

class ZoneSpaces {
 public:
  explicit ZoneSpaces(const analysis::Network& net) : net_(net) {}
  const PacketSet& sources(const std::string& zone) { return get(src_, zone, true); }
  const PacketSet& destinations(const std::string& zone) { return get(dst_, zone, false); }

 private:
  const PacketSet& get(std::map<std::string, PacketSet>& cache, const std::string& zone, bool src) {
    auto it = cache.find(zone);
    if (it != cache.end()) return it->second;
    return cache.emplace(zone, src ? net_.zone_sources(zone) : net_.zone_destinations(zone))
        .first->second;
  }
  const analysis::Network& net_;
  std::map<std::string, PacketSet> src_;
  std::map<std::string, PacketSet> dst_;
};

/// Zones whose addresses a segment stands for: its own, and those behind `reaches:`.
std::vector<std::string> zones_of(const topology::Segment& s) {
  std::vector<std::string> zones{s.zone};
  for (const auto& z : s.reaches) {
    if (z != s.zone) zones.push_back(z);
  }
  return zones;
}

/// One flow's parts (FlowCrossings).
struct FlowSplitter {
  analysis::Network& net;
  FlowCrossings& out;

  void add(const std::string& zf, const std::string& zt, const analysis::PathFlow& f,
           std::size_t hop_i, int stage, std::optional<std::size_t> entry, PacketSet may,
           PacketSet must, const PacketSet* hit) {
    GroupKey key{zf, zt, f.hops[hop_i].device, stage, entry ? static_cast<long long>(*entry) : -1};
    out.groups.push_back({std::move(key), hop_i, std::move(may), std::move(must),
                          hit != nullptr ? std::optional<PacketSet>(*hit) : std::nullopt});
  }

  /// Splits an uncovered part by the permitting entry of the breach hop's primary stage.
  void partition(const std::string& zf, const std::string& zt, const analysis::PathFlow& f,
                 const PacketSet& crossing, const PacketSet& may, const PacketSet& must) {
    const std::size_t hop_i = breach_hop(net, f, zf);
    const auto& hop = f.hops[hop_i];
    auto& behavior = *net.devices()[hop.device].behavior;
    // Where the hop's rules were not applied to the packets' own headers (an interface attached
    // nowhere, a source rewritten upstream), no rule of it can be named as the permitting one.
    bool translated_later = false;  // the path's sets hold destinations this hop never saw
    for (std::size_t j = hop_i + 1; j < f.hops.size(); ++j) {
      translated_later = translated_later || f.hops[j].destination_rewritten;
    }
    const bool judged_as_is = !hop.unattached && !hop.source_rewritten && !translated_later;
    const int stage = judged_as_is ? behavior.primary_stage(hop.in_port, hop.out_port) : -1;
    if (stage < 0) {
      add(zf, zt, f, hop_i, -1, std::nullopt, may, must, nullptr);
      return;
    }
    const auto& lowered = behavior.between(hop.in_port, hop.out_port).stages[stage];
    const model::IndexedPacketSet uncovered{PacketSet(may)};  // one index, a query per rule
    for (std::size_t k = 0; k < lowered.entry_index.size(); ++k) {
      const auto& hit = lowered.hits[k];
      if (hit.empty() || !uncovered.intersects(hit)) continue;
      const PacketSet admitted = crossing & hit;
      add(zf, zt, f, hop_i, stage, lowered.entry_index[k], may & hit, must & hit, &admitted);
    }
    if (!lowered.default_hit.empty() && lowered.default_hit.intersects(may)) {
      const PacketSet admitted = crossing & lowered.default_hit;
      add(zf, zt, f, hop_i, stage, std::nullopt, may & lowered.default_hit,
          must & lowered.default_hit, &admitted);
    }
  }
};

using AllowedCache = std::map<std::pair<std::string, std::string>, std::optional<PacketSet>>;

FlowCrossings split_flow(analysis::Network& network, const analysis::PathFlow& f,
                         const AllowedFn& allowed, ZoneSpaces& spaces, AllowedCache& allowed_cache) {
  FlowCrossings out;
  FlowSplitter splitter{network, out};
  const auto& from_seg = network.segment(f.from);
  const auto& to_seg = network.segment(f.to);
  const auto from_zones = zones_of(from_seg);
  const auto to_zones = zones_of(to_seg);
  for (const auto& addr_zf : from_zones) {
    PacketSet may_f = from_zones.size() == 1 ? f.may : f.may & spaces.sources(addr_zf);
    if (may_f.empty()) continue;
    PacketSet must_f = from_zones.size() == 1 ? f.must : f.must & spaces.sources(addr_zf);
    const std::string zf = judged_zone(network.topology(), from_seg, addr_zf);
    for (const auto& addr_zt : to_zones) {
      const std::string zt = judged_zone(network.topology(), to_seg, addr_zt);
      if (zt == zf) continue;
      PacketSet may = to_zones.size() == 1 ? may_f : may_f & spaces.destinations(addr_zt);
      if (may.empty()) continue;
      PacketSet must = to_zones.size() == 1 ? must_f : must_f & spaces.destinations(addr_zt);
      auto key = std::make_pair(zf, zt);
      auto it = allowed_cache.find(key);
      if (it == allowed_cache.end()) it = allowed_cache.emplace(key, allowed(zf, zt)).first;
      if (it->second) {  // else allowed by default between these realms
        PacketSet uncovered = may - *it->second;
        if (!uncovered.empty()) splitter.partition(zf, zt, f, may, uncovered, must - *it->second);
      }
      out.pairs.push_back({key, std::move(may), std::move(must)});
    }
  }
  return out;
}

}  // namespace

// The realm a crossing is judged by (crossings.h). Packets delivered through (or coming from) a segment of an
/// egress zone with `reaches:` pass the egress: the Internet behind the security cloud is reached
/// through the security cloud, so the crossing is one into (out of) the egress zone.
std::string judged_zone(const topology::Topology& topo, const topology::Segment& s,
                        const std::string& zone) {
  if (zone == s.zone) return zone;
  const auto* own = topo.find_zone(s.zone);
  if (own != nullptr && own->role == topology::ZoneRole::Egress) return s.zone;
  return zone;
}

// The hop where the separation is breached (crossings.h): the first that leaves the source zone's tier (the
/// device between two tiers is the one whose rule must change), or for a crossing between zones
/// of one tier the first that leaves the source zone.
std::size_t breach_hop(const analysis::Network& net, const analysis::PathFlow& f,
                       const std::string& from_zone) {
  const auto& topo = net.topology();
  const auto from_tier = topo.tier_of_zone(from_zone);
  for (std::size_t i = 0; i < f.hops.size(); ++i) {
    if (topo.tier_of_zone(net.segment(f.hops[i].out_segment).zone) != from_tier) return i;
  }
  for (std::size_t i = 0; i < f.hops.size(); ++i) {
    if (net.segment(f.hops[i].out_segment).zone != from_zone) return i;
  }
  return f.hops.size() - 1;
}

Crossings collect_crossings(analysis::Network& network, const std::vector<analysis::PathFlow>& flows,
                            const AllowedFn& allowed) {
  return collect_crossings(network, flows, allowed,
                           std::vector<const FlowCrossings*>(flows.size(), nullptr), nullptr);
}

namespace {

using PairKey = std::pair<std::string, std::string>;

/// Adds flows' parts to crossings (groups in the order their keys first come).
class Merger {
 public:
  explicit Merger(Crossings& out) : out_(out) {}

  /// A group copied whole (from the crossings before a change).
  void take(CrossingGroup g) {
    index_.emplace(key_of(g), out_.groups.size());
    out_.groups.push_back(std::move(g));
  }

  void add(const analysis::PathFlow& f, const FlowCrossings::GroupPart& g) {
    auto it = index_.find(g.key);
    if (it == index_.end()) {
      CrossingGroup group;
      group.from_zone = g.key.from_zone;
      group.to_zone = g.key.to_zone;
      group.device = g.key.device;
      group.stage = g.key.stage;
      if (g.key.entry >= 0) group.entry = static_cast<std::size_t>(g.key.entry);
      it = index_.emplace(g.key, out_.groups.size()).first;
      out_.groups.push_back(std::move(group));
    }
    auto& group = out_.groups[it->second];
    group.may |= g.may;
    group.must |= g.must;
    group.paths.push_back({&f, g.hop});
    if (g.hit) group.hit |= *g.hit;
  }

  void add(const FlowCrossings::PairPart& p) {
    auto& pair = out_.pairs[p.zones];
    pair.may |= p.may;
    pair.must |= p.must;
  }

 private:
  Crossings& out_;
  std::map<GroupKey, std::size_t> index_;
};

}  // namespace

Crossings collect_crossings(analysis::Network& network, const std::vector<analysis::PathFlow>& flows,
                            const AllowedFn& allowed,
                            const std::vector<const FlowCrossings*>& reuse,
                            std::vector<FlowCrossings>* parts) {
  ZoneSpaces spaces(network);
  AllowedCache allowed_cache;
  std::vector<FlowCrossings> computed(flows.size());
  Crossings out;
  Merger merger(out);
  for (std::size_t i = 0; i < flows.size(); ++i) {
    if (reuse[i] == nullptr) computed[i] = split_flow(network, flows[i], allowed, spaces, allowed_cache);
    const FlowCrossings& parts_i = reuse[i] != nullptr ? *reuse[i] : computed[i];
    for (const auto& p : parts_i.pairs) merger.add(p);
    for (const auto& g : parts_i.groups) merger.add(flows[i], g);
  }
  if (parts != nullptr) {
    for (std::size_t i = 0; i < flows.size(); ++i) {
      if (reuse[i] != nullptr) computed[i] = *reuse[i];
    }
    *parts = std::move(computed);
  }
  return out;
}

Crossings collect_crossings(analysis::Network& network, const std::vector<analysis::PathFlow>& flows,
                            const AllowedFn& allowed,
                            const std::vector<const FlowCrossings*>& reuse,
                            const CrossingsBefore& before) {
  ZoneSpaces spaces(network);
  AllowedCache allowed_cache;
  std::vector<FlowCrossings> computed(flows.size());
  // What a new or gone flow adds to must be merged again; everything else is as before.
  std::set<GroupKey> dirty_groups;
  std::set<PairKey> dirty_pairs;
  auto mark = [&](const FlowCrossings& fc) {
    for (const auto& p : fc.pairs) dirty_pairs.insert(p.zones);
    for (const auto& g : fc.groups) dirty_groups.insert(g.key);
  };
  for (std::size_t i = 0; i < flows.size(); ++i) {
    if (reuse[i] != nullptr) continue;
    computed[i] = split_flow(network, flows[i], allowed, spaces, allowed_cache);
    mark(computed[i]);
  }
  for (const auto* fc : before.gone) mark(*fc);

  Crossings out;
  Merger merger(out);
  for (const auto& g : before.crossings->groups) {
    if (dirty_groups.count(key_of(g)) != 0) continue;
    CrossingGroup copy = g;
    copy.unchanged = true;
    for (auto& p : copy.paths) {
      const auto was = static_cast<std::size_t>(p.flow - before.flows);
      p.flow = &flows[*before.now[was]];  // not gone: a gone flow's groups are dirty
    }
    merger.take(std::move(copy));
  }
  for (const auto& [zones, pair] : before.crossings->pairs) {
    if (dirty_pairs.count(zones) == 0) out.pairs.emplace(zones, pair);
  }
  for (std::size_t i = 0; i < flows.size(); ++i) {
    const FlowCrossings& parts_i = reuse[i] != nullptr ? *reuse[i] : computed[i];
    for (const auto& p : parts_i.pairs) {
      if (dirty_pairs.count(p.zones) != 0) merger.add(p);
    }
    for (const auto& g : parts_i.groups) {
      if (dirty_groups.count(g.key) != 0) merger.add(flows[i], g);
    }
  }
  return out;
}

GroupKey key_of(const CrossingGroup& g) {
  return {g.from_zone, g.to_zone, g.device, g.stage,
          g.entry ? static_cast<long long>(*g.entry) : -1};
}

}  // namespace sanso::policy
