// Object resolution with memoisation and cycle detection. Defaults of FortiOS applied here: an
// address without `subnet` is 0.0.0.0/0 (address6: ::/0), `all` and `none` exist even when the
// config omits them, a TCP/UDP/SCTP port range without `:src` matches any source port, ICMP
// without `icmptype` matches every type, `protocol IP` with number 0 (or none) is every protocol.
#include "vendor/fortigate/resolve.h"

#include <algorithm>

#include "vendor/fortigate/predefined.h"

namespace sanso::vendor::fortigate {
namespace {

using model::Family;
using model::PacketSet;

int fam(Family f) { return static_cast<int>(f); }

Ranges full(Family f) { return {model::full_range(f)}; }

bool is_static_nat(const VipDef& v) { return v.type.empty() || v.type == "static-nat"; }

std::string family_word(Family f) { return f == Family::V4 ? "address" : "address6"; }

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

Ranges unite(const Ranges& a, const Ranges& b) {
  Ranges all = a;
  all.insert(all.end(), b.begin(), b.end());
  return normalize(std::move(all));
}

Ranges subtract(const Ranges& a, const Ranges& b) {
  Ranges out;
  for (model::IpRange x : a) {
    bool gone = false;
    for (const auto& y : b) {
      if (y.family != x.family || y.hi < x.lo || y.lo > x.hi) continue;
      if (y.lo > x.lo) out.push_back({x.family, x.lo, y.lo - 1});
      if (y.hi >= x.hi) {
        gone = true;
        break;
      }
      x.lo = y.hi + 1;
    }
    if (!gone) out.push_back(x);
  }
  return normalize(std::move(out));
}

PacketSet address_set(const Ranges& r, bool dst) {
  std::vector<PacketSet> parts;
  parts.reserve(r.size());
  for (const auto& x : r) parts.push_back(dst ? PacketSet::dst(x) : PacketSet::src(x));
  return model::union_of_disjoint(parts);
}

Resolver::Resolver(const FortigateConfig& cfg) : cfg_(cfg) {
  // A later definition of the same name replaces an earlier one, as re-editing does.
  for (const auto& a : cfg.addresses) addr_[{a.name, fam(a.family)}] = &a;
  for (const auto& g : cfg.addrgrps) grp_[{g.name, fam(g.family)}] = &g;
  for (const auto& s : cfg.services) svc_[s.name] = &s;
  for (const auto& g : cfg.service_groups) svcgrp_[g.name] = &g;
  for (const auto& v : cfg.vips) vip_[v.name] = &v;
  for (const auto& g : cfg.vipgrps) vipgrp_[g.name] = &g;
  Ranges space;
  for (const auto& v : cfg.vips) {
    if (!v.enabled) continue;
    if (is_static_nat(v) && v.mappedip && v.mappedip->family == Family::V4) {
      space.push_back(*v.mappedip);
    } else {
      space.push_back(model::full_range(Family::V4));
    }
  }
  vip_space_ = normalize(std::move(space));
}

void Resolver::note(int line, const std::string& why) {
  if (line <= 0) return;
  auto [it, fresh] = unresolved_.try_emplace(line, why);
  if (!fresh && it->second.find(why) == std::string::npos) it->second += "; " + why;
}

AddrBounds Resolver::addresses(const std::vector<std::string>& names, Family f, bool dst,
                               bool negate, int line) {
  AddrBounds out;
  for (const auto& n : names) {
    const AddrBounds& b = address(n, f, dst, line);
    out.over = unite(out.over, b.over);
    out.under = unite(out.under, b.under);
    out.why.insert(out.why.end(), b.why.begin(), b.why.end());
  }
  if (negate) {
    Ranges over = subtract(full(f), out.under);
    out.under = subtract(full(f), out.over);
    out.over = std::move(over);
  }
  return out;
}

const AddrBounds& Resolver::address(const std::string& name, Family f, bool dst, int line) {
  const auto key = std::make_tuple(name, fam(f), dst);
  auto it = addr_memo_.find(key);
  if (it != addr_memo_.end()) return it->second;
  AddrBounds b = resolve_address(name, f, dst, line);
  return addr_memo_.emplace(key, std::move(b)).first->second;
}

AddrBounds Resolver::resolve_address(const std::string& name, Family f, bool dst, int line) {
  AddrBounds unknown{full(f), {}, {}};
  if (auto a = addr_.find({name, fam(f)}); a != addr_.end()) {
    const AddressDef& d = *a->second;
    const std::string type = d.type.empty() ? (f == Family::V4 ? "ipmask" : "ipprefix") : d.type;
    if (!d.bad_value.empty()) {
      unknown.why.push_back(family_word(f) + " " + name + ": " + d.bad_value);
      note(d.bad_line, d.bad_value);
      return unknown;
    }
    if (type == "ipmask" || type == "ipprefix" || type == "interface-subnet" || type == "wildcard") {
      const Ranges r = d.subnet ? Ranges{*d.subnet} : full(f);
      return {r, r, {}};
    }
    if (type == "iprange" && d.range) return {{*d.range}, {*d.range}, {}};
    const std::string why = family_word(f) + " " + name + " of type " + type +
                            " cannot be resolved offline";
    unknown.why.push_back(why);
    note(d.type_line > 0 ? d.type_line : d.line, "address of type " + type +
                                                     " cannot be resolved offline");
    return unknown;
  }
  if (auto g = grp_.find({name, fam(f)}); g != grp_.end()) {
    const AddrGroupDef& d = *g->second;
    if (!addr_busy_.insert({name, fam(f)}).second) {
      unknown.why.push_back("address group " + name + " contains itself");
      note(d.line, "address group contains itself");
      return unknown;
    }
    const int ml = d.members.lines.empty() ? d.line : d.members.lines.front();
    AddrBounds m = addresses(d.members.names, f, dst, false, ml);
    if (d.exclude) {
      const int el = d.exclude_members.lines.empty() ? d.line : d.exclude_members.lines.front();
      AddrBounds x = addresses(d.exclude_members.names, f, dst, false, el);
      m.over = subtract(m.over, x.under);
      m.under = subtract(m.under, x.over);
      m.why.insert(m.why.end(), x.why.begin(), x.why.end());
    }
    addr_busy_.erase({name, fam(f)});
    return m;
  }
  if (dst && f == Family::V4) {
    // A VIP in dstaddr: the policy sees the translated (mapped) destination (to_model.cpp).
    if (auto v = vip_.find(name); v != vip_.end()) {
      const VipDef& d = *v->second;
      if (is_static_nat(d) && d.mappedip && d.bad_value.empty()) return {{*d.mappedip}, {*d.mappedip}, {}};
      unknown.why.push_back("VIP " + name + " is not modelled");
      return unknown;
    }
    if (auto g = vipgrp_.find(name); g != vipgrp_.end()) {
      if (!addr_busy_.insert({name, 0}).second) return unknown;
      AddrBounds m = addresses(g->second->members.names, f, dst, false, g->second->line);
      addr_busy_.erase({name, 0});
      return m;
    }
  }
  if (name == "all") return {full(f), full(f), {}};
  if (name == "none") return {};
  if (undefined_seen_.insert({family_word(f), name}).second)
    undefined_.push_back({family_word(f), name, line});
  unknown.why.push_back(family_word(f) + " " + name + " is not defined");
  note(line, family_word(f) + " " + name + " is not defined");
  return unknown;
}

SvcBounds Resolver::services(const std::vector<std::string>& names, bool negate, int line) {
  SvcBounds out;
  for (const auto& n : names) {
    const SvcBounds& b = service(n, line);
    out.over |= b.over;
    out.under |= b.under;
    out.why.insert(out.why.end(), b.why.begin(), b.why.end());
  }
  if (negate) {
    PacketSet over = PacketSet::all() - out.under;
    out.under = PacketSet::all() - out.over;
    out.over = std::move(over);
  }
  return out;
}

const SvcBounds& Resolver::service(const std::string& name, int line) {
  auto it = svc_memo_.find(name);
  if (it != svc_memo_.end()) return it->second;
  SvcBounds b = resolve_service(name, line);
  return svc_memo_.emplace(name, std::move(b)).first->second;
}

SvcBounds Resolver::resolve_service(const std::string& name, int line) {
  if (auto s = svc_.find(name); s != svc_.end()) return custom_service(*s->second);
  if (auto g = svcgrp_.find(name); g != svcgrp_.end()) {
    if (!svc_busy_.insert(name).second) {
      note(g->second->line, "service group contains itself");
      return {PacketSet::all(), {}, {"service group " + name + " contains itself"}};
    }
    const auto& m = g->second->members;
    SvcBounds b = services(m.names, false, m.lines.empty() ? g->second->line : m.lines.front());
    svc_busy_.erase(name);
    return b;
  }
  if (auto p = predefined_service(name)) {
    predefined_used_.insert(name);
    return {*p, *p, {}};
  }
  if (undefined_seen_.insert({"service", name}).second) undefined_.push_back({"service", name, line});
  note(line, "service " + name + " is not defined");
  return {PacketSet::all(), {}, {"service " + name + " is not defined"}};
}

SvcBounds Resolver::custom_service(const ServiceDef& s) {
  const std::string proto = s.protocol.empty() ? "TCP/UDP/SCTP" : s.protocol;
  if (!s.bad_value.empty()) {
    note(s.bad_line, s.bad_value);
    return {PacketSet::all(), {}, {"service " + s.name + ": " + s.bad_value}};
  }
  PacketSet set;
  if (proto == "TCP/UDP/SCTP" || proto == "TCP/UDP/UDP-Lite/SCTP") {
    const std::pair<std::uint8_t, const std::vector<PortSpec>*> lists[] = {
        {model::kProtoTcp, &s.tcp}, {model::kProtoUdp, &s.udp}, {model::kProtoSctp, &s.sctp}};
    for (const auto& [p, list] : lists) {
      for (const PortSpec& spec : *list) {
        PacketSet one = PacketSet::dport(p, spec.dlo, spec.dhi);
        if (spec.src) one &= PacketSet::sport(p, spec.src->first, spec.src->second);
        set |= one;
      }
    }
  } else if (proto == "ICMP" || proto == "ICMP6") {
    const std::uint8_t p = proto == "ICMP" ? model::kProtoIcmp : model::kProtoIcmpv6;
    if (!s.icmptype) {
      set = PacketSet::proto(p);
    } else {
      const auto t = static_cast<std::uint8_t>(*s.icmptype);
      set = s.icmpcode ? PacketSet::icmp(p, t, t, static_cast<std::uint8_t>(*s.icmpcode),
                                         static_cast<std::uint8_t>(*s.icmpcode))
                       : PacketSet::icmp(p, t, t);
    }
  } else if (proto == "IP" || proto == "ALL") {
    set = !s.protocol_number || *s.protocol_number == 0
              ? PacketSet::all()
              : PacketSet::proto(static_cast<std::uint8_t>(*s.protocol_number));
  } else {
    note(s.protocol_line, "service protocol " + proto + " is not modelled");
    return {PacketSet::all(), {}, {"service " + s.name + " protocol " + proto + " not modelled"}};
  }
  if (s.iprange) set &= PacketSet::dst(*s.iprange);
  if (!s.fqdn.empty()) {
    note(s.fqdn_line, "service restricted to an FQDN cannot be resolved offline");
    return {set, {}, {"service " + s.name + " is restricted to FQDN " + s.fqdn}};
  }
  return {set, set, {}};
}

}  // namespace sanso::vendor::fortigate
