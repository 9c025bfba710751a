// Interfaces, zones, address and service objects, VIPs and IP pools: what each entry says after
// its commands are applied in order. Keys that cannot change which packets an object stands for
// (comments, colours, UUIDs, GUI visibility, ...) are read past; any other unknown key is listed.
#include <algorithm>
#include <initializer_list>

#include "vendor/fortigate/extract_detail.h"

namespace sanso::vendor::fortigate::detail {
namespace {

bool one_of(const std::string& key, std::initializer_list<std::string_view> keys) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// Keys of every object table that never change what the object matches.
bool cosmetic(const std::string& key) {
  return one_of(key, {"uuid", "comment", "comments", "color", "visibility", "fabric-object",
                      "category", "allow-routing", "associated-interface", "tags", "tagging",
                      "dirty", "obj-type", "sub-type", "list", "cache-ttl", "hide", "description",
                      "global-object", "proxy", "node-ip-only", "passive-fqdn-learning"});
}

void unknown_command(const Command& c, const std::string& what, const Notes& notes) {
  notes.add(c.line, "'" + c.verb + "' in " + what + " is not understood");
}

std::vector<std::string> values(const Command& c) {
  if (c.verb == "unset" || c.args.size() < 2) return {};
  return {c.args.begin() + 1, c.args.end()};
}

void read_interface_addresses(const Block& b, InterfaceDef& i, const Notes& notes) {
  // `config ipv6` (set ip6-address), `config secondaryip` (edit N / set ip A M).
  for (const Command& c : b.commands) {
    const auto& key = key_of(c);
    if (key != "ip6-address" && key != "ip") continue;
    const auto v = values(c);
    if (v.empty()) continue;
    const auto r = parse_subnet(v);
    if (!r) {
      notes.add(c.line, "interface address not understood");
      continue;
    }
    if (!(r->family == model::Family::V4 && r->lo == 0 && r->hi == model::family_max(r->family)))
      i.addresses.push_back(*r);
  }
  for (const Entry& e : b.entries) {
    Block as_block;
    as_block.commands = e.commands;
    read_interface_addresses(as_block, i, notes);
  }
  for (const Block& inner : b.blocks) read_interface_addresses(inner, i, notes);
}

}  // namespace

void extract_interfaces(const Block& b, const std::string& vdom, bool multi_vdom,
                        FortigateConfig& cfg, const Notes& notes) {
  for (const Entry& e : b.entries) {
    InterfaceDef i;
    i.name = e.name;
    i.line = e.line;
    for (const Command& c : e.commands) {
      const auto& key = key_of(c);
      const auto v = value_of(c);
      if (key.empty()) {
        unknown_command(c, "system interface", notes);
      } else if (key == "vdom") {
        i.vdom = v.value_or("");
      } else if (key == "type") {
        i.type = v.value_or("");
      } else if (key == "interface") {
        i.parent = v.value_or("");
      } else if (key == "vlanid") {
        i.vlanid = v ? to_int(*v) : std::nullopt;
      } else if (key == "ip") {
        i.addresses.erase(std::remove_if(i.addresses.begin(), i.addresses.end(),
                                         [](const model::IpRange& r) {
                                           return r.family == model::Family::V4;
                                         }),
                          i.addresses.end());
        Block one;
        one.commands.push_back(c);
        read_interface_addresses(one, i, notes);
      }
      // Every other interface attribute (allowaccess, role, mtu, ...) concerns the device
      // itself or L2 details, not which forwarded packets the policies admit.
    }
    for (const Block& inner : e.blocks) read_interface_addresses(inner, i, notes);
    const std::string& owner = i.vdom.empty() ? std::string("root") : i.vdom;
    if (multi_vdom && owner != vdom) continue;  // another VDOM's interface
    if (!multi_vdom && !i.vdom.empty() && i.vdom != vdom) continue;
    cfg.interfaces.push_back(std::move(i));
  }
}

void extract_zones(const Block& b, FortigateConfig& cfg, const Notes& notes) {
  for (const Entry& e : b.entries) {
    ZoneDef z;
    z.name = e.name;
    z.line = e.line;
    for (const Command& c : e.commands) {
      const auto& key = key_of(c);
      if (key.empty()) {
        unknown_command(c, "system zone", notes);
      } else if (key == "interface") {
        apply_list(z.interfaces, c);
      } else if (key == "intrazone") {
        const auto v = value_of(c);
        if (!v) {
          z.intrazone_allow.reset();
        } else if (*v == "allow" || *v == "deny") {
          z.intrazone_allow = *v == "allow";
        } else {
          notes.add(c.line, "intrazone value '" + *v + "' not understood");
          z.intrazone_allow = true;  // unknown: the more permissive reading
        }
        z.intrazone_line = c.line;
      }
    }
    cfg.zones.push_back(std::move(z));
  }
}

void extract_addresses(const Block& b, model::Family family, FortigateConfig& cfg,
                       const Notes& notes) {
  const std::string what = family == model::Family::V4 ? "firewall address" : "firewall address6";
  for (const Entry& e : b.entries) {
    AddressDef a;
    a.name = e.name;
    a.line = e.line;
    a.end_line = e.end_line;
    a.family = family;
    for (const Command& c : e.commands) {
      const auto& key = key_of(c);
      const auto v = values(c);
      if (key.empty()) {
        unknown_command(c, what, notes);
      } else if (key == "type") {
        a.type = v.empty() ? "" : v[0];
        a.type_line = c.line;
      } else if (key == "subnet" || key == "ip6") {
        a.subnet.reset();
        a.subnet_line = c.line;
        if (v.empty()) continue;
        a.subnet = parse_subnet(v);
        if (!a.subnet || a.subnet->family != family) {
          a.subnet.reset();
          a.bad_value = "address '" + (v.size() > 1 ? v[0] + " " + v[1] : v[0]) +
                        "' not understood";
          a.bad_line = c.line;
        }
      } else if (key == "start-ip" || key == "end-ip") {
        (key == "start-ip" ? a.start_ip : a.end_ip) = v.empty() ? "" : v[0];
        a.range_line = c.line;
      } else if (key == "wildcard") {
        // A contiguous wildcard is a subnet; any other one is a set sanso does not build.
        a.subnet = parse_subnet(v);
        a.subnet_line = c.line;
        if (!a.subnet) {
          a.bad_value = "wildcard with a non-contiguous mask is not modelled";
          a.bad_line = c.line;
        }
      } else if (key == "fqdn" || key == "country" || key == "macaddr" || key == "sdn" ||
                 key == "filter" || key == "interface" || key == "wildcard-fqdn" ||
                 key == "template" || key == "host" || key == "host-type" || key == "epg-name" ||
                 key == "tenant" || key == "organization" || key == "sdn-tag" ||
                 key == "policy-group" || key == "route-tag" || key == "obj-id" ||
                 key == "clearpass-spt" || key == "fsso-group" || key == "sso-attribute-value" ||
                 key == "tag-detection-level" || key == "tag-type" || key == "sdn-addr-type" ||
                 key == "subnet-name" || key == "country-code") {
        // Fields of the types sanso does not resolve; the type decides (resolve.cpp).
      } else if (!cosmetic(key)) {
        notes.add(c.line, "unknown key '" + key + "' in " + what + " " + e.name);
      }
    }
    if (!a.start_ip.empty() || !a.end_ip.empty()) {
      const auto lo = model::parse_ip(a.start_ip);
      const auto hi = model::parse_ip(a.end_ip.empty() ? a.start_ip : a.end_ip);
      if (lo && hi && lo->family == family && hi->family == family && lo->value <= hi->value) {
        a.range = model::IpRange{family, lo->value, hi->value};
      } else {
        a.bad_value = "address range '" + a.start_ip + "-" + a.end_ip + "' not understood";
        a.bad_line = a.range_line;
      }
    }
    for (const Block& inner : e.blocks) {
      if (inner.path == "tagging" || inner.path == "list" || inner.path == "macaddr") continue;
      note_all(inner, "'config " + inner.path + "' in " + what + " is not understood", notes);
    }
    cfg.addresses.push_back(std::move(a));
  }
}

void extract_addrgrps(const Block& b, model::Family family, FortigateConfig& cfg,
                      const Notes& notes) {
  const std::string what = family == model::Family::V4 ? "firewall addrgrp" : "firewall addrgrp6";
  for (const Entry& e : b.entries) {
    AddrGroupDef g;
    g.name = e.name;
    g.line = e.line;
    g.end_line = e.end_line;
    g.family = family;
    for (const Command& c : e.commands) {
      const auto& key = key_of(c);
      if (key.empty()) {
        unknown_command(c, what, notes);
      } else if (key == "member") {
        apply_list(g.members, c);
      } else if (key == "exclude") {
        g.exclude = is_enable(c);
      } else if (key == "exclude-member") {
        apply_list(g.exclude_members, c);
      } else if (key == "type" && value_of(c).value_or("default") != "default") {
        notes.add(c.line, "address group type '" + *value_of(c) + "' is not modelled");
      } else if (key != "type" && !cosmetic(key)) {
        notes.add(c.line, "unknown key '" + key + "' in " + what + " " + e.name);
      }
    }
    for (const Block& inner : e.blocks)
      if (inner.path != "tagging") note_all(inner, "'config " + inner.path + "' not understood", notes);
    cfg.addrgrps.push_back(std::move(g));
  }
}

namespace {

// "dlo[-dhi][:slo[-shi]]" -> PortSpec.
std::optional<PortSpec> parse_port_spec(const std::string& text) {
  const auto colon = text.find(':');
  const auto dst = parse_ports(std::string_view(text).substr(0, colon));
  if (!dst) return std::nullopt;
  PortSpec p{dst->first, dst->second, std::nullopt};
  if (colon != std::string::npos) {
    const auto src = parse_ports(std::string_view(text).substr(colon + 1));
    if (!src) return std::nullopt;
    p.src = *src;
  }
  return p;
}

void clear_protocol_fields(ServiceDef& s) {
  s.tcp.clear();
  s.udp.clear();
  s.sctp.clear();
  s.icmptype.reset();
  s.icmpcode.reset();
  s.protocol_number.reset();
}

}  // namespace

void extract_services(const Block& b, FortigateConfig& cfg, const Notes& notes) {
  for (const Entry& e : b.entries) {
    ServiceDef s;
    s.name = e.name;
    s.line = e.line;
    s.end_line = e.end_line;
    for (const Command& c : e.commands) {
      const auto& key = key_of(c);
      const auto v = values(c);
      if (key.empty()) {
        unknown_command(c, "firewall service custom", notes);
      } else if (key == "protocol") {
        const std::string p = v.empty() ? "" : v[0];
        if (p != s.protocol) clear_protocol_fields(s);
        s.protocol = p;
        s.protocol_line = c.line;
      } else if (key == "tcp-portrange" || key == "udp-portrange" || key == "sctp-portrange") {
        auto& list = key == "tcp-portrange" ? s.tcp : key == "udp-portrange" ? s.udp : s.sctp;
        if (c.verb != "append") list.clear();
        for (const auto& item : v) {
          if (auto p = parse_port_spec(item)) {
            list.push_back(*p);
          } else {
            s.bad_value = "port range '" + item + "' not understood";
            s.bad_line = c.line;
          }
        }
      } else if (key == "icmptype" || key == "icmpcode" || key == "protocol-number") {
        auto& field = key == "icmptype" ? s.icmptype
                      : key == "icmpcode" ? s.icmpcode : s.protocol_number;
        field.reset();
        if (v.empty()) continue;
        const auto n = to_int(v[0]);
        if (n && *n >= 0 && *n <= 255) {
          field = *n;
        } else {
          s.bad_value = key + " '" + v[0] + "' not understood";
          s.bad_line = c.line;
        }
      } else if (key == "iprange") {
        s.iprange.reset();
        if (v.empty() || v[0] == "0.0.0.0") continue;
        s.iprange = parse_range(v[0]);
        if (!s.iprange) {
          s.bad_value = "iprange '" + v[0] + "' not understood";
          s.bad_line = c.line;
        }
      } else if (key == "fqdn") {
        s.fqdn = v.empty() ? "" : v[0];
        s.fqdn_line = c.line;
      } else if (!cosmetic(key) &&
                 !one_of(key, {"helper", "check-reset-range", "session-ttl", "tcp-halfclose-timer",
                               "tcp-halfopen-timer", "tcp-timewait-timer", "tcp-rst-timer",
                               "udp-idle-timer", "app-service-type", "app-category",
                               "application", "fabric-object"})) {
        notes.add(c.line, "unknown key '" + key + "' in firewall service custom " + e.name);
      }
    }
    cfg.services.push_back(std::move(s));
  }
}

void extract_service_groups(const Block& b, FortigateConfig& cfg, const Notes& notes) {
  for (const Entry& e : b.entries) {
    ServiceGroupDef g;
    g.name = e.name;
    g.line = e.line;
    g.end_line = e.end_line;
    for (const Command& c : e.commands) {
      const auto& key = key_of(c);
      if (key.empty()) unknown_command(c, "firewall service group", notes);
      else if (key == "member") apply_list(g.members, c);
      else if (!cosmetic(key)) notes.add(c.line, "unknown key '" + key + "' in firewall service group");
    }
    cfg.service_groups.push_back(std::move(g));
  }
}

void extract_vips(const Block& b, FortigateConfig& cfg, const Notes& notes) {
  for (const Entry& e : b.entries) {
    VipDef vip;
    vip.name = e.name;
    vip.line = e.line;
    vip.end_line = e.end_line;
    for (const Command& c : e.commands) {
      const auto& key = key_of(c);
      const auto v = values(c);
      const auto bad = [&](const std::string& why) {
        vip.bad_value = why;
        vip.bad_line = c.line;
      };
      if (key.empty()) {
        unknown_command(c, "firewall vip", notes);
      } else if (key == "type") {
        vip.type = v.empty() ? "" : v[0];
      } else if (key == "extip") {
        vip.extip = v.size() == 1 ? parse_range(v[0]) : std::nullopt;
        if (!vip.extip) bad("extip not understood");
      } else if (key == "mappedip") {
        vip.mappedip = v.size() == 1 ? parse_range(v[0]) : std::nullopt;
        if (!vip.mappedip) bad(v.size() > 1 ? "several mapped ranges are not modelled"
                                            : "mappedip not understood");
      } else if (key == "extintf") {
        apply_list(vip.extintf, c);
      } else if (key == "portforward") {
        vip.portforward = is_enable(c);
      } else if (key == "protocol") {
        vip.protocol = v.empty() ? "" : v[0];
      } else if (key == "extport" || key == "mappedport") {
        auto& field = key == "extport" ? vip.extport : vip.mappedport;
        field = v.size() == 1 ? parse_ports(v[0]) : std::nullopt;
        if (!field && !v.empty()) bad(key + " not understood");
      } else if (key == "src-filter" || key == "service" || key == "realservers" ||
                 key == "ldb-method" || key == "server-type" || key == "mapped-addr" ||
                 key == "extaddr" || key == "portmapping-type" || key == "h2-support" ||
                 key == "src-vip-filter" || key == "srcintf-filter") {
        if (!v.empty()) vip.unmodelled.push_back({c.line, "VIP attribute '" + key + "' is not modelled"});
      } else if (!cosmetic(key) &&
                 !one_of(key, {"arp-reply", "nat-source-vip", "gratuitous-arp-interval",
                               "dns-mapping-ttl", "http-redirect", "status", "id", "nat44",
                               "nat46", "ipv6-mappedip", "add-nat46-route",
                               "max-embryonic-connections"})) {
        notes.add(c.line, "unknown key '" + key + "' in firewall vip " + e.name);
      }
      if (key == "status") vip.enabled = value_of(c).value_or("enable") != "disable";
    }
    for (const Block& inner : e.blocks)
      vip.unmodelled.push_back({inner.line, "'config " + inner.path + "' in a VIP is not modelled"});
    cfg.vips.push_back(std::move(vip));
  }
}

void extract_vipgrps(const Block& b, FortigateConfig& cfg, const Notes& notes) {
  for (const Entry& e : b.entries) {
    VipGroupDef g;
    g.name = e.name;
    g.line = e.line;
    for (const Command& c : e.commands) {
      const auto& key = key_of(c);
      if (key == "member") apply_list(g.members, c);
      else if (key.empty()) unknown_command(c, "firewall vipgrp", notes);
    }
    cfg.vipgrps.push_back(std::move(g));
  }
}

void extract_ippools(const Block& b, FortigateConfig& cfg, const Notes&) {
  // Recorded by name: the policy that names a pool is what source-NATs (policy nat/poolname).
  for (const Entry& e : b.entries) cfg.ippools.push_back(IppoolDef{e.name, e.line});
}

}  // namespace sanso::vendor::fortigate::detail
