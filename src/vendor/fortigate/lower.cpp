// Lowering of one VDOM's policies, zones and VIPs. The semantics, with their sources, are in
// docs/vendors/fortigate.md; the ones no Fortinet document confirmed are listed in
// Device::assumptions by to_model.cpp.
#include "vendor/fortigate/lower.h"

#include <algorithm>

namespace sanso::vendor::fortigate {
namespace {

using model::Family;
using model::PacketSet;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

model::u128 size_of(const model::IpRange& r) { return r.hi - r.lo; }

std::optional<std::uint8_t> vip_protocol(const std::string& p) {
  if (p.empty() || p == "tcp") return model::kProtoTcp;
  if (p == "udp") return model::kProtoUdp;
  if (p == "sctp") return model::kProtoSctp;
  if (p == "icmp") return model::kProtoIcmp;
  return std::nullopt;
}

// The policy's content in a stable spelling: a finding's identity hashes it (never the line or
// the policy id, which `move` and renumbering change).
std::string normalized(const PolicyDef& p) {
  std::string t = p.table + ":";
  const std::pair<const char*, const Names*> lists[] = {
      {"srcintf", &p.srcintf}, {"dstintf", &p.dstintf},   {"srcaddr", &p.srcaddr},
      {"dstaddr", &p.dstaddr}, {"srcaddr6", &p.srcaddr6}, {"dstaddr6", &p.dstaddr6},
      {"service", &p.service}};
  for (const auto& [k, n] : lists)
    if (!n->names.empty()) t += std::string(" ") + k + " " + joined(n->names) + ";";
  if (p.srcaddr_negate) t += " srcaddr-negate;";
  if (p.dstaddr_negate) t += " dstaddr-negate;";
  if (p.service_negate) t += " service-negate;";
  if (p.internet_service) t += " internet-service;";
  if (!p.schedule.empty() && p.schedule != "always") t += " schedule " + p.schedule + ";";
  t += " action " + p.action.value_or("deny");
  return t;
}

}  // namespace

Lowerer::Lowerer(const FortigateConfig& cfg, const std::vector<std::string_view>& lines)
    : cfg_(cfg), lines_(lines), resolver_(cfg) {
  for (const auto& i : cfg.interfaces) interfaces_.insert(i.name);
  for (const auto& z : cfg.zones) {
    zones_[z.name] = &z;
    if (z.intrazone_allow.value_or(false))
      for (const auto& m : z.interfaces.names) allow_zone_of_[m] = z.name;
  }
}

model::SourceRef Lowerer::ref(int line, int end_line) const {
  model::SourceRef r;
  r.file = cfg_.file;
  r.line = line;
  if (end_line > line) r.end_line = end_line;
  if (line >= 1 && static_cast<std::size_t>(line) <= lines_.size())
    r.text = std::string(trim(lines_[static_cast<std::size_t>(line - 1)]));
  return r;
}

void Lowerer::note(int line, const std::string& why) {
  if (line <= 0) return;
  auto [it, fresh] = notes_.try_emplace(line, why);
  if (!fresh && it->second.find(why) == std::string::npos) it->second += "; " + why;
}

std::vector<std::optional<std::string>> Lowerer::expand(const Names& names) {
  std::vector<std::optional<std::string>> out;
  auto add = [&out](const std::string& n) {
    if (std::find(out.begin(), out.end(), std::optional<std::string>(n)) == out.end())
      out.push_back(n);
  };
  for (const auto& n : names.names) {
    if (n == "any" || n == "all") return {std::nullopt};
    if (auto z = zones_.find(n); z != zones_.end()) {
      for (const auto& m : z->second->interfaces.names) add(m);
      continue;
    }
    if (interfaces_.count(n) == 0 && unknown_seen_.insert(n).second) {
      const int line = names.lines.empty() ? 0 : names.lines.front();
      unknown_ifaces_.push_back({n, line});
      // Without a `system interface` section (a partial export) names cannot be checked.
      if (!interfaces_.empty())
        note(line, "interface or zone " + n + " is not defined in this VDOM: matched by name");
    }
    add(n);
  }
  return out;
}

bool Lowerer::intrazone_pair(const std::string& a, const std::string& b) const {
  if (a == b) return false;
  const auto za = allow_zone_of_.find(a);
  const auto zb = allow_zone_of_.find(b);
  return za != allow_zone_of_.end() && zb != allow_zone_of_.end() && za->second == zb->second;
}

void Lowerer::policy(const PolicyDef& p, std::vector<model::FilterEntry>& out,
                     std::vector<model::SourceNat>& snat) {
  if (p.enabled.has_value() && !*p.enabled) return;  // `set status disable`: skipped
  struct Side {
    const Names* src;
    const Names* dst;
    bool src_negate, dst_negate;
    Family family;
  };
  std::vector<Side> sides;
  if (p.table == "firewall policy6") {
    sides = {{&p.srcaddr, &p.dstaddr, p.srcaddr_negate, p.dstaddr_negate, Family::V6}};
  } else {
    const bool consolidated = p.table == "firewall consolidated policy";
    sides = {{&p.srcaddr, &p.dstaddr, p.srcaddr_negate, p.dstaddr_negate, Family::V4},
             {&p.srcaddr6, &p.dstaddr6, consolidated ? p.srcaddr_negate : p.srcaddr6_negate,
              consolidated ? p.dstaddr_negate : p.dstaddr6_negate, Family::V6}};
  }
  std::vector<std::string> why;
  PacketSet match;
  bool any_family = false;
  for (const Side& s : sides) {
    if (!s.src->written() && !s.dst->written()) continue;  // the policy says nothing of it
    any_family = true;
    const int sl = s.src->lines.empty() ? p.line : s.src->lines.front();
    const int dl = s.dst->lines.empty() ? p.line : s.dst->lines.front();
    AddrBounds src = p.internet_service_src
                         ? AddrBounds{{model::full_range(s.family)}, {}, {"internet-service-src"}}
                         : resolver_.addresses(s.src->names, s.family, false, s.src_negate, sl);
    AddrBounds dst = p.internet_service
                         ? AddrBounds{{model::full_range(s.family)}, {}, {"internet-service"}}
                         : resolver_.addresses(s.dst->names, s.family, true, s.dst_negate, dl);
    why.insert(why.end(), src.why.begin(), src.why.end());
    why.insert(why.end(), dst.why.begin(), dst.why.end());
    match |= address_set(src.over, false) & address_set(dst.over, true);
  }
  if (!any_family) note(p.line, "policy " + p.id + " names no addresses: it matches nothing");
  if (p.internet_service) why.push_back("internet-service destinations cannot be resolved offline");
  if (p.internet_service_src) why.push_back("internet-service sources cannot be resolved offline");
  if (p.service.written() || !p.internet_service) {
    const int line = p.service.lines.empty() ? p.line : p.service.lines.front();
    SvcBounds svc = resolver_.services(p.service.names, p.service_negate, line);
    why.insert(why.end(), svc.why.begin(), svc.why.end());
    match &= svc.over;
  }
  for (const auto& c : p.conditions) why.push_back(c.second);
  for (const auto& u : p.unknown) why.push_back("unknown policy key '" + u.second + "'");
  if (!p.schedule.empty() && p.schedule != "always") {
    why.push_back("schedule " + p.schedule + " limits when the policy applies");
    note(p.schedule_line, "schedule " + p.schedule + " limits when the policy applies");
  }
  model::Action action = model::Action::Deny;  // FortiOS default when `action` is not written
  if (p.action) {
    if (*p.action == "accept" || *p.action == "ipsec") {
      action = model::Action::Permit;
    } else if (*p.action != "deny") {
      action = model::Action::Permit;  // an action sanso does not know may let packets through
      why.push_back("action " + *p.action + " is not modelled");
      note(p.action_line, "action " + *p.action + " is not modelled");
    }
  }

  model::FilterEntry base;
  base.action = action;
  base.evidence.push_back(ref(p.line, p.end_line));
  base.normalized_text = normalized(p);
  base.logged = p.logtraffic == "all";
  std::sort(why.begin(), why.end());
  why.erase(std::unique(why.begin(), why.end()), why.end());
  base.uncertain = !why.empty();
  for (const auto& w : why) base.uncertain_why += (base.uncertain_why.empty() ? "" : "; ") + w;

  // Deny policies without `match-vip` do not apply to packets a VIP translated (FortiOS
  // `match-vip`, default disable); the filter sees only the translated header, so for packets
  // whose destination a VIP may have produced the deny is uncertain.
  const bool split_vip = action == model::Action::Deny && !p.match_vip &&
                         !resolver_.vip_mapped_space().empty();
  const PacketSet vip_part = split_vip ? match & address_set(resolver_.vip_mapped_space(), true)
                                       : PacketSet();

  const auto ins = expand(p.srcintf);
  const auto outs = expand(p.dstintf);
  for (const auto& in : ins) {
    for (const auto& o : outs) {
      model::FilterEntry e = base;
      if (in) e.in = model::InterfaceMatch{*in, false};
      if (o) e.out = model::InterfaceMatch{*o, false};
      e.match = split_vip ? match - vip_part : match;
      if (action == model::Action::Deny && in && o && intrazone_pair(*in, *o)) {
        e.uncertain = true;
        e.uncertain_why += std::string(e.uncertain_why.empty() ? "" : "; ") +
                           "zone " + allow_zone_of_.at(*in) +
                           " allows intrazone traffic, which may bypass deny policies";
      }
      if (split_vip && !vip_part.empty()) {
        model::FilterEntry v = e;
        v.match = vip_part;
        v.uncertain = true;
        v.uncertain_why += std::string(v.uncertain_why.empty() ? "" : "; ") +
                           "a deny policy without match-vip does not apply to VIP-translated packets";
        out.push_back(std::move(e));
        out.push_back(std::move(v));
        continue;
      }
      out.push_back(std::move(e));
    }
  }
  if (action == model::Action::Permit && (p.nat || p.ippool)) {
    for (const auto& o : outs) {
      model::SourceNat n;
      if (o) n.out = model::InterfaceMatch{*o, false};
      n.match = match;
      n.evidence = base.evidence;
      snat.push_back(std::move(n));
    }
  }
}

void Lowerer::intrazone(std::vector<model::FilterEntry>& out) {
  for (const auto& z : cfg_.zones) {
    if (!z.intrazone_allow.value_or(false)) continue;
    const auto members = expand(z.interfaces);
    for (const auto& a : members) {
      for (const auto& b : members) {
        if (!a || !b || *a == *b) continue;
        model::FilterEntry e;
        e.match = PacketSet::all();
        e.in = model::InterfaceMatch{*a, false};
        e.out = model::InterfaceMatch{*b, false};
        e.action = model::Action::Permit;
        e.evidence.push_back(ref(z.intrazone_line > 0 ? z.intrazone_line : z.line, 0));
        e.normalized_text = "system zone " + z.name + ": intrazone allow";
        out.push_back(std::move(e));
      }
    }
  }
}

model::FilterEntry Lowerer::implicit_deny(bool logged) const {
  model::FilterEntry e;
  e.match = PacketSet::all();
  e.action = model::Action::Deny;
  e.evidence.push_back({cfg_.file, std::nullopt, std::nullopt, "implicit deny"});
  e.normalized_text = "implicit deny (policy 0)";
  e.logged = logged;
  return e;
}

void Lowerer::vips(std::vector<model::DestinationNat>& out) {
  for (const auto& v : cfg_.vips) {
    if (!v.enabled) continue;
    model::DestinationNat n;
    n.evidence.push_back(ref(v.line, v.end_line));
    std::vector<std::string> why;
    const bool static_nat = v.type.empty() || v.type == "static-nat";
    const auto proto = vip_protocol(v.protocol);
    if (!static_nat) why.push_back("VIP type " + v.type + " is not modelled");
    if (!v.bad_value.empty()) why.push_back(v.bad_value);
    if (!v.extip || !v.mappedip) why.push_back("VIP without extip or mappedip");
    if (v.portforward && !proto) why.push_back("VIP protocol " + v.protocol + " is not modelled");
    for (const auto& [line, w] : v.unmodelled) {
      why.push_back(w);
      note(line, w);
    }
    n.match = v.extip ? PacketSet::dst(*v.extip) : PacketSet::family(Family::V4);
    if (!why.empty() && (why.size() > v.unmodelled.size())) {
      // The translation itself is not known: the packets may go anywhere.
      n.to = model::full_range(Family::V4);
      n.to_ports = std::make_pair(std::uint16_t{0}, std::uint16_t{65535});
      note(v.bad_line > 0 ? v.bad_line : v.line, why.front());
    } else {
      n.to = v.mappedip;
      if (v.extip && size_of(*v.extip) > 0 && size_of(*v.mappedip) > 0)
        why.push_back("a range mapped one-to-one is modelled as any address of the range");
      if (v.portforward && proto) {
        if (*proto != model::kProtoIcmp) {
          const auto ext = v.extport.value_or(std::make_pair(std::uint16_t{0}, std::uint16_t{65535}));
          n.match &= PacketSet::dport(*proto, ext.first, ext.second);
          n.to_ports = v.mappedport.value_or(ext);
          if (ext.second > ext.first && n.to_ports->second > n.to_ports->first)
            why.push_back("a port range mapped one-to-one is modelled as any port of the range");
        } else {
          n.match &= PacketSet::proto(model::kProtoIcmp);
        }
      }
    }
    n.uncertain = !why.empty();
    for (const auto& w : why) n.uncertain_why += (n.uncertain_why.empty() ? "" : "; ") + w;
    for (const auto& in : expand(v.extintf.written() ? v.extintf : Names{{"any"}, {}})) {
      model::DestinationNat copy = n;
      if (in) copy.in = model::InterfaceMatch{*in, false};
      out.push_back(std::move(copy));
    }
  }
}

void Lowerer::central_snat(std::vector<model::SourceNat>& out) {
  for (const auto& s : cfg_.central_snat) {
    if (!s.enabled) continue;
    for (const auto& o : expand(s.dstintf.written() ? s.dstintf : Names{{"any"}, {}})) {
      model::SourceNat n;
      if (o) n.out = model::InterfaceMatch{*o, false};
      n.match = PacketSet::all();  // its other conditions only narrow it: taken to apply
      n.evidence.push_back(ref(s.line, 0));
      out.push_back(std::move(n));
    }
  }
}

}  // namespace sanso::vendor::fortigate
