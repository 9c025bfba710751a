// Resolution of ASA object and object-group references. In ASA 9.x `any` stands for IPv4 and
// IPv6, `any4` and `any6` for one family (unified ACLs, 9.0); `icmp` matches IPv4 ICMP only and
// `icmp6` ICMPv6 only; ports apply to TCP, UDP and SCTP.
#include "vendor/asa/resolve.h"

#include <algorithm>

namespace sanso::vendor::asa {
namespace {

using model::Family;
using model::PacketSet;

AddrBounds exact(Ranges r) {
  r = normalize(std::move(r));
  return {r, r, {}};
}

AddrBounds unknown(std::string why) {
  return {{model::full_range(Family::V4), model::full_range(Family::V6)}, {}, {std::move(why)}};
}

void merge(AddrBounds& into, const AddrBounds& b) {
  into.over.insert(into.over.end(), b.over.begin(), b.over.end());
  into.under.insert(into.under.end(), b.under.begin(), b.under.end());
  into.why.insert(into.why.end(), b.why.begin(), b.why.end());
}

void merge(SvcBounds& into, const SvcBounds& b) {
  into.over |= b.over;
  into.under |= b.under;
  into.why.insert(into.why.end(), b.why.begin(), b.why.end());
}

PacketSet port_set(std::uint8_t proto, const std::vector<std::pair<std::uint16_t, std::uint16_t>>& r,
                   bool dst) {
  if (r.empty()) return PacketSet::proto(proto);
  std::vector<PacketSet> parts;
  for (const auto& [lo, hi] : r)
    parts.push_back(dst ? PacketSet::dport(proto, lo, hi) : PacketSet::sport(proto, lo, hi));
  return model::union_all(parts);
}

PacketSet icmp_set(std::uint8_t proto, std::optional<int> type, std::optional<int> code) {
  const auto t_lo = static_cast<std::uint8_t>(type.value_or(0));
  const auto t_hi = static_cast<std::uint8_t>(type.value_or(255));
  const auto c_lo = static_cast<std::uint8_t>(code.value_or(0));
  const auto c_hi = static_cast<std::uint8_t>(code.value_or(255));
  return PacketSet::icmp(proto, t_lo, t_hi, c_lo, c_hi) &
         PacketSet::family(proto == model::kProtoIcmp ? Family::V4 : Family::V6);
}

}  // namespace

Ranges normalize(Ranges r) {
  std::sort(r.begin(), r.end(), [](const model::IpRange& a, const model::IpRange& b) {
    return a.family != b.family ? a.family < b.family : a.lo < b.lo;
  });
  Ranges out;
  for (const auto& x : r) {
    if (!out.empty() && out.back().family == x.family &&
        (x.lo <= out.back().hi || x.lo - 1 == out.back().hi)) {
      out.back().hi = std::max(out.back().hi, x.hi);
      continue;
    }
    out.push_back(x);
  }
  return out;
}

PacketSet address_set(const Ranges& r, bool dst) {
  std::vector<PacketSet> parts;
  parts.reserve(r.size());
  for (const auto& x : r) parts.push_back(dst ? PacketSet::dst(x) : PacketSet::src(x));
  return model::union_of_disjoint(parts);
}

Resolver::Resolver(const AsaConfig& cfg) : cfg_(cfg) {
  for (const auto& o : cfg.network_objects) net_[o.name] = &o;
  for (const auto& o : cfg.service_objects) svc_[o.name] = &o;
  for (const auto& g : cfg.groups) grp_[g.name] = &g;
  for (const auto& i : cfg.interfaces)
    if (i.nameif) ifaces_[*i.nameif] = &i;
  any_v4_only_ = cfg.version && cfg.version->first < 9;
}

const NetworkObject* Resolver::network_object(const std::string& name) const {
  const auto it = net_.find(name);
  return it == net_.end() ? nullptr : it->second;
}

const ServiceObject* Resolver::service_object(const std::string& name) const {
  const auto it = svc_.find(name);
  return it == svc_.end() ? nullptr : it->second;
}

void Resolver::note(int line, const std::string& why) {
  if (line <= 0) return;
  auto [it, fresh] = unresolved_.try_emplace(line, why);
  if (!fresh && it->second.find(why) == std::string::npos) it->second += "; " + why;
}

void Resolver::undefined(const std::string& type, const std::string& name, int line) {
  if (undefined_seen_.insert({type, name}).second) undefined_.push_back({type, name, line});
  note(line, type + " " + name + " is not defined");
}

AddrBounds Resolver::address(const AddrTerm& t) {
  switch (t.kind) {
    case AddrTerm::Kind::Range:
      return exact({t.range});
    case AddrTerm::Kind::Any:
      if (any_v4_only_) {
        any_v4_only_used_ = true;
        return exact({model::full_range(Family::V4)});
      }
      return exact({model::full_range(Family::V4), model::full_range(Family::V6)});
    case AddrTerm::Kind::Any4:
      return exact({model::full_range(Family::V4)});
    case AddrTerm::Kind::Any6:
      return exact({model::full_range(Family::V6)});
    case AddrTerm::Kind::Object:
      return object_addresses(t.name, t.line);
    case AddrTerm::Kind::Group:
      return group_addresses(t.name, t.line);
    case AddrTerm::Kind::Interface: {
      const auto it = ifaces_.find(t.name);
      if (it == ifaces_.end()) {
        undefined("interface", t.name, t.line);
        return unknown("interface " + t.name + " is not defined");
      }
      Ranges r;
      for (const auto& h : it->second->hosts) r.push_back({h.family, h.value, h.value});
      if (!it->second->dhcp) return exact(std::move(r));
      AddrBounds b = unknown("the address of interface " + t.name + " is learnt at run time (dhcp/pppoe)");
      b.under = normalize(std::move(r));
      return b;
    }
    case AddrTerm::Kind::Fqdn:
      return unknown("fqdn " + t.name + " cannot be resolved offline");
    case AddrTerm::Kind::Bad:
      return unknown("unreadable address " + t.name);
  }
  return unknown("unreadable address");
}

AddrBounds Resolver::object_addresses(const std::string& name, int line) {
  const auto it = net_.find(name);
  if (it == net_.end()) {
    // `object NAME` may also name a network group in some contexts (NAT): try it.
    if (grp_.count(name) != 0) return group_addresses(name, line);
    undefined("object", name, line);
    return unknown("object " + name + " is not defined");
  }
  used_.insert(name);
  const NetworkObject& o = *it->second;
  if (o.terms.empty()) {
    note(o.at.line, "network object " + name + " has no address");
    return unknown("network object " + name + " has no address");
  }
  AddrBounds b = address(o.terms.front());
  if (!b.why.empty()) note(o.at.line, b.why.front());
  return b;
}

const AddrBounds& Resolver::group_addresses(const std::string& name, int line) {
  if (auto m = grp_memo_.find(name); m != grp_memo_.end()) return m->second;
  const auto it = grp_.find(name);
  if (it == grp_.end() || it->second->kind != "network") {
    if (it == grp_.end()) {
      undefined("object-group", name, line);
    } else {
      used_.insert(name);
    }
    return grp_memo_[name] = unknown(it == grp_.end() ? "object-group " + name + " is not defined"
                                                      : "object-group " + name + " (" + it->second->kind +
                                                            ") does not name addresses sanso resolves");
  }
  used_.insert(name);
  if (!busy_.insert(name).second) {
    note(line, "object-group " + name + " contains itself");
    return grp_memo_[name] = unknown("object-group " + name + " contains itself");
  }
  const ObjectGroup& g = *it->second;
  AddrBounds b;
  for (const auto& t : g.addresses) merge(b, address(t));
  for (const auto& [member, l] : g.groups) merge(b, group_addresses(member, l));
  for (const auto& [l, why] : g.bad) b.why.push_back("object-group " + name + ": " + why);
  busy_.erase(name);
  b.over = normalize(std::move(b.over));
  b.under = normalize(std::move(b.under));
  return grp_memo_[name] = std::move(b);
}

AddrBounds Resolver::named_address(const std::string& name, const std::string& nameif, int line) {
  if (name == "any") return address(AddrTerm{AddrTerm::Kind::Any, {}, {}, line});
  if (name == "interface") return address(AddrTerm{AddrTerm::Kind::Interface, {}, nameif, line});
  if (grp_.count(name) != 0 && net_.count(name) == 0) return group_addresses(name, line);
  return object_addresses(name, line);
}

PacketSet Resolver::ports(std::uint8_t proto, const PortCond& s, const PortCond& d,
                          std::vector<std::string>& why, int line) {
  auto ranges = [&](const PortCond& c) {
    return c.group.empty() ? c.ranges : port_group(c.group, line, why);
  };
  const auto sr = ranges(s);
  const auto dr = ranges(d);
  // A port group that resolves to nothing matches nothing; `any` is the empty condition.
  if ((!s.group.empty() && sr.empty()) || (!d.group.empty() && dr.empty())) return PacketSet::none();
  return port_set(proto, sr, false) & port_set(proto, dr, true);
}

std::vector<std::pair<std::uint16_t, std::uint16_t>> Resolver::port_group(
    const std::string& name, int line, std::vector<std::string>& why) {
  const auto it = grp_.find(name);
  if (it == grp_.end()) {
    undefined("object-group", name, line);
    why.push_back("object-group " + name + " is not defined");
    return {{0, 65535}};
  }
  used_.insert(name);
  if (!busy_.insert(name).second) {
    why.push_back("object-group " + name + " contains itself");
    return {{0, 65535}};
  }
  std::vector<std::pair<std::uint16_t, std::uint16_t>> out;
  for (const auto& t : it->second->services)
    out.insert(out.end(), t.dport.ranges.begin(), t.dport.ranges.end());
  for (const auto& [member, l] : it->second->groups) {
    const auto more = port_group(member, l, why);
    out.insert(out.end(), more.begin(), more.end());
  }
  for (const auto& [l, w] : it->second->bad) why.push_back("object-group " + name + ": " + w);
  busy_.erase(name);
  return out;
}

SvcBounds Resolver::term(const SvcTerm& t, const PortCond* sport, const PortCond* dport) {
  const PortCond& s = sport ? *sport : t.sport;
  const PortCond& d = dport ? *dport : t.dport;
  SvcBounds b;
  switch (t.kind) {
    case SvcTerm::Kind::Proto: {
      if (!t.proto) {
        b.over = b.under = PacketSet::all();
        return b;
      }
      const std::uint8_t p = *t.proto;
      if (p == model::kProtoTcp || p == model::kProtoUdp || p == model::kProtoSctp) {
        b.over = ports(p, s, d, b.why, t.line);
      } else if (p == model::kProtoIcmp || p == model::kProtoIcmpv6) {
        if (!t.icmp_group.empty()) {
          const auto it = grp_.find(t.icmp_group);
          if (it == grp_.end()) {
            undefined("object-group", t.icmp_group, t.line);
            b.why.push_back("object-group " + t.icmp_group + " is not defined");
            b.over = icmp_set(p, std::nullopt, std::nullopt);
          } else {
            used_.insert(t.icmp_group);
            for (int type : it->second->icmp_types) b.over |= icmp_set(p, type, std::nullopt);
          }
        } else {
          b.over = icmp_set(p, t.icmp_type, t.icmp_code);
        }
      } else {
        b.over = PacketSet::proto(p);
      }
      if (b.why.empty()) b.under = b.over;
      return b;
    }
    case SvcTerm::Kind::TcpUdp: {
      for (std::uint8_t p : {model::kProtoTcp, model::kProtoUdp}) b.over |= ports(p, s, d, b.why, t.line);
      if (b.why.empty()) b.under = b.over;
      return b;
    }
    case SvcTerm::Kind::Object: {
      const auto it = svc_.find(t.name);
      if (it == svc_.end() || it->second->terms.empty()) {
        if (it == svc_.end()) undefined("object", t.name, t.line);
        b.over = PacketSet::all();
        b.why.push_back("service object " + t.name + (it == svc_.end() ? " is not defined" : " has no service"));
        return b;
      }
      used_.insert(t.name);
      return term(it->second->terms.front(), nullptr, nullptr);
    }
    case SvcTerm::Kind::Group:
      return group_services(t.name, t, t.line);
    case SvcTerm::Kind::Bad:
      b.over = PacketSet::all();
      b.why.push_back("unreadable service " + t.name);
      return b;
  }
  return b;
}

SvcBounds Resolver::group_services(const std::string& name, const SvcTerm& ace, int line) {
  SvcBounds b;
  const auto it = grp_.find(name);
  if (it == grp_.end()) {
    undefined("object-group", name, line);
    b.over = PacketSet::all();
    b.why.push_back("object-group " + name + " is not defined");
    return b;
  }
  used_.insert(name);
  if (!busy_.insert(name).second) {
    b.over = PacketSet::all();
    b.why.push_back("object-group " + name + " contains itself");
    return b;
  }
  const ObjectGroup& g = *it->second;
  if (g.kind == "protocol") {
    // A protocol group as an ACE's protocol: the ACE's ports apply to its TCP/UDP/SCTP members.
    if (g.any_protocol) {
      SvcTerm all{SvcTerm::Kind::Proto, std::nullopt, {}, {}, {}, {}, {}, {}, line};
      if (ace.sport.any() && ace.dport.any()) merge(b, term(all, nullptr, nullptr));
      for (std::uint8_t p : {model::kProtoTcp, model::kProtoUdp, model::kProtoSctp}) {
        if (ace.sport.any() && ace.dport.any()) break;
        SvcTerm one{SvcTerm::Kind::Proto, p, ace.sport, ace.dport, {}, {}, {}, {}, line};
        merge(b, term(one, nullptr, nullptr));
      }
    }
    for (std::uint8_t p : g.protocols) {
      const bool port_proto = p == model::kProtoTcp || p == model::kProtoUdp || p == model::kProtoSctp;
      if (!port_proto && !(ace.sport.any() && ace.dport.any())) continue;  // ports exclude it
      SvcTerm one{SvcTerm::Kind::Proto, p, ace.sport, ace.dport, {}, {}, {}, {}, line};
      merge(b, term(one, nullptr, nullptr));
    }
  } else if (g.kind == "service") {
    for (const auto& t : g.services) merge(b, term(t, nullptr, nullptr));
  } else {
    b.over = PacketSet::all();
    b.why.push_back("object-group " + name + " (" + g.kind + ") does not name services sanso resolves");
  }
  for (const auto& [member, l] : g.groups) merge(b, group_services(member, ace, l));
  for (const auto& [l, why] : g.bad) b.why.push_back("object-group " + name + ": " + why);
  busy_.erase(name);
  return b;
}

SvcBounds Resolver::service(const SvcTerm& t) {
  SvcBounds b = term(t, nullptr, nullptr);
  std::sort(b.why.begin(), b.why.end());
  b.why.erase(std::unique(b.why.begin(), b.why.end()), b.why.end());
  return b;
}

}  // namespace sanso::vendor::asa
