// Small shared pieces of the audit: rule lookup, messages, service names, hop evidence.
#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "policy/audit_context.h"

namespace sanso::policy {

std::vector<const RuleDef*> AuditContext::rules_of_kind(std::string_view kind) const {
  std::vector<const RuleDef*> out;
  for (const auto& r : pack.rules) {
    if (r.check == kind) out.push_back(&r);
  }
  return out;
}

bool is_device_config_kind(std::string_view check_kind) {
  // zone-assign: its rule-naming half (a device's permits naming undeclared private space); its
  // host half has no device.
  return check_kind == "filter-consistency" || check_kind == "log-collect" ||
         check_kind == "time-sync" || check_kind == "zone-assign";
}

const topology::Zone& AuditContext::zone(const std::string& name) const {
  return *topology.find_zone(name);
}

Text tier_title(topology::Tier t) {
  switch (t) {
    case topology::Tier::Mynumber: return {"My Number use zone", "マイナンバー利用事務系"};
    case topology::Tier::Lgwan: return {"LGWAN-connected zone", "LGWAN接続系"};
    case topology::Tier::Internet: return {"Internet-connected zone", "インターネット接続系"};
  }
  return {};
}

Text render(const RuleDef& rule, const std::map<std::string, std::string>& en,
            const std::map<std::string, std::string>& ja) {
  return {render_message(rule.message.en, en), render_message(rule.message.ja, ja)};
}

namespace {

bool has_ports(unsigned p) {
  return p == model::kProtoTcp || p == model::kProtoUdp || p == model::kProtoSctp;
}

std::string range_text(model::u128 lo, model::u128 hi, model::u128 max) {
  if (lo == 0 && hi == max) return "any";
  if (lo == hi) return fmt::format("{}", static_cast<unsigned long long>(lo));
  return fmt::format("{}-{}", static_cast<unsigned long long>(lo), static_cast<unsigned long long>(hi));
}

}  // namespace

std::string service_of(const model::Packet& p) {
  if (has_ports(p.proto)) return fmt::format("{}/{}", model::proto_name(p.proto), p.dport);
  if (p.proto == model::kProtoIcmp || p.proto == model::kProtoIcmpv6) {
    return fmt::format("{}/{}", model::proto_name(p.proto), p.icmp_type);
  }
  return model::proto_name(p.proto);
}

std::vector<std::string> services_of(const model::PacketSet& s, std::size_t limit) {
  const auto w = s.witness();
  if (!w) return {};
  // A set that holds every connection-opening packet between its example endpoints is "any".
  const auto every_service =
      point_except(*w, {model::Field::Proto, model::Field::Sport, model::Field::Dport,
                        model::Field::IcmpType, model::Field::IcmpCode, model::Field::TcpFlags}) &
      model::PacketSet::connection_opening();
  if (s.contains(every_service)) return {"any"};
  // Destination ports per port-carrying protocol, merged into disjoint ranges.
  std::map<unsigned, std::vector<std::pair<unsigned, unsigned>>> ports;
  std::set<unsigned> icmp;
  bool other = false;
  for (const auto& b : s.blocks()) {
    const auto& proto = b[model::Field::Proto];
    for (auto p = static_cast<unsigned>(proto.lo); p <= static_cast<unsigned>(proto.hi); ++p) {
      if (has_ports(p)) {
        const auto& d = b[model::Field::Dport];
        ports[p].push_back({static_cast<unsigned>(d.lo), static_cast<unsigned>(d.hi)});
      } else if (p == model::kProtoIcmp || p == model::kProtoIcmpv6) {
        icmp.insert(p);
      } else {
        other = true;
      }
    }
  }
  std::vector<std::pair<unsigned, std::string>> listed;  // (protocol, text), protocol order
  bool all_ports = true;
  for (auto& [p, ranges] : ports) {
    std::sort(ranges.begin(), ranges.end());
    std::vector<std::pair<unsigned, unsigned>> merged;
    for (const auto& r : ranges) {
      if (!merged.empty() && r.first <= merged.back().second + 1) {
        merged.back().second = std::max(merged.back().second, r.second);
      } else {
        merged.push_back(r);
      }
    }
    const std::string name = model::proto_name(static_cast<std::uint8_t>(p));
    for (const auto& [lo, hi] : merged) listed.push_back({p, name + "/" + range_text(lo, hi, 65535)});
    all_ports = all_ports && merged.size() == 1 && merged.front() == std::make_pair(0u, 65535u);
  }
  for (unsigned p : icmp) listed.push_back({p, model::proto_name(static_cast<std::uint8_t>(p))});
  std::stable_sort(listed.begin(), listed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // Every protocol with every port somewhere in the set: the union is "any".
  if (other && all_ports && ports.count(model::kProtoTcp) && ports.count(model::kProtoUdp) &&
      icmp.count(model::kProtoIcmp)) {
    return {"any"};
  }
  std::vector<std::string> out;
  for (const auto& [p, text] : listed) {
    if (out.size() == limit) {
      out.push_back("...");
      break;
    }
    out.push_back(text);
  }
  if (other) out.push_back("ip/other");
  return out;
}

model::PacketSet point_except(const model::Packet& w, std::initializer_list<model::Field> free) {
  using model::Field;
  using model::PacketSet;
  auto is_free = [&](Field f) { return std::find(free.begin(), free.end(), f) != free.end(); };
  PacketSet s = PacketSet::family(w.family);
  if (!is_free(Field::Src)) s &= PacketSet::src({w.family, w.src, w.src});
  if (!is_free(Field::Dst)) s &= PacketSet::dst({w.family, w.dst, w.dst});
  const std::pair<Field, model::u128> rest[] = {
      {Field::Proto, w.proto},        {Field::Sport, w.sport},
      {Field::Dport, w.dport},        {Field::IcmpType, w.icmp_type},
      {Field::IcmpCode, w.icmp_code}, {Field::TcpFlags, w.tcp_flags},
      {Field::SrcMac, w.src_mac}};
  for (const auto& [f, v] : rest) {
    if (!is_free(f)) s &= PacketSet::field(f, v, v);
  }
  return s;
}

std::vector<Evidence> hop_evidence(const AuditContext& ctx, const analysis::Hop& hop,
                                   const model::Packet& p, bool include_defaults) {
  const auto& nd = ctx.network.devices()[hop.device];
  std::vector<Evidence> out;
  const auto* dev = nd.behavior->device();
  if (dev == nullptr) {
    const bool no_config = nd.behavior->knowledge() == analysis::Knowledge::NoConfig;
    out.push_back({nd.name, {"", std::nullopt, std::nullopt,
                             no_config ? "device without config: forwards everything"
                                       : "vendor not supported: forwarding unproven"}});
    return out;
  }
  for (const auto& d : nd.behavior->decide(p, hop.in_port, hop.out_port)) {
    const auto& filter = dev->transit[d.stage];
    if (d.entry) {
      for (const auto& ref : filter.entries[*d.entry].evidence) out.push_back({nd.name, ref});
    } else if (include_defaults || filter.default_source.line) {
      out.push_back({nd.name, filter.default_source});
    }
  }
  return out;
}

}  // namespace sanso::policy
