// NAT lines of ASA 8.3 and later (CLI configuration guide, "Network Address Translation"):
//   object NAT, inside `object network OBJ`:
//     nat (REAL_IF,MAPPED_IF) static MAPPED [net-to-net] [dns] [no-proxy-arp] [route-lookup]
//         [service {tcp|udp|sctp} REAL_PORT MAPPED_PORT]
//     nat (REAL_IF,MAPPED_IF) dynamic [pat-pool P] [MAPPED] [interface] [...]
//   twice NAT, at the top level:
//     nat (REAL_IF,MAPPED_IF) [line N] [after-auto] source {static|dynamic} REAL MAPPED
//         [destination static MAPPED_DST REAL_DST] [service REAL_SVC MAPPED_SVC] [dns]
//         [unidirectional] [no-proxy-arp] [route-lookup] [inactive] [description TEXT]
// Everything is recorded; nat.cpp decides what changes the packets the filters see.
#include <charconv>

#include "vendor/asa/names.h"
#include "vendor/asa/parse_detail.h"

namespace sanso::vendor::asa::detail {
namespace {

bool interfaces(std::string_view w, std::string& real, std::string& mapped) {
  if (w.size() < 5 || w.front() != '(' || w.back() != ')') return false;
  const std::string_view in = w.substr(1, w.size() - 2);
  const auto comma = in.find(',');
  if (comma == std::string_view::npos) return false;
  real = std::string(in.substr(0, comma));
  mapped = std::string(in.substr(comma + 1));
  return !real.empty() && !mapped.empty();
}

// Options that change neither which packets are translated nor to what (proxy ARP, DNS
// rewriting, route lookup, PAT pool allocation details).
bool harmless(std::string_view w) {
  return w == "dns" || w == "no-proxy-arp" || w == "route-lookup" || w == "net-to-net" ||
         w == "extended" || w == "flat" || w == "include-reserve" || w == "round-robin" ||
         w == "block-allocation" || w == "ipv6";
}

}  // namespace

void Parser::nat_line(int n, const Words& w, const std::string& object) {
  NatRule r;
  r.at = {n, n};
  r.object = object;
  r.twice = object.empty();
  if (w.size() < 3 || !interfaces(w[1], r.real_if, r.mapped_if)) {
    unparsed(n, "unreadable nat interfaces");
    r.bad = "unreadable nat interfaces";
    cfg_.nats.push_back(std::move(r));
    return;
  }
  Cursor c{w, 2};
  auto fail = [&](const std::string& why) {
    unparsed(n, why);
    r.bad = why;
    cfg_.nats.push_back(std::move(r));
  };
  if (r.twice) {
    if (c.peek() == "line") c.i += 2;
    if (c.peek() == "after-auto" || c.peek() == "after-object") {
      r.after_auto = true;
      c.next();
    }
    if (c.next() != "source") return fail("twice NAT without 'source'");
  }
  const std::string_view kind = c.next();
  if (kind != "static" && kind != "dynamic") return fail("nat: expected static or dynamic");
  r.is_static = kind == "static";
  if (r.twice) {
    r.src_real = std::string(c.next());
    r.src_mapped = std::string(c.next());
    if (r.src_mapped.empty()) return fail("twice NAT without a mapped source");
  } else {
    if (c.peek() == "pat-pool") c.next();
    // The mapped address: `interface`, an address, or an object / group name.
    const std::string_view m = c.next();
    if (m.empty()) return fail("object NAT without a mapped address");
    if (m == "interface") {
      r.mapped_term.kind = AddrTerm::Kind::Interface;
    } else if (const auto a = ip_or_name(m)) {
      r.mapped_term.kind = AddrTerm::Kind::Range;
      r.mapped_term.range = {a->family, a->value, a->value};
    } else {
      r.mapped_term.kind = AddrTerm::Kind::Object;  // an object or a group, resolved later
      r.mapped_term.name = std::string(m);
    }
    r.mapped_term.line = n;
  }
  while (!c.done()) {
    const std::string_view o = c.next();
    if (harmless(o)) continue;
    if (o == "interface") continue;  // dynamic PAT falling back to the interface address
    if (o == "unidirectional") {
      r.unidirectional = true;
    } else if (o == "inactive") {
      r.inactive = true;
    } else if (o == "description") {
      break;
    } else if (o == "pat-pool") {
      c.next();
    } else if (o == "destination" && r.twice) {
      if (c.next() != "static") return fail("twice NAT: only 'destination static' exists");
      r.dst_mapped = std::string(c.next());
      r.dst_real = std::string(c.next());
      if (r.dst_real.empty()) return fail("twice NAT: destination without a real address");
    } else if (o == "service" && r.twice) {
      r.svc_real = std::string(c.next());
      r.svc_mapped = std::string(c.next());
      if (r.svc_mapped.empty()) return fail("twice NAT: service without a mapped service");
    } else if (o == "service" && !r.twice) {
      const auto p = protocol_number(c.next());
      const auto rp = port_number(c.next(), true);
      const auto mp = port_number(c.next(), true);
      if (!p || !rp || !mp) return fail("object NAT: unreadable service");
      r.port_proto = *p;
      r.real_port = *rp;
      r.mapped_port = *mp;
    } else {
      return fail("nat: unknown option '" + std::string(o) + "'");
    }
  }
  cfg_.nats.push_back(std::move(r));
}

}  // namespace sanso::vendor::asa::detail
