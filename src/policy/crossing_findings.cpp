// Uncovered crossing groups -> findings (rule by DESIGN §5 precedence, witness, evidence).
#include <algorithm>
#include <fmt/format.h>

#include "policy/audit_context.h"
#include "policy/crossing_checks.h"
#include "policy/flow_verdict.h"

namespace sanso::policy {
namespace {

using model::Field;
using model::PacketSet;


const analysis::PathFlow* path_holding(const CrossingGroup& g, const model::Packet& w,
                                       std::size_t* breach) {
  for (const auto& p : g.paths) {
    if (p.flow->may.contains(w)) {
      *breach = p.breach_hop;
      return p.flow;
    }
  }
  *breach = g.paths.front().breach_hop;
  return g.paths.front().flow;
}

std::vector<Evidence> breach_evidence(const AuditContext& ctx, const CrossingGroup& g,
                                      const analysis::Hop& hop) {
  const auto& nd = ctx.network.devices()[g.device];
  const auto* dev = nd.behavior->device();
  if (hop.unattached) {
    return {{nd.name, {"", std::nullopt, std::nullopt,
                       fmt::format("interface not attached to any segment: {} -> {}",
                                   analysis::display_name({hop.in_port, ""}),
                                   analysis::display_name({hop.out_port, ""}))}}};
  }
  if (hop.source_rewritten) {
    return {{nd.name, {"", std::nullopt, std::nullopt,
                       "source rewritten upstream (source NAT): judged for any source address"}}};
  }
  switch (nd.behavior->knowledge()) {
    case analysis::Knowledge::NoConfig:
      return {{nd.name, {"", std::nullopt, std::nullopt,
                         "device without config: forwards everything between its segments"}}};
    case analysis::Knowledge::Unsupported: {
      auto it = ctx.options.unsupported_devices.find(nd.name);
      return {{nd.name, {"", std::nullopt, std::nullopt,
                         it != ctx.options.unsupported_devices.end() ? it->second
                                                                     : "vendor not supported"}}};
    }
    case analysis::Knowledge::Modelled:
      break;
  }
  if (g.stage < 0) {
    return {{nd.name, {"", std::nullopt, std::nullopt,
                       "judged on the original destination; a device later on the path rewrites "
                       "it (destination NAT)"}}};
  }
  const auto& filter = dev->transit[static_cast<std::size_t>(g.stage)];
  if (!g.entry) {
    // A default the config never wrote (packets of a family without a ruleset): the unproven
    // reasons name it instead.
    if (filter.default_source.text.empty()) return {};
    return {{nd.name, filter.default_source}};
  }
  std::vector<Evidence> out;
  for (const auto& ref : filter.entries[*g.entry].evidence) out.push_back({nd.name, ref});
  return out;
}

std::string permitting_text(const AuditContext& ctx, const CrossingGroup& g,
                            const std::vector<Evidence>& ev) {
  const auto* dev = ctx.network.devices()[g.device].behavior->device();
  if (dev != nullptr && g.stage >= 0 && g.entry) {
    return dev->transit[static_cast<std::size_t>(g.stage)].entries[*g.entry].normalized_text;
  }
  return ev.empty() ? std::string() : ev.front().ref.text;
}

/// The destination NAT entries of a hop that could have produced the witness's destination.
std::vector<Evidence> nat_evidence(const AuditContext& ctx, const analysis::Hop& hop,
                                   const model::Packet& w) {
  const auto& nd = ctx.network.devices()[hop.device];
  std::vector<Evidence> out;
  const auto* dev = nd.behavior->device();
  if (dev == nullptr) return out;
  for (const auto& e : dev->destination_nat) {
    if (!e.to || e.to->family != w.family || w.dst < e.to->lo || w.dst > e.to->hi) continue;
    if (e.in && !model::matches(*e.in, hop.in_port)) continue;
    for (const auto& ref : e.evidence) out.push_back({nd.name, ref});
  }
  return out;
}

void add_unproven_reasons(const AuditContext& ctx, const analysis::PathFlow& flow,
                          const model::Packet& w, std::vector<Evidence>& ev) {
  for (std::size_t h = 0; h < flow.hops.size(); ++h) {
    const auto& hop = flow.hops[h];
    const auto& nd = ctx.network.devices()[hop.device];
    const auto* dev = nd.behavior->device();
    if (dev == nullptr) continue;
    for (const auto& ref : dev->unmodelled_nat) ev.push_back({nd.name, ref});
    for (const auto& e : dev->destination_nat) {
      if (!e.uncertain) continue;
      for (const auto& ref : e.evidence) ev.push_back({nd.name, ref});
    }
    // Source NAT matters only where later hops judged the packets.
    const bool later_hop_rewritten =
        h + 1 < flow.hops.size() && flow.hops[h + 1].source_rewritten;
    if (later_hop_rewritten) {
      for (const auto& s : dev->source_nat) {
        if (s.out && !model::matches(*s.out, hop.out_port)) continue;
        for (const auto& ref : s.evidence) ev.push_back({nd.name, ref});
      }
    }
    const auto& fams = dev->families;
    if (std::find(fams.begin(), fams.end(), w.family) == fams.end()) {
      ev.push_back({nd.name, {"", std::nullopt, std::nullopt,
                              fmt::format("no IPv{} ruleset given", static_cast<int>(w.family))}});
    }
  }
}

}  // namespace

std::optional<Finding> crossing_finding(const AuditContext& ctx, const CrossingGroup& g) {
  const auto& from = ctx.zone(g.from_zone);
  const auto& to = ctx.zone(g.to_zone);
  const bool violation = !g.must.empty();
  const PacketSet uncovered = violation ? g.must : g.may - g.must;
  if (uncovered.empty()) return std::nullopt;
  const auto witness = uncovered.witness(ctx.preference);
  if (!witness) return std::nullopt;

  CrossingContext cc{ctx.topology, ctx.allowances, from, to, uncovered, g.hit,
                     from.tier == to.tier ? same_tier_default(ctx, from, to) : std::string()};
  const auto* dev = ctx.network.devices()[g.device].behavior->device();
  if (dev != nullptr && g.stage >= 0 && g.entry) {
    const RuleBreadth b = rule_breadth(dev->transit[static_cast<std::size_t>(g.stage)].entries[*g.entry], *witness);
    cc.rule_any_source = b.any_source;
    cc.rule_any_destination = b.any_destination;
    cc.rule_any_service = b.any_service;
  }
  std::vector<const RuleDef*> fitting;
  for (const auto& check : crossing_checks()) {
    for (const auto* rule : ctx.rules_of_kind(check->kind())) {
      if (check->fits(cc, *rule)) fitting.push_back(rule);
    }
  }
  if (fitting.empty()) return std::nullopt;

  std::size_t breach = 0;
  const auto* flow = path_holding(g, *witness, &breach);
  Finding f;
  f.rule = fitting.front()->id;
  for (std::size_t i = 1; i < fitting.size(); ++i) f.also_breaks.push_back(fitting[i]->id);
  f.severity = fitting.front()->severity;
  f.status = violation ? Status::Violation : Status::Unproven;
  f.from_tier = std::string(topology::to_string(from.tier));
  f.to_tier = std::string(topology::to_string(to.tier));
  f.from_zone = g.from_zone;
  f.to_zone = g.to_zone;
  f.device = ctx.network.devices()[g.device].name;
  f.witness = witness;
  // Show the MAC only where the crossing depends on it (a rule pins the source MAC).
  f.witness_mac_matters = !uncovered.contains(point_except(*witness, {Field::SrcMac}));
  f.evidence = breach_evidence(ctx, g, flow->hops[breach]);
  f.permitting_text = permitting_text(ctx, g, f.evidence);
  std::size_t last_translation = 0;  // hops before it saw another destination than the witness
  for (std::size_t h = 0; h < flow->hops.size(); ++h) {
    if (flow->hops[h].destination_rewritten) last_translation = h;
  }
  for (std::size_t h = 0; h < flow->hops.size(); ++h) {
    if (flow->hops[h].destination_rewritten) {
      auto nat = nat_evidence(ctx, flow->hops[h], *witness);
      f.evidence.insert(f.evidence.end(), nat.begin(), nat.end());
    }
    if (h == breach || h < last_translation) continue;
    auto more = hop_evidence(ctx, flow->hops[h], *witness, false);
    f.evidence.insert(f.evidence.end(), more.begin(), more.end());
  }
  if (!violation) add_unproven_reasons(ctx, *flow, *witness, f.evidence);
  f.services = services_of(uncovered);
  // One service names what crosses ("any", "tcp/9100-9110"); several: the example's.
  const std::string service = f.services.size() == 1 ? f.services.front() : service_of(*witness);
  const std::string described = model::describe(*witness);
  std::string entry = declared_entry_of(cc, *fitting.front());
  if (entry.empty()) entry = f.permitting_text;
  const auto ft = tier_title(from.tier), tt = tier_title(to.tier);
  f.message = render(*fitting.front(),
                     {{"device", f.device}, {"from_zone", f.from_zone}, {"to_zone", f.to_zone},
                      {"from_tier", ft.en}, {"to_tier", tt.en},
                      {"service", service == "any" ? "any service" : service},
                      {"witness", described}, {"entry", entry}},
                     {{"device", f.device}, {"from_zone", f.from_zone}, {"to_zone", f.to_zone},
                      {"from_tier", ft.ja}, {"to_tier", tt.ja},
                      {"service", service == "any" ? "すべての通信" : service},
                      {"witness", described}, {"entry", entry}});
  if (!violation) {
    f.message.en += " (unproven: sanso cannot decide a condition on this path)";
    f.message.ja += "（未検証：この経路上に安全性を確認できない条件があります）";
  }
  f.id = finding_identity(f);
  return f;
}

std::string same_tier_default(const AuditContext& ctx, const topology::Zone& a,
                              const topology::Zone& b) {
  // No matching entry: realms of one tier may talk (TOPOLOGY.md "anything else within a tier").
  return ctx.pack.intra_tier_result(a, b).value_or("allowed");
}

}  // namespace sanso::policy
