// `access-list` and `access-group` lines, and the address / port / service terms they (and the
// object groups) are made of. Grammar: ASA 9.x command reference, access-list extended:
//   access-list NAME [line N] extended {permit|deny} PROTO [user ...] SRC [SPORT] [security-group ...]
//     DST [DPORT | ICMP_TYPE [CODE]] [log [LEVEL] [interval S] | log disable | log default]
//     [time-range NAME] [inactive]
// After SRC, `object-group X` is a source port group when X is a typed service group (its
// ports), otherwise the destination: the ASA itself decides it by the group's type.
#include <algorithm>

#include "vendor/asa/names.h"
#include "vendor/asa/parse_detail.h"

namespace sanso::vendor::asa::detail {
namespace {

bool is_port_op(std::string_view w) {
  return w == "eq" || w == "neq" || w == "lt" || w == "gt" || w == "range";
}

bool is_log_level(std::string_view w) {
  constexpr std::string_view kLevels[] = {"emergencies", "alerts",        "critical",
                                          "errors",      "warnings",      "notifications",
                                          "informational", "debugging", "0", "1", "2", "3",
                                          "4", "5", "6", "7"};
  return std::find(std::begin(kLevels), std::end(kLevels), w) != std::end(kLevels);
}

bool is_option(std::string_view w) { return w == "log" || w == "time-range" || w == "inactive"; }

std::string joined(const Words& w, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < w.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += w[i];
  }
  return out;
}

}  // namespace

std::string_view Parser::group_kind(std::string_view name) const {
  const auto it = groups_.find(name);
  return it == groups_.end() ? std::string_view() : std::string_view(cfg_.groups[it->second].kind);
}

bool Parser::typed_port_group(std::string_view name) const {
  const auto it = groups_.find(name);
  return it != groups_.end() && cfg_.groups[it->second].kind == "service" &&
         !cfg_.groups[it->second].port_proto.empty();
}

bool Parser::address(Cursor& c, int n, AddrTerm& out) {
  const std::string_view w = c.peek();
  out = AddrTerm{};
  out.line = n;
  if (w == "any" || w == "any4" || w == "any6") {
    out.kind = w == "any" ? AddrTerm::Kind::Any : w == "any4" ? AddrTerm::Kind::Any4 : AddrTerm::Kind::Any6;
    c.next();
    return true;
  }
  if ((w == "object" || w == "object-group" || w == "interface") && !c.peek(1).empty()) {
    out.kind = w == "object" ? AddrTerm::Kind::Object
                             : w == "object-group" ? AddrTerm::Kind::Group : AddrTerm::Kind::Interface;
    c.next();
    out.name = std::string(c.next());
    return true;
  }
  if (w == "host") {
    const auto a = ip_or_name(c.peek(1));
    if (!a) return false;
    c.i += 2;
    out.kind = AddrTerm::Kind::Range;
    out.range = {a->family, a->value, a->value};
    return true;
  }
  if (w.find('/') != std::string_view::npos) {
    const auto r = model::parse_cidr(w);
    if (!r) return false;
    c.next();
    out.kind = AddrTerm::Kind::Range;
    out.range = *r;
    return true;
  }
  const auto a = ip_or_name(w);
  if (!a || a->family != model::Family::V4) return false;
  const auto m = model::parse_ip(c.peek(1));
  const auto len = m ? mask_length(*m) : std::nullopt;
  if (!len) return false;
  c.i += 2;
  out.kind = AddrTerm::Kind::Range;
  out.range = masked(*a, *len);
  return true;
}

bool Parser::port_cond(Cursor& c, bool tcp, PortCond& out, std::string& error) {
  const std::string_view op = c.peek();
  if (op == "object-group" && typed_port_group(c.peek(1))) {
    c.next();
    out.group = std::string(c.next());
    return true;
  }
  if (!is_port_op(op)) return false;
  c.next();
  auto port = [&](std::string_view w) -> std::optional<std::uint16_t> {
    const auto p = port_number(w, tcp);
    if (!p) {
      error = "unknown port '" + std::string(w) + "'";
      return std::nullopt;
    }
    if (is_port_name(w)) cfg_.port_names_used = true;
    return p;
  };
  const auto a = port(c.next());
  if (!a) return false;
  if (op == "range") {
    const auto b = port(c.next());
    if (!b) return false;
    if (*b < *a) {
      error = "port range ends before it starts";
      return false;
    }
    out.ranges.push_back({*a, *b});
  } else if (op == "eq") {
    out.ranges.push_back({*a, *a});
  } else if (op == "neq") {
    if (*a > 0) out.ranges.push_back({0, static_cast<std::uint16_t>(*a - 1)});
    if (*a < 65535) out.ranges.push_back({static_cast<std::uint16_t>(*a + 1), 65535});
  } else if (op == "lt") {
    if (*a == 0) {
      error = "lt 0 matches no port";
      return false;
    }
    out.ranges.push_back({0, static_cast<std::uint16_t>(*a - 1)});
  } else {  // gt
    if (*a == 65535) {
      error = "gt 65535 matches no port";
      return false;
    }
    out.ranges.push_back({static_cast<std::uint16_t>(*a + 1), 65535});
  }
  return true;
}

