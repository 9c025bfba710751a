#include "policy/crossings.h"

#include <set>
#include <tuple>

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

using GroupKey = std::tuple<std::string, std::string, std::size_t, int, long long>;

struct Grouper {
  analysis::Network& net;
  std::map<GroupKey, std::size_t> index;
  std::vector<CrossingGroup> groups;

  void add(const std::string& zf, const std::string& zt, const analysis::PathFlow& f,
           std::size_t hop_i, int stage, std::optional<std::size_t> entry, PacketSet may,
           PacketSet must, const PacketSet* hit) {
    const auto& hop = f.hops[hop_i];
    GroupKey key{zf, zt, hop.device, stage, entry ? static_cast<long long>(*entry) : -1};
    auto it = index.find(key);
    if (it == index.end()) {
      CrossingGroup g;
      g.from_zone = zf;
      g.to_zone = zt;
      g.device = hop.device;
      g.stage = stage;
      g.entry = entry;
      it = index.emplace(key, groups.size()).first;
      groups.push_back(std::move(g));
    }
    auto& g = groups[it->second];
    g.may |= may;
    g.must |= must;
    g.paths.push_back({&f, hop_i});
    if (hit != nullptr) g.hit |= *hit;
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
  Crossings out;
  ZoneSpaces spaces(network);
  Grouper grouper{network, {}, {}};
  std::map<std::pair<std::string, std::string>, std::optional<PacketSet>> allowed_cache;

  for (const auto& f : flows) {
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
        auto& pair = out.pairs[{zf, zt}];
        pair.may |= may;
        pair.must |= must;

        auto key = std::make_pair(zf, zt);
        auto it = allowed_cache.find(key);
        if (it == allowed_cache.end()) it = allowed_cache.emplace(key, allowed(zf, zt)).first;
        if (!it->second) continue;  // allowed by default between these realms
        PacketSet uncovered = may - *it->second;
        if (uncovered.empty()) continue;
        grouper.partition(zf, zt, f, may, uncovered, must - *it->second);
      }
    }
  }
  out.groups = std::move(grouper.groups);
  return out;
}

}  // namespace sanso::policy
