#include "policy/audit.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <set>

#include "policy/audit_context.h"
#include "policy/rulebase_findings.h"

namespace sanso::policy {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
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

bool waiver_matches(const topology::WaiverMatch& w, const Finding& f) {
  if (w.rule != f.rule) return false;
  if (w.device && *w.device != f.device) return false;
  if (w.from && *w.from != f.from_zone && *w.from != f.from_tier) return false;
  if (w.to && *w.to != f.to_zone && *w.to != f.to_tier) return false;
  if (w.text && *w.text != f.permitting_text) return false;
  return true;
}

void apply_waivers(const AuditContext& ctx, std::vector<Finding>& findings) {
  for (auto& f : findings) {
    if (f.status != Status::Violation && f.status != Status::Unproven) continue;
    for (const auto& w : ctx.topology.waivers) {
      if (!waiver_matches(w.finding, f)) continue;
      if (w.expires && !ctx.options.today.empty() && *w.expires < ctx.options.today) continue;
      f.status = Status::Waived;
      f.waiver_reason = w.reason;
      break;
    }
  }
}

std::vector<MatrixCell> build_matrix(const AuditContext& ctx, const Crossings& crossings,
                                     const std::vector<Finding>& findings) {
  std::vector<MatrixCell> out;
  for (const auto& [pair, flow] : crossings.pairs) {
    const auto& from = ctx.zone(pair.first);
    const auto& to = ctx.zone(pair.second);
    MatrixCell c;
    c.from_zone = pair.first;
    c.to_zone = pair.second;
    c.from_tier = std::string(topology::to_string(from.tier));
    c.to_tier = std::string(topology::to_string(to.tier));
    c.services = services_of(flow.may);
    bool violation = false, unproven = false;
    for (const auto& f : findings) {
      if (f.from_zone != c.from_zone || f.to_zone != c.to_zone) continue;
      violation = violation || f.status == Status::Violation;
      unproven = unproven || f.status == Status::Unproven;
    }
    if (violation) {
      c.status = "violation";
    } else if (unproven) {
      c.status = "unproven";
    } else if (from.tier == to.tier && same_tier_default(ctx, from, to) == "allowed") {
      c.status = "default";
    } else {
      c.status = "allowed";
    }
    out.push_back(std::move(c));
  }
  return out;
}

void account_rules(const RulePack& pack, AuditResult& r) {
  // A rule named in a finding, as its rule or in also_breaks, is accounted for by the findings
  // (DESIGN §5: every rule in exactly one of findings, not_evaluated, checklist, passed).
  std::set<std::string> found;
  for (const auto& f : r.findings) {
    found.insert(f.rule);
    found.insert(f.also_breaks.begin(), f.also_breaks.end());
  }
  // Checks not evaluated for some devices (TIME-SYNC without settings): a rule with findings is
  // accounted for by them, otherwise by those entries (never passed).
  std::erase_if(r.not_evaluated, [&](const NotEvaluated& n) { return found.count(n.rule) != 0; });
  std::set<std::string> partly;
  for (const auto& n : r.not_evaluated) partly.insert(n.rule);
  for (const auto& rule : pack.rules) {
    if (partly.count(rule.id) != 0) continue;
    if (rule.check == "checklist") {
      r.checklist.push_back({rule.id, rule.title});
    } else if (found.count(rule.id) != 0) {
      continue;  // e.g. MN-SCREEN-XFER: not evaluated on crossings, but an invalid entry breaks it
    } else if (rule.check == "not-implemented") {
      r.not_evaluated.push_back({rule.id, "", rule.why_not_evaluated});
    } else {
      r.passed.push_back(rule.id);
    }
  }
}

}  // namespace

int AuditResult::exit_code() const {
  for (const auto& f : findings) {
    if (f.baseline) continue;
    if (f.status == Status::Violation || f.status == Status::Unproven) return 1;
  }
  return 0;
}

