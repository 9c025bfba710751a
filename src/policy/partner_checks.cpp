// MN-EXT-NO-INTERNET: each partner of a mynumber crossing that an allow entry declares (the
// non-mynumber side of a specific, public-body or mn-screen entry) must not itself open
// connections into an internet-tier zone (TOPOLOGY.md "What crosses"). Systems of public bodies
// are reached via the LGWAN by design and are outside the municipality's network: not checked.
#include <algorithm>
#include <filesystem>
#include <set>

#include "policy/audit_context.h"

namespace sanso::policy {
namespace {

bool touches_mynumber(const topology::Topology& topo, const topology::Endpoint& e) {
  switch (e.kind) {
    case topology::Endpoint::Kind::Zone:
      return topo.tier_of_zone(e.name) == topology::Tier::Mynumber;
    case topology::Endpoint::Kind::Segment:
      return topo.tier_of_zone(topo.find_segment(e.name)->zone) == topology::Tier::Mynumber;
    case topology::Endpoint::Kind::Host: {
      const auto* h = topo.find_host(e.name);
      return std::any_of(h->interfaces.begin(), h->interfaces.end(), [&](const auto& i) {
        return topo.tier_of_zone(topo.find_segment(i.segment)->zone) == topology::Tier::Mynumber;
      });
    }
  }
  return false;
}

bool public_body(const topology::Topology& topo, const topology::Endpoint& e) {
  std::string zone = e.name;
  if (e.kind == topology::Endpoint::Kind::Segment) zone = topo.find_segment(e.name)->zone;
  if (e.kind == topology::Endpoint::Kind::Host) {
    const auto* h = topo.find_host(e.name);
    if (h->interfaces.empty()) return false;
    zone = topo.find_segment(h->interfaces.front().segment)->zone;
  }
  const auto* z = topo.find_zone(zone);
  return z != nullptr && z->role == topology::ZoneRole::PublicBody;
}

}  // namespace

std::vector<Finding> partner_findings(const AuditContext& ctx) {
  std::vector<Finding> out;
  const auto rules = ctx.rules_of_kind("mn-ext-no-internet");
  if (rules.empty()) return out;
  const auto& topo = ctx.topology;
  model::PacketSet internet;  // destinations in every internet-tier zone
  for (const auto& z : topo.zones) {
    if (z.tier == topology::Tier::Internet) internet |= ctx.network.zone_destinations(z.name);
  }
  std::set<std::string> seen;
  for (const auto& d : ctx.allowances.entries()) {
    const auto& e = *d.entry;
    if (!d.valid()) continue;
    const bool from_mn = touches_mynumber(topo, e.from);
    const bool to_mn = touches_mynumber(topo, e.to);
    if (from_mn == to_mn) continue;
    const topology::Endpoint& partner = from_mn ? e.to : e.from;
    if (public_body(topo, partner)) continue;
    model::PacketSet sources;
    for (const auto& r : Allowances::addresses(ctx.network, partner)) sources |= model::PacketSet::src(r);
    for (const auto& flow : ctx.flows) {
      const model::PacketSet may = flow.may & sources & internet;
      if (may.empty()) continue;
      const auto w = may.witness(ctx.preference);
      const auto& first = flow.hops.front();
      const std::string device = ctx.network.devices()[first.device].name;
      Finding f;
      f.rule = rules.front()->id;
      f.severity = rules.front()->severity;
      f.status = (flow.must & sources & internet).empty() ? Status::Unproven : Status::Violation;
      f.from_zone = ctx.network.segment(flow.from).zone;
      f.to_zone = ctx.network.segment(flow.to).zone;
      f.from_tier = std::string(topology::to_string(topo.tier_of_zone(f.from_zone)));
      f.to_tier = "internet";
      f.device = device;
      f.witness = w;
      f.evidence.push_back({"", {std::filesystem::path(topo.path).filename().string(), e.line,
                                 std::nullopt, "allow entry " + e.id}});
      for (const auto& hop : flow.hops) {
        auto ev = hop_evidence(ctx, hop, *w, false);
        f.evidence.insert(f.evidence.end(), ev.begin(), ev.end());
      }
      f.permitting_text = "partner " + partner.name + " of " + e.id;
      f.services = services_of(may);
      f.id = finding_identity(f);
      if (!seen.insert(f.id).second) continue;
      const auto tt = tier_title(topology::Tier::Internet);
      const std::string entry = "'" + e.id + "'";
      f.message = render(*rules.front(),
                         {{"host", partner.name}, {"entry", entry}, {"to_zone", f.to_zone},
                          {"to_tier", tt.en}, {"device", device}, {"witness", model::describe(*w)}},
                         {{"host", partner.name}, {"entry", entry}, {"to_zone", f.to_zone},
                          {"to_tier", tt.ja}, {"device", device}, {"witness", model::describe(*w)}});
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace sanso::policy