bool Parser::service_spec(Cursor& c, int n, SvcTerm& out, std::string& error) {
  out = SvcTerm{};
  out.line = n;
  const std::string_view p = c.next();
  if (p.empty()) return false;
  if (p == "ip") {
    out.kind = SvcTerm::Kind::Proto;
    return true;
  }
  const bool ports = p == "tcp" || p == "udp" || p == "tcp-udp" || p == "sctp";
  if (p == "tcp-udp") {
    out.kind = SvcTerm::Kind::TcpUdp;
  } else {
    const auto num = protocol_number(p);
    if (!num) {
      error = "unknown protocol '" + std::string(p) + "'";
      return false;
    }
    out.kind = SvcTerm::Kind::Proto;
    out.proto = *num;
  }
  if (ports) {
    const bool tcp = p != "udp";
    if (c.peek() == "source") {
      c.next();
      if (!port_cond(c, tcp, out.sport, error)) return false;
    }
    // `destination` may be omitted (an operator right after the protocol is the destination).
    if (c.peek() == "destination") c.next();
    if (is_port_op(c.peek()) && !port_cond(c, tcp, out.dport, error)) return false;
    return true;
  }
  if (out.proto == model::kProtoIcmp || out.proto == model::kProtoIcmpv6) {
    const bool v6 = out.proto == model::kProtoIcmpv6;
    if (c.done()) return true;
    const auto t = icmp_type(c.peek(), v6);
    if (!t) {
      error = "unknown icmp type '" + std::string(c.peek()) + "'";
      return false;
    }
    if (is_port_name(c.peek())) cfg_.port_names_used = true;
    c.next();
    out.icmp_type = *t;
    if (!c.done()) {
      const auto code = icmp_type(c.peek(), v6);  // codes are numbers
      if (!code || is_port_name(c.peek())) {
        error = "unreadable icmp code '" + std::string(c.peek()) + "'";
        return false;
      }
      c.next();
      out.icmp_code = *code;
    }
  }
  return true;
}

