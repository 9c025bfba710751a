// The impact computation: pair deltas (in full or incrementally), then blocks, witnesses,
// deciding rules, intents and the findings diff, shared by both modes.
#include "impact/impact.h"

#include <algorithm>
#include <iterator>
#include <chrono>
#include <set>
#include <string_view>
#include <unordered_set>

#include "impact/explain.h"
#include "policy/allowances.h"

namespace sanso::impact {
namespace {

using model::PacketSet;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Delta {
  PacketSet added;
  PacketSet removed;
  PacketSet added_unproven;    ///< part of `added` outside the after `must`
  PacketSet removed_unproven;  ///< part of `removed` outside the before `must`
};
using DeltaMap = std::map<PairKey, Delta>;

const PairSets& get(const PairMap& m, const PairKey& k) {
  static const PairSets kEmpty;  // immutable: no shared mutable state
  auto it = m.find(k);
  return it == m.end() ? kEmpty : it->second;
}

DeltaMap full_delta(const PairMap& before, const PairMap& after) {
  std::set<PairKey> keys;
  for (const auto& [k, v] : before) keys.insert(k);
  for (const auto& [k, v] : after) keys.insert(k);
  DeltaMap out;
  for (const auto& k : keys) {
    const auto& b = get(before, k);
    const auto& a = get(after, k);
    Delta d;
    d.added = a.may - b.may;
    d.removed = b.may - a.may;
    if (d.added.empty() && d.removed.empty()) continue;
    d.added_unproven = d.added - a.must;
    d.removed_unproven = d.removed - b.must;
    out[k] = std::move(d);
  }
  return out;
}

/// One side of the comparison: where a witness's path is looked up, and the devices' behaviour.
struct Side {
  const analysis::Network* network = nullptr;
  std::vector<const analysis::PathFlow*> flows;
  BehaviorLookup lookup;
};

BehaviorLookup lookup_in(const analysis::Network& net,
                         std::map<std::string, const analysis::DeviceBehavior*> overrides = {}) {
  std::map<std::string, const analysis::DeviceBehavior*> by_name = std::move(overrides);
  for (const auto& d : net.devices()) by_name.emplace(d.name, d.behavior.get());
  return [by_name](const std::string& name) -> const analysis::DeviceBehavior* {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : it->second;
  };
}

std::vector<const analysis::PathFlow*> pointers(const std::vector<analysis::PathFlow>& flows) {
  std::vector<const analysis::PathFlow*> out;
  for (const auto& f : flows) out.push_back(&f);
  return out;
}

model::WitnessPreference preference_of(const topology::Topology& topo) {
  model::WitnessPreference p;
  for (const auto& h : topo.hosts) {
    for (const auto& i : h.interfaces) {
      if (i.ip) p.preferred_addresses.push_back(*i.ip);
    }
  }
  std::sort(p.preferred_addresses.begin(), p.preferred_addresses.end());
  return p;
}

/// The path of the first flow of `side` (in walk order) that carries `w` from `from` to `to`.
std::vector<HopRef> path_of(const Side& side, const model::Packet& w) {
  for (const auto* f : side.flows) {
    if (!f->may.contains(w)) continue;
    std::vector<HopRef> path;
    for (const auto& h : f->hops) {
      path.push_back({side.network->devices()[h.device].name, h.in_port, h.out_port});
    }
    return path;
  }
  return {};
}

struct Shared {
  const topology::Topology& topology;
  const policy::RulePack& pack;
  model::WitnessPreference preference;
  const Side& before;
  const Side& after;
};

std::vector<ShownBlock> show(const Shared& s, const PacketSet& set, const PacketSet& unproven,
                             bool added) {
  std::vector<ShownBlock> out;
  for (auto& b : readable_blocks(set)) {
    const PacketSet exact = readable_set(b);
    ShownBlock sb;
    sb.witness = *exact.witness(s.preference);
    sb.proven = !exact.intersects(unproven);
    // The path is where the packet crosses: after the change for what it adds, before it for
    // what it removes; the other side is asked about the same devices and ports.
    const auto path = path_of(added ? s.after : s.before, sb.witness);
    sb.before = explain_path(path, sb.witness, s.before.lookup);
    sb.after = explain_path(path, sb.witness, s.after.lookup);
    sb.block = std::move(b);
    out.push_back(std::move(sb));
  }
  return out;
}

bool checked_pair(const Shared& s, const std::string& from, const std::string& to) {
  const auto* a = s.topology.find_zone(from);
  const auto* b = s.topology.find_zone(to);
  if (a == nullptr || b == nullptr || a->tier != b->tier) return true;
  return s.pack.intra_tier_result(*a, *b).value_or("allowed") != "allowed";
}

struct Unions {
  PacketSet opens;
  PacketSet closes;
};

std::vector<PairChange> pair_changes(const Shared& s, const DeltaMap& deltas, bool zones,
                                     const PacketSet& allowed, const Unions& intents,
                                     bool intents_given) {
  std::vector<PairChange> out;
  for (const auto& [key, d] : deltas) {
    PairChange c;
    c.from = key.first;
    c.to = key.second;
    std::string from_zone = c.from, to_zone = c.to;
    if (!zones) {
      from_zone = s.topology.find_segment(c.from)->zone;
      to_zone = s.topology.find_segment(c.to)->zone;
    }
    c.from_tier = std::string(topology::to_string(s.topology.tier_of_zone(from_zone)));
    c.to_tier = std::string(topology::to_string(s.topology.tier_of_zone(to_zone)));
    c.checked = from_zone != to_zone && checked_pair(s, from_zone, to_zone);
    c.added = d.added;
    c.removed = d.removed;
    if (c.checked) c.uncovered = d.added - allowed - intents.opens;
    c.opened_by_intent = d.added.intersects(intents.opens);
    if (intents_given) {
      c.collateral_added = d.added - intents.opens;
      c.collateral_removed = d.removed - intents.closes;
    }
    c.added_blocks = show(s, d.added, d.added_unproven, true);
    c.removed_blocks = show(s, d.removed, d.removed_unproven, false);
    out.push_back(std::move(c));
  }
  return out;
}

using IdSet = std::unordered_set<std::string_view>;

IdSet ids_of(const std::vector<const policy::Finding*>& findings) {
  IdSet out;
  out.reserve(findings.size());
  for (const auto* f : findings) out.insert(f->id);
  return out;
}

/// By identity; `before` and `after` in the DESIGN §5 order, and so are the three lists. The
/// unchanged findings point into `after`.
FindingsDiff findings_diff(const std::vector<const policy::Finding*>& before,
                           const std::vector<const policy::Finding*>& after) {
  const IdSet before_ids = ids_of(before), after_ids = ids_of(after);
  FindingsDiff d;
  for (const auto* f : after) {
    if (before_ids.count(f->id) != 0) {
      d.unchanged.push_back(f);
    } else {
      d.added.push_back(*f);
    }
  }
  for (const auto* f : before) {
    if (after_ids.count(f->id) == 0) d.resolved.push_back(*f);
  }
  return d;
}

std::vector<const policy::Finding*> all_of(const std::vector<policy::Finding>& findings) {
  std::vector<const policy::Finding*> out;
  out.reserve(findings.size());
  for (const auto& f : findings) out.push_back(&f);
  return out;
}

/// The findings diff of a change to the `changed` devices, where `after` is the audit scoped to
/// them (policy::AuditScope), which the diff takes over: the other devices' device-config
/// findings are the before audit's, unchanged by construction, and only the rest is compared.
FindingsDiff scoped_findings_diff(const policy::RulePack& pack, const policy::AuditResult& before,
                                  policy::AuditResult after, const std::set<std::string>& changed) {
  std::set<std::string_view> config_rules;  // rule ids of the device-config check kinds
  for (const auto& r : pack.rules) {
    if (policy::is_device_config_kind(r.check)) config_rules.insert(r.id);
  }
  std::vector<const policy::Finding*> compared, kept;
  for (const auto& f : before.findings) {
    const bool reused =
        !f.device.empty() && config_rules.count(f.rule) != 0 && changed.count(f.device) == 0;
    (reused ? kept : compared).push_back(&f);
  }
  FindingsDiff d;
  d.owned = std::move(after.findings);  // the pointers below stay valid as `d` moves
  FindingsDiff cmp = findings_diff(compared, all_of(d.owned));
  d.added = std::move(cmp.added);
  d.resolved = std::move(cmp.resolved);
  d.unchanged.reserve(cmp.unchanged.size() + kept.size());
  std::merge(cmp.unchanged.begin(), cmp.unchanged.end(), kept.begin(), kept.end(),
             std::back_inserter(d.unchanged),
             [](const policy::Finding* a, const policy::Finding* b) { return policy::sorts_before(*a, *b); });
  return d;
}

/// Everything but the deltas and the two audits is computed the same way in both modes.
ImpactResult finish(const Shared& s, const DeltaMap& zone_deltas, const DeltaMap& segment_deltas,
                    const PacketSet& allowed, const PacketSet& after_reach,
                    const ImpactOptions& options) {
  ImpactResult r;
  Unions u;
  for (const auto& i : options.intents) {
    (i.intent.action == IntentAction::Open ? u.opens : u.closes) |= i.packets;
  }
  r.intents_given = !options.intents.empty();
  for (const auto& i : options.intents) {
    IntentOutcome o{i.intent, false, std::nullopt};
    const PacketSet wrong = i.intent.action == IntentAction::Open ? i.packets - after_reach
                                                                   : i.packets & after_reach;
    o.met = wrong.empty();
    if (!o.met) o.counter_example = wrong.witness(s.preference);
    r.intents.push_back(std::move(o));
  }
  r.zones = pair_changes(s, zone_deltas, true, allowed, u, r.intents_given);
  if (options.by_segment) {
    r.segments = pair_changes(s, segment_deltas, false, allowed, u, r.intents_given);
  }
  return r;
}

/// Restores the behaviours swapped into a network, whatever happens in between.
class SwapBack {
 public:
  SwapBack(analysis::Network& net, std::vector<std::size_t> idx,
           std::vector<std::unique_ptr<analysis::DeviceBehavior>>& other)
      : net_(net), idx_(std::move(idx)), other_(other) {
    swap();
  }
  ~SwapBack() { swap(); }
  SwapBack(const SwapBack&) = delete;
  SwapBack& operator=(const SwapBack&) = delete;

