// Findings that come from the topology and the shape of the rules rather than from one crossing:
// ZONE-NO-BRIDGE, MN-WLAN, ZONE-ASSIGN, invalid allow entries, ALLOW-UNUSED.
#include <filesystem>
#include <fmt/format.h>
#include <set>

#include "policy/audit_context.h"

namespace sanso::policy {
namespace {

/// Topology evidence names network.yaml as the user wrote it beside the configs, not the path the
/// audit was started with, so reports do not depend on the working directory.
std::string topology_file(const topology::Topology& t) {
  return std::filesystem::path(t.path).filename().string();
}

Finding topology_finding(const AuditContext& ctx, const RuleDef& rule, int line,
                         const std::map<std::string, std::string>& values_en,
                         const std::map<std::string, std::string>& values_ja,
                         const std::string& identity_text) {
  Finding f;
  f.rule = rule.id;
  f.severity = rule.severity;
  f.status = rule.severity == Severity::Info ? Status::Info : Status::Violation;
  f.message = render(rule, values_en, values_ja);
  f.evidence.push_back({"", {topology_file(ctx.topology), line, std::nullopt, identity_text}});
  f.permitting_text = identity_text;
  return f;
}

std::string tier_name(topology::Tier t) { return std::string(topology::to_string(t)); }

void zone_no_bridge(const AuditContext& ctx, const RuleDef& rule, std::vector<Finding>& out) {
  const auto& topo = ctx.topology;
  for (const auto& host : topo.hosts) {
    if (host.role == topology::HostRole::Sensor) continue;
    std::set<topology::Tier> tiers;
    std::vector<std::string> segments;
    for (const auto& i : host.interfaces) {
      const auto* seg = topo.find_segment(i.segment);
      if (seg == nullptr) continue;
      tiers.insert(topo.tier_of_zone(seg->zone));
      segments.push_back(i.segment);
    }
    if (tiers.size() < 2) continue;
    const bool relay = host.role == topology::HostRole::Sanitizer ||
                       host.role == topology::HostRole::MnLinkServer;
    if (relay) {
      bool declared = false;
      for (const auto& d : ctx.allowances.entries()) {
        if (!d.valid()) continue;
        declared = declared || d.entry->from.name == host.name || d.entry->to.name == host.name;
      }
      if (declared) continue;
    }
    std::string tier_list;
    for (auto t : tiers) tier_list += (tier_list.empty() ? "" : ", ") + tier_name(t);
    std::string seg_list;
    for (const auto& s : segments) seg_list += (seg_list.empty() ? "" : ", ") + s;
    auto f = topology_finding(ctx, rule, host.line,
                              {{"device", host.name}, {"host", host.name}, {"segments", seg_list},
                               {"from_zone", seg_list}, {"to_zone", tier_list}},
                              {{"device", host.name}, {"host", host.name}, {"segments", seg_list},
                               {"from_zone", seg_list}, {"to_zone", tier_list}},
                              "host " + host.name);
    f.message.en = fmt::format("host {} has interfaces in {} ({}): it bridges the tiers", host.name,
                               seg_list, tier_list);
    f.message.ja = fmt::format("ホスト {} が複数の系（{}：{}）にインタフェースを持ち、領域を橋渡ししています",
                               host.name, seg_list, tier_list);
    if (host.file != topo.path) {
      f.evidence.front().ref.file =
          std::filesystem::relative(host.file, topo.directory).lexically_normal().string();
    }
    f.id = finding_identity(f);
    out.push_back(std::move(f));
  }
  for (const auto& dev : topo.devices) {
    if (dev.vendor) continue;
    std::set<topology::Tier> tiers;
    for (const auto& [iface, seg] : dev.interfaces) {
      if (const auto* s = topo.find_segment(seg)) tiers.insert(topo.tier_of_zone(s->zone));
    }
    if (tiers.size() < 2) continue;
    auto f = topology_finding(ctx, rule, dev.line, {}, {}, "device " + dev.name);
    f.device = dev.name;
    f.message.en = fmt::format(
        "device {} has no config and joins segments of different tiers: it forwards everything "
        "between them",
        dev.name);
    f.message.ja = fmt::format(
        "機器 {} は設定を持たずに異なる系のセグメントを接続しており、その間の通信をすべて転送します",
        dev.name);
    f.id = finding_identity(f);
    out.push_back(std::move(f));
  }
}

void mn_wlan(const AuditContext& ctx, const RuleDef& rule, std::vector<Finding>& out) {
  if (ctx.topology.policy.mn_wlan != topology::MnWlan::Forbidden) return;
  for (const auto& seg : ctx.topology.segments) {
    if (seg.medium != topology::Medium::Wireless) continue;
    if (ctx.topology.tier_of_zone(seg.zone) != topology::Tier::Mynumber) continue;
    auto f = topology_finding(ctx, rule, seg.line, {{"segment", seg.name}, {"to_zone", seg.zone}},
                              {{"segment", seg.name}, {"to_zone", seg.zone}}, "segment " + seg.name);
    f.message.en = fmt::format(
        "segment {} is wireless and belongs to the My Number use zone, where wireless LAN is "
        "forbidden (policy mn_wlan: forbidden)",
        seg.name);
    f.message.ja = fmt::format(
        "セグメント {} は無線LANであり、マイナンバー利用事務系に属しています（mn_wlan: forbidden "
        "のため無線LANは認められません）",
        seg.name);
    f.to_zone = seg.zone;
    f.to_tier = "mynumber";
    f.id = finding_identity(f);
    out.push_back(std::move(f));
  }
}

void invalid_entries(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const auto& d : ctx.allowances.entries()) {
    for (const auto& p : d.problems) {
      const auto* rule = ctx.pack.find(p.rule);
      if (rule == nullptr) continue;
      Finding f;
      f.rule = rule->id;
      f.severity = rule->severity;
      f.status = Status::Violation;
      f.message = {p.message_en, p.message_ja};  // check_entry already names the entry
      f.evidence.push_back({"", {topology_file(ctx.topology), d.entry->line, std::nullopt,
                                 "allow entry " + d.entry->id}});
      f.permitting_text = "allow " + d.entry->id + " " + p.message_en;
      f.id = finding_identity(f);
      out.push_back(std::move(f));
    }
  }
}

void allow_unused(const AuditContext& ctx, const RuleDef& rule, const Crossings& crossings,
                  std::vector<Finding>& out) {
  for (const auto& d : ctx.allowances.entries()) {
    if (!d.valid()) continue;
    bool used = false;
    for (const auto& [pair, flow] : crossings.pairs) {
      if (flow.may.intersects(d.packets)) {
        used = true;
        break;
      }
    }
    if (used) continue;
    auto f = topology_finding(ctx, rule, d.entry->line, {{"entry", d.entry->id}},
                              {{"entry", d.entry->id}}, "allow " + d.entry->id);
    f.status = Status::Info;
    f.message.en = fmt::format("allow entry '{}' is declared but no config admits it", d.entry->id);
    f.message.ja = fmt::format("許可エントリ '{}' は宣言されていますが、どの設定でも許可されていません",
                               d.entry->id);
    f.id = finding_identity(f);
    out.push_back(std::move(f));
  }
}

/// ZONE-ASSIGN: a permit rule that names undeclared private address space explicitly (a rule's
/// `any` never raises it).
void zone_assign(const AuditContext& ctx, const RuleDef& rule, std::vector<Finding>& out) {
  const auto undeclared = ctx.network.plan().undeclared_private_space();
  if (undeclared.empty()) return;
  model::PacketSet as_src, as_dst;
  for (const auto& r : undeclared) {
    as_src |= model::PacketSet::src(r);
    as_dst |= model::PacketSet::dst(r);
  }
  for (const auto& nd : ctx.network.devices()) {
    const auto* dev = nd.behavior->device();
    if (dev == nullptr || !ctx.config_checked(nd.name)) continue;
    for (const auto& filter : dev->transit) {
      for (const auto& e : filter.entries) {
        if (e.action != model::Action::Permit || e.evidence.empty()) continue;
        for (int side = 0; side < 2; ++side) {
          const auto& space = side == 0 ? as_src : as_dst;
          if (!e.match.intersects(space)) continue;  // most rules: no set to build
          const model::PacketSet hit = e.match & space;
          if (hit.empty()) continue;
          const auto w = hit.witness();
          // An `any` on that side is not naming the space.
          if (e.match.contains(point_except(*w, {side == 0 ? model::Field::Src : model::Field::Dst}))) {
            continue;
          }
          const std::string addr = model::format_ip(w->family, side == 0 ? w->src : w->dst);
          Finding f;
          f.rule = rule.id;
          f.severity = rule.severity;
          f.status = Status::Violation;
          f.device = nd.name;
          f.message.en = fmt::format(
              "{} names {}, private address space that no segment of the topology declares",
              nd.name, addr);
          f.message.ja = fmt::format(
              "{} のルールが、トポロジのどのセグメントにも属さないプライベートアドレス {} を指定しています",
              nd.name, addr);
          for (const auto& ref : e.evidence) f.evidence.push_back({nd.name, ref});
          f.witness = w;
          f.permitting_text = e.normalized_text;
          f.id = finding_identity(f);
          out.push_back(std::move(f));
          break;
        }
      }
    }
  }
}

/// ZONE-ASSIGN for the topology itself: a registered host whose address no segment holds (only a
/// catch-all covers it, and it is undeclared private or special-purpose space).
void zone_assign_hosts(const AuditContext& ctx, const RuleDef& rule, std::vector<Finding>& out) {
  for (const auto& host : ctx.topology.hosts) {
    for (const auto& i : host.interfaces) {
      if (!i.ip || ctx.network.plan().segment_of(*i.ip) != nullptr) continue;
      const std::string addr = model::format_ip(*i.ip);
      auto f = topology_finding(ctx, rule, i.line > 0 ? i.line : host.line, {}, {},
                                "host " + host.name + " " + addr);
      f.message.en = fmt::format(
          "host {} has address {}, which no segment declares (only a catch-all covers it)",
          host.name, addr);
      f.message.ja = fmt::format(
          "ホスト {} のアドレス {} はどのセグメントにも宣言されていません（包括的なセグメントのみが含みます）",
          host.name, addr);
      f.id = finding_identity(f);
      out.push_back(std::move(f));
    }
  }
}

}  // namespace

std::vector<Finding> topology_findings(const AuditContext& ctx, const Crossings& crossings) {
  std::vector<Finding> out;
  for (const auto* rule : ctx.rules_of_kind("zone-no-bridge")) zone_no_bridge(ctx, *rule, out);
  for (const auto* rule : ctx.rules_of_kind("mn-wlan")) mn_wlan(ctx, *rule, out);
  for (const auto* rule : ctx.rules_of_kind("zone-assign")) {
    zone_assign(ctx, *rule, out);
    zone_assign_hosts(ctx, *rule, out);
  }
  for (const auto* rule : ctx.rules_of_kind("allow-unused")) allow_unused(ctx, *rule, crossings, out);
  invalid_entries(ctx, out);
  return out;
}

}  // namespace sanso::policy