void Parser::access_list(int n, const Words& w) {
  if (w.size() < 3) return unparsed(n, "access-list without a body");
  const std::string name(w[1]);
  cfg_.acl_first_line.try_emplace(name, n);
  Cursor c{w, 2};
  if (c.peek() == "line" && !c.peek(1).empty()) c.i += 2;  // `line N`: a position when typed
  const std::size_t body = c.i;
  const std::string_view type = c.peek();
  if (type == "remark") return;
  if (type == "ethertype" || type == "webtype") {
    cfg_.acl_other_type.try_emplace(name, std::string(type));
    cfg_.acl_other_lines.push_back({name, n});
    return;
  }
  Ace a;
  a.acl = name;
  a.line = n;
  a.text = "access-list " + name + " " + joined(w, body);
  if (type == "standard" || type == "extended") c.next();
  a.standard = type == "standard";
  const std::string_view action = c.next();
  if (action != "permit" && action != "deny") return unparsed(n, "access-list: expected permit or deny");
  a.permit = action == "permit";
  if (a.standard) {
    // `standard permit|deny any4 | host A | A M`: no protocol, a destination address only.
    a.service.kind = SvcTerm::Kind::Proto;
    a.src.kind = AddrTerm::Kind::Any;
    if (!address(c, n, a.dst) || !c.done()) return unparsed(n, "unreadable standard access-list entry");
    cfg_.aces.push_back(std::move(a));
    return;
  }
  // Protocol.
  std::string error;
  const std::string_view p = c.next();
  a.service.line = n;
  if (p == "object-group" || p == "object") {
    a.service.kind = p == "object" ? SvcTerm::Kind::Object : SvcTerm::Kind::Group;
    a.service.name = std::string(c.next());
  } else if (p == "ip") {
    a.service.kind = SvcTerm::Kind::Proto;
  } else if (const auto num = protocol_number(p)) {
    a.service.kind = SvcTerm::Kind::Proto;
    a.service.proto = *num;
  } else {
    return unparsed(n, "unknown protocol '" + std::string(p) + "'");
  }
  // Ports apply to TCP, UDP and SCTP, and to protocol groups (to their TCP/UDP members).
  const bool port_proto = a.service.kind == SvcTerm::Kind::Group
                              ? group_kind(a.service.name) != "service"
                              : a.service.proto == model::kProtoTcp || a.service.proto == model::kProtoUdp ||
                                    a.service.proto == model::kProtoSctp;
  const bool tcp = a.service.proto != model::kProtoUdp;
  auto identity = [&]() {
    while (c.peek() == "user" || c.peek() == "user-group" || c.peek() == "object-group-user" ||
           c.peek() == "security-group" || c.peek() == "object-group-security") {
      const std::string_view k = c.next();
      std::string what = std::string(k) + " " + std::string(c.next());
      if (k == "security-group") what += " " + std::string(c.next());
      a.conditions.push_back(what + " cannot be resolved offline");
    }
  };
  identity();
  if (!address(c, n, a.src)) return unparsed(n, "access-list: unreadable source address");
  if (port_proto && !port_cond(c, tcp, a.service.sport, error) && !error.empty())
    return unparsed(n, error);
  identity();
  if (!address(c, n, a.dst)) return unparsed(n, "access-list: unreadable destination address");
  if (port_proto && !port_cond(c, tcp, a.service.dport, error) && !error.empty())
    return unparsed(n, error);
  const bool icmp = a.service.kind == SvcTerm::Kind::Proto &&
                    (a.service.proto == model::kProtoIcmp || a.service.proto == model::kProtoIcmpv6);
  if (icmp && !c.done() && !is_option(c.peek())) {
    const bool v6 = a.service.proto == model::kProtoIcmpv6;
    if (c.peek() == "object-group" && group_kind(c.peek(1)) == "icmp-type") {
      c.next();
      a.service.icmp_group = std::string(c.next());
    } else if (const auto t = icmp_type(c.peek(), v6)) {
      if (is_port_name(c.peek())) cfg_.port_names_used = true;
      c.next();
      a.service.icmp_type = *t;
      if (!c.done() && !is_option(c.peek())) {
        const auto code = icmp_type(c.peek(), v6);
        if (!code || is_port_name(c.peek())) return unparsed(n, "unreadable icmp code");
        c.next();
        a.service.icmp_code = *code;
      }
    } else {
      return unparsed(n, "unknown icmp type '" + std::string(c.peek()) + "'");
    }
  }
  // Options.
  while (!c.done()) {
    const std::string_view o = c.next();
    if (o == "log") {
      a.log = true;
      if (c.peek() == "disable") {
        a.log = false;
        a.log_disabled = true;
        c.next();
      } else if (c.peek() == "default") {
        a.log = false;
        c.next();
      } else if (is_log_level(c.peek())) {
        c.next();
      }
      if (c.peek() == "interval") c.i += 2;
    } else if (o == "time-range" && !c.peek().empty()) {
      a.time_range = std::string(c.next());
    } else if (o == "inactive") {
      a.inactive = true;
    } else {
      a.conditions.push_back("unknown access-list option '" + std::string(o) + "'");
      unparsed(n, "unknown access-list option '" + std::string(o) + "'");
      break;
    }
  }
  cfg_.aces.push_back(std::move(a));
}

void Parser::access_group(int n, const Words& w) {
  // access-group NAME in|out interface IF [per-user-override | control-plane] / NAME global
  AccessGroup g;
  g.line = n;
  if (w.size() == 3 && w[2] == "global") {
    g.acl = std::string(w[1]);
    g.dir = AccessGroup::Dir::Global;
    cfg_.access_groups.push_back(std::move(g));
    return;
  }
  if (w.size() < 5 || (w[2] != "in" && w[2] != "out") || w[3] != "interface")
    return unparsed(n, "unreadable access-group");
  if (w.size() >= 6 && w[5] == "control-plane") return;  // to-the-box traffic only
  g.acl = std::string(w[1]);
  g.dir = w[2] == "in" ? AccessGroup::Dir::In : AccessGroup::Dir::Out;
  g.nameif = std::string(w[4]);
  cfg_.access_groups.push_back(std::move(g));
}

}  // namespace sanso::vendor::asa::detail