std::vector<Finding> mac_binding_findings(const AuditContext& ctx) {
  std::vector<Finding> out;
  const auto rules = ctx.rules_of_kind("mn-specific-comm");
  if (rules.empty()) return out;
  std::set<std::pair<std::string, std::string>> reported;  // (entry id, device)
  for (const auto& d : ctx.allowances.entries()) {
    const auto& e = *d.entry;
    if (!d.valid() || e.kind != topology::AllowKind::Specific) continue;
    if (e.from.kind != topology::Endpoint::Kind::Host) continue;
    const auto* host = ctx.topology.find_host(e.from.name);
    const auto* to_host = ctx.topology.find_host(e.to.name);
    if (host == nullptr || to_host == nullptr) continue;
    for (const auto& iface : host->interfaces) {
      if (!iface.mac || !iface.ip) continue;
      const std::size_t seg = ctx.network.segment_index(iface.segment);
      const auto src_tier = ctx.topology.tier_of_zone(ctx.network.segment(seg).zone);
      for (const auto& flow : ctx.flows) {
        if (flow.from != seg || flow.hops.empty()) continue;
        const auto& hop = flow.hops.front();
        const auto& nd = ctx.network.devices()[hop.device];
        if (nd.behavior->knowledge() != analysis::Knowledge::Modelled || hop.unattached) continue;
        const auto dst_tier = ctx.topology.tier_of_zone(ctx.network.segment(flow.to).zone);
        if (src_tier != topology::Tier::Mynumber && dst_tier != topology::Tier::Mynumber) continue;
        const auto pinned = model::PacketSet::src_mac(*iface.mac, *iface.mac);
        const auto declared = d.packets & model::PacketSet::src({iface.ip->family, iface.ip->value, iface.ip->value});
        const model::PacketSet unpinned_may = (flow.may & declared) - pinned;
        if (unpinned_may.empty()) continue;
        if (!reported.insert({e.id, nd.name}).second) continue;
        const model::PacketSet unpinned_must = (flow.must & declared) - pinned;
        const auto w = (unpinned_must.empty() ? unpinned_may : unpinned_must).witness(ctx.preference);
        const auto* rule = rules.front();
        Finding f;
        f.rule = rule->id;
        f.also_breaks = {};
        f.severity = rule->severity;
        f.status = unpinned_must.empty() ? Status::Unproven : Status::Violation;
        f.from_zone = ctx.network.segment(seg).zone;
        f.to_zone = ctx.network.segment(flow.to).zone;
        f.from_tier = std::string(topology::to_string(src_tier));
        f.to_tier = std::string(topology::to_string(dst_tier));
        f.device = nd.name;
        f.witness = w;
        f.witness_mac_matters = true;
        f.evidence = hop_evidence(ctx, hop, *w, true);
        f.permitting_text = f.evidence.empty() ? "" : f.evidence.front().ref.text;
        f.services = services_of(unpinned_may);
        f.message.en = fmt::format(
            "{} admits the specific communication '{}' ({} -> {}) from any source MAC address; it "
            "sees {}'s segment and must pin its MAC {}",
            nd.name, e.id, host->name, to_host->name, host->name, model::format_mac(*iface.mac));
        f.message.ja = fmt::format(
            "{} が特定通信 '{}'（{} → {}）を送信元MACアドレスを限定せずに許可しています。{} "
            "のセグメントに接しているため、MACアドレス {} で通信経路を限定する必要があります",
            nd.name, e.id, host->name, to_host->name, host->name, model::format_mac(*iface.mac));
        f.id = finding_identity(f);
        out.push_back(std::move(f));
      }
    }
  }
  return out;
}

std::size_t mark_baseline(AuditResult& result, const std::set<std::string>& ids) {
  std::size_t marked = 0;
  for (auto& f : result.findings) {
    f.baseline = ids.count(f.id) != 0;
    marked += f.baseline ? 1 : 0;
  }
  return marked;
}

AuditResult run_audit(const topology::Topology& topology, const RulePack& pack,
                      const std::map<std::string, model::Device>& devices,
                      const AuditOptions& options) {
  const auto started = Clock::now();
  analysis::Network network(topology, devices);
  network.lower_all(options.threads);
  analysis::ReachabilityStats stats;
  const auto flows = analysis::compute_reachability(network, &stats);
  const double reachability_s = seconds_since(started);
  AuditResult r = run_audit_on(topology, pack, options, network, flows);
  r.timings.reachability_s = reachability_s;
  r.timings.paths = stats.paths;
  return r;
}

