// The values of nft rule items (lower_values.h).
#include "vendor/nftables/lower_values.h"

#include <algorithm>

#include "vendor/nftables/iface.h"
#include "vendor/nftables/names.h"
#include "vendor/nftables/parse.h"

namespace sanso::vendor::nftables::lowering {

using Kind = Token::Kind;

Key classify(const Selector& s) {
  Key k;
  k.text = s.text();
  const auto& w = s.words;
  auto one = [&](const std::string& x) -> KeyKind {
    if (x == "iifname") return KeyKind::InName;
    if (x == "oifname") return KeyKind::OutName;
    if (x == "iif") return KeyKind::InIndex;
    if (x == "oif") return KeyKind::OutIndex;
    if (x == "l4proto") return KeyKind::Proto;
    if (x == "nfproto") return KeyKind::NfProto;
    if (x == "protocol") return KeyKind::EtherType;
    return KeyKind::Unknown;
  };
  if (w.size() == 1) {
    const KeyKind x = one(w[0]);
    k.kind = (x == KeyKind::Proto || x == KeyKind::NfProto || x == KeyKind::EtherType) ? KeyKind::Unknown : x;
    return k;
  }
  if (w.size() != 2) return k;
  const std::string& a = w[0];
  const std::string& b = w[1];
  if (a == "meta") k.kind = one(b);
  else if (a == "ip") k.kind = b == "saddr" ? KeyKind::Src4 : b == "daddr" ? KeyKind::Dst4 : b == "protocol" ? KeyKind::Proto4 : KeyKind::Unknown;
  else if (a == "ip6") k.kind = b == "saddr" ? KeyKind::Src6 : b == "daddr" ? KeyKind::Dst6 : b == "nexthdr" ? KeyKind::Proto6 : KeyKind::Unknown;
  else if (a == "tcp" || a == "udp" || a == "sctp" || a == "th") {
    k.proto = a == "tcp" ? model::kProtoTcp : a == "udp" ? model::kProtoUdp : a == "sctp" ? model::kProtoSctp : 0;
    k.kind = b == "sport" ? KeyKind::Sport : b == "dport" ? KeyKind::Dport
             : (a == "tcp" && b == "flags") ? KeyKind::TcpFlags : KeyKind::Unknown;
  } else if (a == "icmp" || a == "icmpv6") {
    k.v6 = a == "icmpv6";
    k.kind = b == "type" ? KeyKind::IcmpType : b == "code" ? KeyKind::IcmpCode : KeyKind::Unknown;
  } else if (a == "ether") {
    k.kind = b == "saddr" ? KeyKind::EtherSrc : b == "type" ? KeyKind::EtherType : KeyKind::Unknown;
  } else if (a == "ct") {
    k.kind = b == "state" ? KeyKind::CtState : b == "status" ? KeyKind::CtStatus
             : b == "direction" ? KeyKind::CtDirection : KeyKind::Unknown;
  }
  return k;
}

PacketSet port_protocols() {
  return PacketSet::proto(model::kProtoTcp) | PacketSet::proto(model::kProtoUdp) |
         PacketSet::proto(model::kProtoSctp);
}

// What the selector implies, as nft adds it as a dependency.
PacketSet dependency(const Key& k) {
  switch (k.kind) {
    case KeyKind::Src4: case KeyKind::Dst4: case KeyKind::Proto4:
      return PacketSet::family(Family::V4);
    case KeyKind::Src6: case KeyKind::Dst6: case KeyKind::Proto6:
      return PacketSet::family(Family::V6);
    case KeyKind::Sport: case KeyKind::Dport:
      // th: any transport header; the bytes compared for protocols without ports are marked
      // doubtful where the match is built (th_widen).
      return k.proto != 0 ? PacketSet::proto(k.proto) : PacketSet::all();
    case KeyKind::TcpFlags:
      return PacketSet::proto(model::kProtoTcp);
    case KeyKind::IcmpType: case KeyKind::IcmpCode:
      return k.v6 ? PacketSet::proto(model::kProtoIcmpv6) & PacketSet::family(Family::V6)
                  : PacketSet::proto(model::kProtoIcmp) & PacketSet::family(Family::V4);
    default:
      return PacketSet::all();
  }
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> number_range(
    const std::string& t, std::optional<std::uint64_t> (*one)(std::string_view)) {
  if (auto v = one(t)) return std::make_pair(*v, *v);
  const auto dash = t.find('-', 1);
  if (dash == std::string::npos) return std::nullopt;
  const auto lo = one(std::string_view(t).substr(0, dash));
  const auto hi = one(std::string_view(t).substr(dash + 1));
  if (!lo || !hi || *lo > *hi) return std::nullopt;
  return std::make_pair(*lo, *hi);
}

std::optional<std::uint64_t> port_of(std::string_view s) {
  const auto p = service_port(s);
  return p ? std::optional<std::uint64_t>(*p) : std::nullopt;
}
std::optional<std::uint64_t> proto_of(std::string_view s) {
  const auto p = protocol_number(s);
  return p ? std::optional<std::uint64_t>(*p) : std::nullopt;
}
std::optional<std::uint64_t> icmp4_of(std::string_view s) {
  const auto p = icmp_type_number(s, false);
  return p ? std::optional<std::uint64_t>(*p) : std::nullopt;
}
std::optional<std::uint64_t> icmp6_of(std::string_view s) {
  const auto p = icmp_type_number(s, true);
  return p ? std::optional<std::uint64_t>(*p) : std::nullopt;
}
std::optional<std::uint64_t> byte_of(std::string_view s) {
  const auto p = parse_number(s);
  return p && *p <= 255 ? p : std::nullopt;
}

std::optional<model::IpRange> address(const std::string& t, Family f) {
  auto r = t.find('-') != std::string::npos ? model::parse_ip_range(t) : model::parse_cidr(t);
  if (!r || r->family != f) return std::nullopt;
  return r;
}

// One value word for a (non-interface, non-flag) key, without its dependency.
std::optional<PacketSet> atom_set(const Key& k, const Token& t) {
  const std::string& s = t.text;
  switch (k.kind) {
    case KeyKind::Src4: case KeyKind::Dst4: case KeyKind::Src6: case KeyKind::Dst6: {
      const Family f = (k.kind == KeyKind::Src4 || k.kind == KeyKind::Dst4) ? Family::V4 : Family::V6;
      const auto r = address(s, f);
      if (!r) return std::nullopt;
      return (k.kind == KeyKind::Src4 || k.kind == KeyKind::Src6) ? PacketSet::src(*r) : PacketSet::dst(*r);
    }
    case KeyKind::Proto: case KeyKind::Proto4: case KeyKind::Proto6: {
      const auto r = number_range(s, proto_of);
      if (!r) return std::nullopt;
      return PacketSet::proto_range(static_cast<std::uint8_t>(r->first), static_cast<std::uint8_t>(r->second));
    }
    case KeyKind::NfProto:
      if (s == "ipv4") return PacketSet::family(Family::V4);
      if (s == "ipv6") return PacketSet::family(Family::V6);
      return std::nullopt;
    case KeyKind::EtherType:
      if (s == "ip" || s == "0x0800") return PacketSet::family(Family::V4);
      if (s == "ip6" || s == "0x86dd") return PacketSet::family(Family::V6);
      if (s == "arp" || s == "vlan" || s == "8021q" || s == "8021ad") return PacketSet::none();
      return std::nullopt;
    case KeyKind::Sport: case KeyKind::Dport: {
      const auto r = number_range(s, port_of);
      if (!r) return std::nullopt;
      const auto lo = static_cast<std::uint16_t>(r->first), hi = static_cast<std::uint16_t>(r->second);
      PacketSet out;
      for (std::uint8_t p : {model::kProtoTcp, model::kProtoUdp, model::kProtoSctp}) {
        if (k.proto != 0 && k.proto != p) continue;
        out |= k.kind == KeyKind::Sport ? PacketSet::sport(p, lo, hi) : PacketSet::dport(p, lo, hi);
      }
      // th: for protocols without ports the bytes compared are other header fields, which may
      // hold the value: those packets may match (the rule marks them doubtful).
      if (k.proto == 0) out |= PacketSet::all() - port_protocols();
      return out;
    }
    case KeyKind::IcmpType: case KeyKind::IcmpCode: {
      const auto r = number_range(s, k.kind == KeyKind::IcmpCode ? byte_of : k.v6 ? icmp6_of : icmp4_of);
      if (!r) return std::nullopt;
      const std::uint8_t p = k.v6 ? model::kProtoIcmpv6 : model::kProtoIcmp;
      const auto lo = static_cast<std::uint8_t>(r->first), hi = static_cast<std::uint8_t>(r->second);
      return k.kind == KeyKind::IcmpType ? PacketSet::icmp(p, lo, hi) : PacketSet::icmp(p, 0, 255, lo, hi);
    }
    case KeyKind::EtherSrc: {
      const auto m = model::parse_mac(s);
      if (!m) return std::nullopt;
      return PacketSet::src_mac(*m, *m);
    }
    case KeyKind::CtDirection:
      if (s == "original") return PacketSet::all();
      if (s == "reply") return PacketSet::none();
      return std::nullopt;
    default:
      return std::nullopt;
  }
}


bool combine(Alt& a, const Alt& b) {
  a.set &= b.set;
  for (auto [x, y] : {std::pair{&a.in, &b.in}, std::pair{&a.out, &b.out}}) {
    if (!*y) continue;
    if (!*x) { *x = *y; continue; }
    const auto both = intersect(**x, **y);
    if (!both) return false;
    *x = *both;
  }
  return true;
}


// A vmap value: accept, drop, continue, return, jump X, goto X, queue.
VerdictSpec verdict_of(const std::vector<Token>& v) {
  VerdictSpec s;
  if (v.empty()) { s.unknown = "empty verdict"; return s; }
  const std::string& w = v[0].text;
  if (w == "accept") s.verdict = Verdict::Accept;
  else if (w == "drop" || w == "reject") s.verdict = Verdict::Drop;
  else if (w == "continue") s.verdict = Verdict::Continue;
  else if (w == "return") s.verdict = Verdict::Return;
  else if (w == "queue") s.verdict = Verdict::Queue;
  else if ((w == "jump" || w == "goto") && v.size() == 2) {
    s.verdict = w == "jump" ? Verdict::Jump : Verdict::Goto;
    s.target = v[1].text;
  } else {
    s.verdict = Verdict::Unknown;
    s.unknown = "verdict " + join_tokens(v) + " not understood";
  }
  return s;
}

// "10.0.0.1", "10.0.0.1:80", "10.0.0.1-10.0.0.9:80-90", "[2001:db8::1]:80", "2001:db8::1",
// or the tokens ADDR . PORT of a map value.
NatTarget nat_target(const std::vector<Token>& v, std::optional<Family> family) {
  NatTarget n;
  if (v.empty()) return n;
  std::string addr = v[0].text;
  std::string ports;
  if (v.size() == 3 && v[1].is(".")) ports = v[2].text;
  else if (v.size() == 3 && v[1].is(":")) ports = v[2].text;
  else if (v.size() != 1) return n;
  if (!addr.empty() && addr[0] == '[') {
    const auto close = addr.find(']');
    if (close == std::string::npos) return n;
    if (close + 1 < addr.size()) {
      if (addr[close + 1] != ':') return n;
      ports = addr.substr(close + 2);
    }
    addr = addr.substr(1, close - 1);
  } else if (std::count(addr.begin(), addr.end(), ':') == 1) {
    const auto colon = addr.find(':');
    ports = addr.substr(colon + 1);
    addr = addr.substr(0, colon);
  }
  std::optional<model::IpRange> r;
  if (!addr.empty()) {
    r = addr.find('-') != std::string::npos ? model::parse_ip_range(addr) : model::parse_cidr(addr);
    if (!r || addr.find('/') != std::string::npos) return n;
    if (family && r->family != *family) return n;
    n.to = r;
  }
  if (!ports.empty()) {
    const auto pr = number_range(ports, port_of);
    if (!pr) return n;
    n.ports = std::make_pair(static_cast<std::uint16_t>(pr->first), static_cast<std::uint16_t>(pr->second));
  }
  n.understood = n.to.has_value();
  return n;
}

}  // namespace sanso::vendor::nftables::lowering
