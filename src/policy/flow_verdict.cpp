#include "policy/flow_verdict.h"

#include <algorithm>

#include <fmt/format.h>

#include "policy/audit_context.h"
#include "policy/crossing_checks.h"
#include "policy/crossings.h"

namespace sanso::policy {
namespace {

using model::Field;
using model::PacketSet;

std::string unquoted(std::string s) {
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') return s.substr(1, s.size() - 2);
  return s;
}

Text kind_title(topology::AllowKind k) {
  switch (k) {
    case topology::AllowKind::Specific: return {"specific communication", "特定通信"};
    case topology::AllowKind::Sanitized: return {"sanitized communication", "無害化通信"};
    case topology::AllowKind::PublicBody:
      return {"public-body communication", "国等の公的機関のシステムとの通信"};
    case topology::AllowKind::MnScreen:
      return {"screen transfer into the My Number use zone", "マイナンバー利用事務系への画面転送"};
    case topology::AllowKind::Necessary: return {"necessary communication", "必要な通信"};
  }
  return {};
}

/// The zone an end of a traced path belongs to, as the audit judges it (crossings.cpp): the zone
/// among those the segment stands for that holds the address, then the egress rule.
std::string end_zone(const analysis::Network& net, std::size_t segment, const model::IpAddress& a) {
  const auto& seg = net.segment(segment);
  std::string zone = seg.zone;
  if (!seg.reaches.empty()) {
    const auto* holder = net.plan().segment_of(a);
    if (holder != nullptr &&
        std::find(seg.reaches.begin(), seg.reaches.end(), holder->zone) != seg.reaches.end()) {
      zone = holder->zone;
    }
  }
  return zone;
}

/// The permitting entry's packets for this crossing at the path's breach hop, as the audit
/// groups them (CrossingGroup::hit): empty where no rule of the hop can be named.
struct Permitting {
  std::size_t hop = 0;
  PacketSet hit;
  const model::FilterEntry* entry = nullptr;
};

Permitting permitting(analysis::Network& net, const analysis::TracePath& path,
                      const std::string& judged_from_zone, const std::string& address_from_zone,
                      const std::string& address_to_zone, const PacketSet& uncovered) {
  analysis::PathFlow pf;
  for (const auto& th : path.hops) pf.hops.push_back(th.hop);
  Permitting p;
  p.hop = breach_hop(net, pf, judged_from_zone);
  const auto& hop = pf.hops[p.hop];
  bool translated_later = false;
  for (std::size_t j = p.hop + 1; j < pf.hops.size(); ++j) {
    translated_later = translated_later || pf.hops[j].destination_rewritten;
  }
  if (hop.unattached || hop.source_rewritten || translated_later) return p;
  auto& behavior = *net.devices()[hop.device].behavior;
  const int stage = behavior.primary_stage(hop.in_port, hop.out_port);
  if (stage < 0) return p;
  const auto& lowered = behavior.between(hop.in_port, hop.out_port).stages[stage];
  // What can cross on this path at most: its ends' spaces within the zone pair (the audit's
  // crossing is the path's delivered set, which other devices on it may narrow further).
  const PacketSet crossing = net.source_space(path.from) & net.zone_sources(address_from_zone) &
                             net.destination_space(path.to) & net.zone_destinations(address_to_zone) &
                             PacketSet::connection_opening();
  for (std::size_t k = 0; k < lowered.entry_index.size(); ++k) {
    if (!lowered.hits[k].intersects(uncovered)) continue;
    p.hit = crossing & lowered.hits[k];
    p.entry = &behavior.device()->transit[static_cast<std::size_t>(stage)].entries[lowered.entry_index[k]];
    return p;
  }
  if (lowered.default_hit.intersects(uncovered)) p.hit = crossing & lowered.default_hit;
  return p;
}

}  // namespace

RuleBreadth rule_breadth(const model::FilterEntry& e, const model::Packet& w) {
  const PacketSet opening = PacketSet::connection_opening();
  RuleBreadth b;
  b.any_source = e.match.contains(point_except(w, {Field::Src}) & opening);
  b.any_destination = e.match.contains(point_except(w, {Field::Dst}) & opening);
  b.any_service = e.match.contains(point_except(w, {Field::Proto, Field::Sport, Field::Dport,
                                                    Field::IcmpType, Field::IcmpCode,
                                                    Field::TcpFlags}) &
                                   opening);
  return b;
}

PacketSet between_ends(const model::Packet& p) {
  PacketSet s = PacketSet::of(p);
  for (Field f : {Field::Proto, Field::Sport, Field::Dport, Field::IcmpType, Field::IcmpCode,
                  Field::TcpFlags, Field::SrcMac}) {
    s = s.release(f);
  }
  return s & PacketSet::connection_opening();
}

FlowJudge::FlowJudge(const topology::Topology& topology, const Allowances& allowances,
                     const RulePack& pack)
    : topology_(topology), allowances_(allowances), pack_(pack) {
  for (const auto& check : crossing_checks()) {
    std::vector<const RuleDef*> rules;
    for (const auto& r : pack_.rules) {
      if (r.check == check->kind()) rules.push_back(&r);
    }
    rules_.push_back(std::move(rules));
  }
}

std::size_t FlowJudge::rank(const RuleDef* rule) const {
  std::size_t i = 0;
  for (const auto& rules : rules_) {
    for (const auto* r : rules) {
      if (r == rule) return i;
      ++i;
    }
  }
  return i;
}

FlowVerdict FlowJudge::judge(const PacketSet& flow, const topology::Zone& from,
                             const topology::Zone& to, const PacketSet& rule_hit,
                             const RuleBreadth& breadth) const {
  FlowVerdict v;
  if (from.name == to.name) return v;
  const PacketSet uncovered = flow - allowances_.allowed();
  if (uncovered.empty()) {
    v.kind = FlowVerdict::Kind::Declared;
    for (const auto& d : allowances_.entries()) {
      if (d.valid() && d.packets.intersects(flow)) {
        v.entry = d.entry->id;
        break;
      }
    }
    return v;
  }
  return judge_uncovered(uncovered, *uncovered.witness(), from, to, rule_hit, breadth);
}

FlowVerdict FlowJudge::judge(const model::Packet& p, const topology::Zone& from,
                             const topology::Zone& to) const {
  FlowVerdict v;
  if (from.name == to.name) return v;
  if (allowances_.allowed().contains(p)) {
    v.kind = FlowVerdict::Kind::Declared;
    for (const auto& d : allowances_.entries()) {
      if (d.valid() && d.packets.contains(p)) {
        v.entry = d.entry->id;
        break;
      }
    }
    return v;
  }
  return judge_uncovered(PacketSet::of(p), p, from, to, between_ends(p), {});
}

FlowVerdict FlowJudge::judge_uncovered(const PacketSet& uncovered, const model::Packet& example,
                                       const topology::Zone& from, const topology::Zone& to,
                                       const PacketSet& rule_hit, const RuleBreadth& breadth) const {
  FlowVerdict v;
  std::string intra;
  if (from.tier == to.tier) {
    intra = pack_.intra_tier_result(from, to).value_or("allowed");
    if (intra == "allowed") {
      v.kind = FlowVerdict::Kind::DefaultAllowed;
      return v;
    }
  }
  CrossingContext cc{topology_, allowances_, from, to, uncovered, rule_hit, intra};
  cc.rule_any_source = breadth.any_source;
  cc.rule_any_destination = breadth.any_destination;
  cc.rule_any_service = breadth.any_service;
  const auto& checks = crossing_checks();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    for (const auto* rule : rules_[i]) {
      if (!checks[i]->fits(cc, *rule)) continue;
      if (v.rule == nullptr) v.rule = rule; else v.also_breaks.push_back(rule);
    }
  }
  if (v.rule == nullptr) {
    v.kind = FlowVerdict::Kind::Unjudged;
    return v;
  }
  v.kind = FlowVerdict::Kind::Breaks;
  const std::string declared = unquoted(declared_entry_of(cc, *v.rule));
  v.entry = declared.empty() ? closest_entry(example) : declared;
  return v;
}