namespace {

/// The crossings, merging the memo's parts for the flows the scope marks as unchanged; the
/// parts of every flow are kept in `memo` when given.
Crossings crossings_with_memo(const AuditContext& ctx, const AllowedFn& allowed, AuditMemo* memo) {
  std::vector<const FlowCrossings*> reuse(ctx.flows.size(), nullptr);
  const AuditScope* scope = ctx.scope;
  if (scope == nullptr || scope->memo == nullptr) {
    Crossings out = collect_crossings(ctx.network, ctx.flows, allowed, reuse,
                                      memo != nullptr ? &memo->flows : nullptr);
    if (memo != nullptr) {
      memo->crossings = out;
      memo->flows_base = ctx.flows.data();
    }
    return out;
  }
  CrossingsBefore before;
  before.crossings = &scope->memo->crossings;
  before.flows = scope->memo->flows_base;
  before.now.resize(scope->memo->flows.size());
  for (std::size_t i = 0; i < ctx.flows.size() && i < scope->memo_flow.size(); ++i) {
    if (!scope->memo_flow[i]) continue;
    reuse[i] = &scope->memo->flows[*scope->memo_flow[i]];
    before.now[*scope->memo_flow[i]] = i;
  }
  for (std::size_t j : scope->memo_gone) before.gone.push_back(&scope->memo->flows[j]);
  // A memo for a later change is taken from full audits only (build_snapshot).
  return collect_crossings(ctx.network, ctx.flows, allowed, reuse, before);
}

/// The crossing findings; a group copied unchanged from the memo's crossings has the same
/// packets, paths and devices as before, so its finding is the memo's.
std::vector<Finding> crossing_findings_with_memo(const AuditContext& ctx, const Crossings& crossings,
                                                 AuditMemo* memo) {
  const AuditMemo* before = ctx.scope != nullptr ? ctx.scope->memo : nullptr;
  std::vector<Finding> out;
  for (const auto& g : crossings.groups) {
    const GroupKey key = key_of(g);
    const std::optional<Finding>* reusable = nullptr;
    if (before != nullptr && g.unchanged) {
      auto it = before->group_findings.find(key);
      if (it != before->group_findings.end()) reusable = &it->second;
    }
    std::optional<Finding> f = reusable != nullptr ? *reusable : crossing_finding(ctx, g);
    if (memo != nullptr) memo->group_findings[key] = f;
    if (f) out.push_back(std::move(*f));
  }
  return out;
}

}  // namespace

AuditResult run_audit_on(const topology::Topology& topology, const RulePack& pack,
                         const AuditOptions& options, analysis::Network& network,
                         const std::vector<analysis::PathFlow>& flows,
                         const AuditScope* scope, AuditMemo* memo) {
  AuditResult r;
  r.network = topology.name;
  for (const auto& f : flows) r.timings.paths += f.may.empty() ? 0 : 1;
  const auto started = Clock::now();
  const Allowances allowances(network, topology);
  AuditContext ctx{topology, pack,       options, network,
                   allowances, flows, preference_of(topology), scope};
  const AllowedFn allowed = [&](const std::string& zf,
                                const std::string& zt) -> std::optional<model::PacketSet> {
    const auto& a = ctx.zone(zf);
    const auto& b = ctx.zone(zt);
    if (a.tier == b.tier && same_tier_default(ctx, a, b) == "allowed") return std::nullopt;
    return allowances.allowed();
  };
  const Crossings crossings = crossings_with_memo(ctx, allowed, memo);
  r.findings = crossing_findings_with_memo(ctx, crossings, memo);
  auto more = mac_binding_findings(ctx);
  r.findings.insert(r.findings.end(), more.begin(), more.end());
  more = partner_findings(ctx);
  r.findings.insert(r.findings.end(), more.begin(), more.end());
  more = relay_path_findings(ctx);
  r.findings.insert(r.findings.end(), more.begin(), more.end());
  more = topology_findings(ctx, crossings);
  r.findings.insert(r.findings.end(), more.begin(), more.end());
  auto hygiene = rulebase_findings(ctx);
  r.findings.insert(r.findings.end(), hygiene.findings.begin(), hygiene.findings.end());
  r.not_evaluated = std::move(hygiene.not_evaluated);
  apply_waivers(ctx, r.findings);
  sort_findings(r.findings);
  r.matrix = build_matrix(ctx, crossings, r.findings);
  r.timings.checks_s = seconds_since(started);

  // Network devices are the topology's, in its order (Network's constructor).
  for (std::size_t d = 0; d < topology.devices.size(); ++d) {
    const model::Device* m = network.devices()[d].behavior->device();
    if (m == nullptr) continue;
    const auto& td = topology.devices[d];
    for (const auto& c : m->coverage) r.coverage.push_back({td.name, *td.vendor, c});
  }
  account_rules(pack, r);
  bool violation = false, unproven = false;
  for (const auto& f : r.findings) {
    violation = violation || f.status == Status::Violation;
    unproven = unproven || f.status == Status::Unproven;
  }
  r.verdict = violation ? "violations" : unproven ? "unproven" : "clean";
  return r;
}

}  // namespace sanso::policy