 private:
  void swap() {
    for (std::size_t i = 0; i < idx_.size(); ++i) std::swap(net_.devices()[idx_[i]].behavior, other_[i]);
  }
  analysis::Network& net_;
  std::vector<std::size_t> idx_;
  std::vector<std::unique_ptr<analysis::DeviceBehavior>>& other_;
};

}  // namespace

int ImpactResult::exit_code() const {
  for (const auto& p : zones) {
    if (!p.uncovered.empty()) return 1;
  }
  for (const auto& f : findings.added) {
    if (f.status != policy::Status::Violation && f.status != policy::Status::Unproven) continue;
    const bool intended = std::any_of(zones.begin(), zones.end(), [&](const PairChange& p) {
      return p.opened_by_intent && p.from == f.from_zone && p.to == f.to_zone;
    });
    if (!intended) return 1;
  }
  return 0;
}

ImpactResult impact_of_snapshots(Snapshot& before, Snapshot& after, const ImpactOptions& options) {
  const Side b{before.network.get(), pointers(before.flows), lookup_in(*before.network)};
  const Side a{after.network.get(), pointers(after.flows), lookup_in(*after.network)};
  const Shared s{after.topology, after.pack, preference_of(after.topology), b, a};
  PacketSet reach;
  if (!options.intents.empty()) {
    std::vector<PacketSet> parts;
    for (const auto& [k, v] : after.segment_pairs) parts.push_back(v.may);
    reach = model::union_all(parts);
  }
  const policy::Allowances allowances(*after.network, after.topology);
  ImpactResult r = finish(s, full_delta(before.zone_pairs, after.zone_pairs),
                          full_delta(before.segment_pairs, after.segment_pairs),
                          allowances.allowed(), reach, options);
  r.before = before.topology.path;
  r.after = after.topology.path;
  r.findings = findings_diff(all_of(before.audit.findings), all_of(after.audit.findings));
  return r;
}

std::optional<std::string> incremental_blocker(const Snapshot& before,
                                               const std::vector<DeviceChange>& changes) {
  std::set<std::string> seen;
  for (const auto& c : changes) {
    if (!seen.insert(c.device).second) return "device '" + c.device + "' is changed twice";
    const auto* td = before.topology.find_device(c.device);
    if (td == nullptr) return "no device '" + c.device + "' in the topology";
    const auto& nd = *std::find_if(before.network->devices().begin(), before.network->devices().end(),
                                   [&](const analysis::NetworkDevice& d) { return d.name == c.device; });
    if (nd.behavior->knowledge() != analysis::Knowledge::Modelled) {
      return "device '" + c.device + "' has no parsed config in the before snapshot";
    }
    // A config naming other interfaces changes the device's ports, and with them the graph.
    const auto ports = analysis::device_ports(*td, &c.model);
    bool same = ports.size() == nd.ports.size();
    for (std::size_t i = 0; same && i < ports.size(); ++i) {
      same = ports[i].name == nd.ports[i].name && ports[i].segment == nd.ports[i].segment;
    }
    if (!same) return "the new config of '" + c.device + "' names other interfaces";
  }
  return std::nullopt;
}

ImpactResult impact_of_change(Snapshot& before, std::vector<DeviceChange> changes,
                              const ImpactOptions& options, ImpactTimings* timings) {
  ImpactTimings local;
  ImpactTimings& t = timings != nullptr ? *timings : local;
  auto& net = *before.network;
  auto started = Clock::now();

  // 1. The changed devices' new behaviour, lowered for every port pair.
  std::vector<std::size_t> idx;
  std::vector<std::unique_ptr<analysis::DeviceBehavior>> swapped;
  std::map<std::string, const analysis::DeviceBehavior*> before_of, after_of;
  for (const auto& c : changes) {
    std::size_t d = 0;
    while (net.devices()[d].name != c.device) ++d;
    idx.push_back(d);
    auto b = std::make_unique<analysis::DeviceBehavior>(c.device, analysis::Knowledge::Modelled,
                                                        &c.model);
    for (const auto& in : net.devices()[d].ports) {
      for (const auto& out : net.devices()[d].ports) {
        if (&in != &out) b->between(in.name, out.name);
      }
    }
    before_of[c.device] = net.devices()[d].behavior.get();
    after_of[c.device] = b.get();
    swapped.push_back(std::move(b));
  }
  t.lower_s = seconds_since(started);

  std::vector<analysis::PathFlow> through_after, through_before, after_flows;
  PairMap za, zb, sa, sb, zn, sn;
  policy::AuditResult after_audit;
  {
    const SwapBack guard(net, idx, swapped);
    // 2. Only paths through a changed device can change.
    started = Clock::now();
    through_after = analysis::compute_reachability_through(net, idx, before.walk);
    t.walk_s = seconds_since(started);

    started = Clock::now();
    std::vector<const analysis::PathFlow*> unchanged;
    std::vector<std::size_t> gone;  // indices of through_before in before.flows
    for (const auto& f : before.flows) {
      const bool through = std::any_of(f.hops.begin(), f.hops.end(), [&](const analysis::Hop& h) {
        return std::find(idx.begin(), idx.end(), h.device) != idx.end();
      });
      if (through) {
        through_before.push_back(f);
        gone.push_back(static_cast<std::size_t>(&f - before.flows.data()));
      } else {
        unchanged.push_back(&f);
      }
    }
    za = zone_pairs(net, through_after);
    zb = zone_pairs(net, through_before);
    sa = segment_pairs(net, through_after);
    sb = segment_pairs(net, through_before);
    // What the changed paths no longer carry may still be carried by an unchanged path: only
    // the unchanged flows that meet it need grouping.
    PacketSet candidates;
    for (const auto* m : {&zb, &sb}) {
      const PairMap& after_part = m == &zb ? za : sa;
      for (const auto& [k, v] : *m) candidates |= v.may - get(after_part, k).may;
    }
    std::vector<analysis::PathFlow> relevant;
    if (!candidates.empty()) {
      for (const auto* f : unchanged) {
        if (f->may.intersects(candidates)) relevant.push_back(*f);
      }
    }
    zn = zone_pairs(net, relevant);
    sn = segment_pairs(net, relevant);
    t.diff_s = seconds_since(started);

    // 3. The after audit on the reused network and paths.
    started = Clock::now();
    after_flows.reserve(unchanged.size() + through_after.size());
    for (const auto* f : unchanged) after_flows.push_back(*f);
    for (const auto& f : through_after) after_flows.push_back(f);
    // Device-config checks (rule-base hygiene, log and time servers) only for the changed
    // devices: for the others they read the same config as before.
    policy::AuditScope scope;
    for (const auto& c : changes) scope.config_checked_devices.insert(c.device);
    // The unchanged flows' crossings and the findings of groups they alone make are the memo's.
    scope.memo = &before.memo;
    for (const auto* f : unchanged) {
      scope.memo_flow.push_back(static_cast<std::size_t>(f - before.flows.data()));
    }
    scope.memo_flow.resize(after_flows.size());
    scope.memo_gone = std::move(gone);
    after_audit = policy::run_audit_on(before.topology, before.pack, before.options, net,
                                       after_flows, &scope);
    t.findings_s = seconds_since(started);
  }

  started = Clock::now();
  // after = before - (through_before - through_after - unchanged) + (through_after - before).
  auto delta = [](const PairMap& full, const PairMap& a, const PairMap& b, const PairMap& n) {
    std::set<PairKey> keys;
    for (const auto& [k, v] : a) keys.insert(k);
    for (const auto& [k, v] : b) keys.insert(k);
    DeltaMap out;
    for (const auto& k : keys) {
      const auto& old = get(full, k);
      const auto& now = get(a, k);
      Delta d;
      d.added = now.may - old.may;
      d.removed = get(b, k).may - now.may - get(n, k).may;
      if (d.added.empty() && d.removed.empty()) continue;
      // Unchanged paths carry nothing of `added` (it is outside everything before).
      d.added_unproven = d.added - now.must;
      d.removed_unproven = d.removed - old.must;
      out[k] = std::move(d);
    }
    return out;
  };
  const DeltaMap zone_deltas = delta(before.zone_pairs, za, zb, zn);
  const DeltaMap segment_deltas = delta(before.segment_pairs, sa, sb, sn);
  PacketSet reach;
  if (!options.intents.empty()) {
    std::vector<PacketSet> parts;
    for (const auto& [k, v] : before.segment_pairs) {
      auto it = segment_deltas.find(k);
      parts.push_back(it == segment_deltas.end() ? v.may : v.may - it->second.removed);
    }
    for (const auto& [k, d] : segment_deltas) parts.push_back(d.added);
    reach = model::union_all(parts);
  }

  std::vector<const analysis::PathFlow*> before_paths;
  for (const auto& f : through_before) before_paths.push_back(&f);
  const Side b{&net, before_paths, lookup_in(net, before_of)};
  const Side a{&net, pointers(through_after), lookup_in(net, after_of)};
  const Shared s{before.topology, before.pack, preference_of(before.topology), b, a};
  const policy::Allowances allowances(net, before.topology);
  ImpactResult r = finish(s, zone_deltas, segment_deltas, allowances.allowed(), reach, options);
  r.before = before.topology.path;
  r.after = r.before;
  for (const auto& c : changes) {
    r.after += " with " + c.device + "=" +
               (c.model.coverage.empty() ? std::string("?") : c.model.coverage.front().file);
  }
  std::set<std::string> changed;
  for (const auto& c : changes) changed.insert(c.device);
  r.findings = scoped_findings_diff(before.pack, before.audit, std::move(after_audit), changed);
  t.diff_s += seconds_since(started);
  return r;
}

}  // namespace sanso::impact