std::string FlowJudge::closest_entry(const model::Packet& p) const {
  // Same ends (another service) first, then the same responder, then the same initiator.
  const PacketSet ends = between_ends(p);
  const PacketSet to_responder = ends.release(Field::Src);
  const PacketSet from_initiator = ends.release(Field::Dst);
  for (const PacketSet* probe : {&ends, &to_responder, &from_initiator}) {
    for (const auto& d : allowances_.entries()) {
      if (d.endpoints.intersects(*probe)) return d.entry->id;
    }
  }
  return {};
}

TraceJudgement judge_trace(analysis::Network& network, const analysis::TraceResult& trace,
                           const FlowJudge& judge) {
  TraceJudgement out;
  const auto& topo = network.topology();
  const PacketSet& allowed = judge.allowances().allowed();
  const TraceJudgement::Path* named = nullptr;  // the path whose verdict names the flow's rule
  const analysis::TracePath* named_trace = nullptr;
  for (const auto& path : trace.paths) {
    if (path.verdict == analysis::Verdict::Denied) continue;
    const model::Packet& delivered = path.hops.empty() ? path.packet : path.hops.back().packet;
    const std::string zf = end_zone(network, path.from, {path.packet.family, path.packet.src});
    const std::string zt = end_zone(network, path.to, {delivered.family, delivered.dst});
    TraceJudgement::Path j;
    j.from_zone = judged_zone(topo, network.segment(path.from), zf);
    j.to_zone = judged_zone(topo, network.segment(path.to), zt);
    j.uncovered = path.may - allowed;
    j.proven = !(path.must - allowed).empty();
    RuleBreadth breadth;
    PacketSet hit;
    if (!j.uncovered.empty() && !path.hops.empty()) {
      const Permitting p = permitting(network, path, j.from_zone, zf, zt, j.uncovered);
      j.breach_device = path.hops[p.hop].device;
      hit = p.hit;
      if (p.entry != nullptr) {
        if (auto w = (j.uncovered & p.hit).witness()) breadth = rule_breadth(*p.entry, *w);
      }
    }
    j.verdict = judge.judge(path.may, *topo.find_zone(j.from_zone), *topo.find_zone(j.to_zone), hit,
                            breadth);
    out.paths.push_back(std::move(j));
  }

  // The flow's rule: the most specific one any delivering path breaks (proven paths first).
  for (std::size_t i = 0, k = 0; i < trace.paths.size(); ++i) {
    if (trace.paths[i].verdict == analysis::Verdict::Denied) continue;
    const auto& j = out.paths[k++];
    if (j.verdict.kind != FlowVerdict::Kind::Breaks) continue;
    const bool better =
        named == nullptr || (j.proven && !named->proven) ||
        (j.proven == named->proven && judge.rank(j.verdict.rule) < judge.rank(named->verdict.rule));
    if (better) {
      named = &j;
      named_trace = &trace.paths[i];
    }
  }
  if (out.paths.empty()) {
    out.status = "denied";
    out.message = {"no path delivers this flow: the configs deny it",
                   "この通信を届ける経路はありません（設定により拒否されます）"};
    return out;
  }
  if (named == nullptr) {
    out.status = "allowed";
    const auto& first = out.paths.front();
    out.from_zone = first.from_zone;
    out.to_zone = first.to_zone;
    const TraceJudgement::Path* declared = nullptr;
    for (const auto& j : out.paths) {
      if (j.verdict.kind == FlowVerdict::Kind::Declared && declared == nullptr) declared = &j;
    }
    if (declared != nullptr) {
      out.entry = declared->verdict.entry;
      const auto d = std::find_if(judge.allowances().entries().begin(),
                                   judge.allowances().entries().end(),
                                   [&](const auto& e) { return e.entry->id == out.entry; });
      const Text kind = d != judge.allowances().entries().end() ? kind_title(d->entry->kind)
                                                                 : Text{"allow entry", "許可定義"};
      out.message = {fmt::format("matches {} {}", kind.en, out.entry),
                     fmt::format("{}「{}」に該当します", kind.ja, out.entry)};
    } else if (first.verdict.kind == FlowVerdict::Kind::Internal) {
      out.message = {fmt::format("stays within zone {}: not a crossing", first.from_zone),
                     fmt::format("領域 {} の内部の通信です（領域間通信ではありません）", first.from_zone)};
    } else if (first.verdict.kind == FlowVerdict::Kind::DefaultAllowed) {
      out.message = {fmt::format("{} -> {}: zones of one tier, allowed by the rule pack's default",
                                 first.from_zone, first.to_zone),
                     fmt::format("{} から {} への通信は同じ系の領域間であり、ルールパックの既定で許可されています",
                                 first.from_zone, first.to_zone)};
    } else {
      out.message = {fmt::format("{} -> {}: no rule of the pack applies", first.from_zone, first.to_zone),
                     fmt::format("{} から {} への通信に該当するルールはありません", first.from_zone,
                                 first.to_zone)};
    }
    return out;
  }

  out.status = named->proven ? "violation" : "unproven";
  out.rule = named->verdict.rule;
  out.also_breaks = named->verdict.also_breaks;
  for (const auto& j : out.paths) {  // other paths may break other rules
    if (j.verdict.kind != FlowVerdict::Kind::Breaks) continue;
    const RuleDef* r = j.verdict.rule;
    if (r != out.rule &&
        std::find(out.also_breaks.begin(), out.also_breaks.end(), r) == out.also_breaks.end()) {
      out.also_breaks.push_back(r);
    }
  }
  out.entry = named->verdict.entry;
  out.from_zone = named->from_zone;
  out.to_zone = named->to_zone;
  const model::Packet w = named->uncovered.witness().value_or(named_trace->packet);
  const auto& from = *topo.find_zone(out.from_zone);
  const auto& to = *topo.find_zone(out.to_zone);
  const auto ft = tier_title(from.tier), tt = tier_title(to.tier);
  const std::string service = service_of(w);
  const std::string described = model::describe(w);
  const std::string entry = out.entry.empty() ? std::string() : "'" + out.entry + "'";
  const std::string device = named->breach_device.empty() ? "-" : named->breach_device;
  out.message = render(*out.rule,
                       {{"device", device}, {"from_zone", out.from_zone}, {"to_zone", out.to_zone},
                        {"from_tier", ft.en}, {"to_tier", tt.en}, {"service", service},
                        {"witness", described}, {"entry", entry}},
                       {{"device", device}, {"from_zone", out.from_zone}, {"to_zone", out.to_zone},
                        {"from_tier", ft.ja}, {"to_tier", tt.ja}, {"service", service},
                        {"witness", described}, {"entry", entry}});
  if (!named->proven) {
    out.message.en += " (unproven: sanso cannot decide a condition on this path)";
    out.message.ja += "（未検証：この経路上に安全性を確認できない条件があります）";
  }
  return out;
}

}  // namespace sanso::policy
