// MN-NO-INTERNET-PATH through a relay host: mynumber reaches a forwarding host (role `network`:
// proxies, relays, DNS forwarders) which can itself open connections into the internet tier.
// TOPOLOGY.md follows such hosts one host hop deep.
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <set>

#include "policy/audit_context.h"

namespace sanso::policy {
namespace {

using model::PacketSet;

struct Leg {
  const analysis::PathFlow* flow = nullptr;
  PacketSet may;
  PacketSet must;
};

/// The flows from `pred_from` segments whose packets can reach the given set.
std::vector<Leg> legs(const AuditContext& ctx, const PacketSet& restrict,
                      const std::function<bool(const analysis::PathFlow&)>& keep) {
  std::vector<Leg> out;
  for (const auto& f : ctx.flows) {
    if (!keep(f)) continue;
    PacketSet may = f.may & restrict;
    if (may.empty()) continue;
    out.push_back({&f, std::move(may), f.must & restrict});
  }
  return out;
}

}  // namespace

std::vector<Finding> relay_path_findings(const AuditContext& ctx) {
  std::vector<Finding> out;
  const auto rules = ctx.rules_of_kind("mn-no-internet-path");
  if (rules.empty()) return out;
  const auto& topo = ctx.topology;
  auto tier_of_segment = [&](std::size_t s) { return topo.tier_of_zone(ctx.network.segment(s).zone); };
  std::set<std::string> seen;
  for (const auto& host : topo.hosts) {
    if (host.role != topology::HostRole::Network) continue;
    for (const auto& iface : host.interfaces) {
      if (!iface.ip) continue;
      const std::size_t seg = ctx.network.segment_index(iface.segment);
      // A relay in mynumber is part of the source; one in the internet tier is already reached
      // directly (a crossing of its own).
      if (tier_of_segment(seg) != topology::Tier::Lgwan) continue;
      const model::IpRange addr{iface.ip->family, iface.ip->value, iface.ip->value};
      const auto in = legs(ctx, PacketSet::dst(addr) & ctx.allowances.allowed().complement(),
                           [&](const analysis::PathFlow& f) {
                             return tier_of_segment(f.from) == topology::Tier::Mynumber;
                           });
      if (in.empty()) continue;
      const auto onward = legs(ctx, PacketSet::src(addr), [&](const analysis::PathFlow& f) {
        return f.from == seg && tier_of_segment(f.to) == topology::Tier::Internet;
      });
      if (onward.empty()) continue;
      const Leg& a = in.front();
      const Leg& b = onward.front();
      const auto wa = a.may.witness(ctx.preference);
      const auto wb = b.may.witness(ctx.preference);
      const auto& first_hop = a.flow->hops.front();
      Finding f;
      f.rule = rules.front()->id;
      f.also_breaks = {};
      f.severity = rules.front()->severity;
      const bool proven = !a.must.empty() && !b.must.empty();
      f.status = proven ? Status::Violation : Status::Unproven;
      f.from_zone = ctx.network.segment(a.flow->from).zone;
      f.to_zone = ctx.network.segment(b.flow->to).zone;
      f.from_tier = "mynumber";
      f.to_tier = "internet";
      f.device = ctx.network.devices()[first_hop.device].name;
      f.witness = wa;
      for (const auto& hop : a.flow->hops) {
        auto ev = hop_evidence(ctx, hop, *wa, false);
        f.evidence.insert(f.evidence.end(), ev.begin(), ev.end());
      }
      f.evidence.push_back({"", {std::filesystem::path(topo.path).filename().string(), host.line,
                                 std::nullopt, "relay host " + host.name + " (role network)"}});
      for (const auto& hop : b.flow->hops) {
        auto ev = hop_evidence(ctx, hop, *wb, false);
        f.evidence.insert(f.evidence.end(), ev.begin(), ev.end());
      }
      f.permitting_text = "relay " + host.name;
      f.services = services_of(a.may);
      f.message.en = fmt::format(
          "the My Number use zone reaches {} ({}), a forwarding host that can itself open "
          "connections into the Internet-connected zone (e.g. {}); the My Number use zone must have "
          "no path to the Internet, direct or through a relay",
          host.name, service_of(*wa), model::describe(*wb));
      f.message.ja = fmt::format(
          "マイナンバー利用事務系から中継ホスト {}（{}）に到達でき、そのホストはインターネット接続系へ"
          "通信を開始できます（例：{}）。マイナンバー利用事務系からインターネットへの経路は、中継を"
          "介するものも含めて存在してはなりません",
          host.name, service_of(*wa), model::describe(*wb));
      f.id = finding_identity(f);
      if (seen.insert(f.id).second) out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace sanso::policy
