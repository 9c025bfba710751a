// `object network|service` and `object-group network|service|protocol|icmp-type` blocks. An
// object written twice is reopened (running configs write `object network X` again before its
// NAT line); a later host/subnet/range/fqdn replaces the earlier one, as the CLI does.
#include <algorithm>

#include "vendor/asa/names.h"
#include "vendor/asa/parse_detail.h"

namespace sanso::vendor::asa::detail {

void Parser::object(int n, const Words& w) {
  if (w.size() < 3 || (w[1] != "network" && w[1] != "service")) {
    mode_ = Mode::Unknown;
    return unparsed(n, "unknown object type");
  }
  const std::string name(w[2]);
  if (w[1] == "network") {
    auto [it, fresh] = net_objects_.try_emplace(name, cfg_.network_objects.size());
    if (fresh) cfg_.network_objects.push_back({name, {n, n}, {}, {}});
    current_ = it->second;
    mode_ = Mode::NetObject;
    return;
  }
  auto [it, fresh] = svc_objects_.try_emplace(name, cfg_.service_objects.size());
  if (fresh) cfg_.service_objects.push_back({name, {n, n}, {}, {}});
  current_ = it->second;
  mode_ = Mode::SvcObject;
}

void Parser::object_group(int n, const Words& w) {
  if (w.size() < 3) {
    mode_ = Mode::Unknown;
    return unparsed(n, "object-group without a type and name");
  }
  const std::string name(w[2]);
  auto [it, fresh] = groups_.try_emplace(name, cfg_.groups.size());
  if (fresh) {
    ObjectGroup g;
    g.name = name;
    g.kind = std::string(w[1]);
    g.at = {n, n};
    if (w.size() >= 4 && g.kind == "service") g.port_proto = std::string(w[3]);
    cfg_.groups.push_back(std::move(g));
  }
  current_ = it->second;
  mode_ = Mode::Group;
  const ObjectGroup& g = cfg_.groups[current_];
  if (g.kind == "service" && !g.port_proto.empty() && g.port_proto != "tcp" &&
      g.port_proto != "udp" && g.port_proto != "tcp-udp")
    cfg_.groups[current_].bad.push_back({n, "service group of unknown protocol " + g.port_proto});
}

void Parser::net_object_sub(int n, const Words& w) {
  NetworkObject& o = cfg_.network_objects[current_];
  const std::string_view k = w[0];
  if (k == "description") return;
  if (k == "nat") return nat_line(n, w, o.name);
  AddrTerm t;
  t.line = n;
  if (k == "host" && w.size() == 2) {
    const auto a = ip_or_name(w[1]);
    if (!a) return unparsed(n, "unreadable host address");
    t.kind = AddrTerm::Kind::Range;
    t.range = {a->family, a->value, a->value};
  } else if (k == "subnet" && (w.size() == 3 || w.size() == 2)) {
    if (w.size() == 2) {  // IPv6: `subnet 2001:db8::/32`
      const auto r = model::parse_cidr(w[1]);
      if (!r) return unparsed(n, "unreadable subnet");
      t.kind = AddrTerm::Kind::Range;
      t.range = *r;
    } else {
      const auto a = ip_or_name(w[1]);
      const auto m = model::parse_ip(w[2]);
      const auto len = m ? mask_length(*m) : std::nullopt;
      if (!a || !len) return unparsed(n, "unreadable subnet");
      t.kind = AddrTerm::Kind::Range;
      t.range = masked(*a, *len);
    }
  } else if (k == "range" && w.size() == 3) {
    const auto a = ip_or_name(w[1]);
    const auto b = ip_or_name(w[2]);
    if (!a || !b || a->family != b->family || b->value < a->value)
      return unparsed(n, "unreadable range");
    t.kind = AddrTerm::Kind::Range;
    t.range = {a->family, a->value, b->value};
  } else if (k == "fqdn" && w.size() >= 2) {
    t.kind = AddrTerm::Kind::Fqdn;
    t.name = std::string(w.back());
  } else {
    return unparsed(n, "unknown network object command '" + std::string(k) + "'");
  }
  o.terms.assign(1, std::move(t));
}

void Parser::svc_object_sub(int n, const Words& w) {
  ServiceObject& o = cfg_.service_objects[current_];
  if (w[0] == "description") return;
  if (w[0] != "service") return unparsed(n, "unknown service object command '" + std::string(w[0]) + "'");
  Cursor c{w, 1};
  SvcTerm t;
  std::string error;
  if (!service_spec(c, n, t, error) || !c.done())
    return unparsed(n, error.empty() ? "unreadable service" : error);
  o.terms.assign(1, std::move(t));
}

void Parser::group_sub(int n, const Words& w) {
  ObjectGroup& g = cfg_.groups[current_];
  const std::string_view k = w[0];
  if (k == "description") return;
  if (k == "group-object" && w.size() == 2) {
    g.groups.push_back({std::string(w[1]), n});
    return;
  }
  if (k == "network-object" && g.kind == "network") {
    Cursor c{w, 1};
    AddrTerm t;
    // `network-object A M` has no `host`: address() reads it as an address and mask.
    if (!address(c, n, t) || !c.done() || t.kind == AddrTerm::Kind::Bad) {
      g.bad.push_back({n, "unreadable network-object"});
      return unparsed(n, "unreadable network-object");
    }
    g.addresses.push_back(std::move(t));
    return;
  }
  if (k == "port-object" && g.kind == "service" && !g.port_proto.empty()) {
    Cursor c{w, 1};
    PortCond p;
    std::string error;
    if (!port_cond(c, g.port_proto != "udp", p, error) || !c.done() || !p.group.empty()) {
      g.bad.push_back({n, error.empty() ? "unreadable port-object" : error});
      return unparsed(n, error.empty() ? "unreadable port-object" : error);
    }
    SvcTerm t;
    t.line = n;
    if (g.port_proto == "tcp-udp") {
      t.kind = SvcTerm::Kind::TcpUdp;
    } else {
      t.kind = SvcTerm::Kind::Proto;
      t.proto = g.port_proto == "tcp" ? model::kProtoTcp : model::kProtoUdp;
    }
    t.dport = std::move(p);
    g.services.push_back(std::move(t));
    return;
  }
  if (k == "service-object" && g.kind == "service") {
    Cursor c{w, 1};
    SvcTerm t;
    std::string error;
    if (c.peek() == "object" && w.size() == 3) {
      t.kind = SvcTerm::Kind::Object;
      t.name = std::string(w[2]);
      t.line = n;
    } else if (!service_spec(c, n, t, error) || !c.done()) {
      g.bad.push_back({n, error.empty() ? "unreadable service-object" : error});
      return unparsed(n, error.empty() ? "unreadable service-object" : error);
    }
    g.services.push_back(std::move(t));
    return;
  }
  if (k == "protocol-object" && g.kind == "protocol" && w.size() == 2) {
    if (w[1] == "ip") {
      g.any_protocol = true;
      return;
    }
    const auto p = protocol_number(w[1]);
    if (!p) {
      g.bad.push_back({n, "unknown protocol " + std::string(w[1])});
      return unparsed(n, "unknown protocol " + std::string(w[1]));
    }
    g.protocols.push_back(*p);
    return;
  }
  if (k == "icmp-object" && g.kind == "icmp-type" && w.size() == 2) {
    const auto t = icmp_type(w[1], false);
    if (!t) {
      g.bad.push_back({n, "unknown icmp type " + std::string(w[1])});
      return unparsed(n, "unknown icmp type " + std::string(w[1]));
    }
    if (is_port_name(w[1])) cfg_.port_names_used = true;
    g.icmp_types.push_back(*t);
    return;
  }
  // Members of groups sanso does not resolve (user, security, network-service, ...): the group
  // is uncertain wherever it is used, so its lines need no note of their own.
  if (g.kind != "network" && g.kind != "service" && g.kind != "protocol" && g.kind != "icmp-type")
    return;
  g.bad.push_back({n, "unknown object-group command '" + std::string(k) + "'"});
  unparsed(n, "unknown object-group command '" + std::string(k) + "'");
}

}  // namespace sanso::vendor::asa::detail
