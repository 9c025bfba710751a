#include "vendor/yamaha/lower.h"

#include <charconv>
#include <optional>

#include "vendor/yamaha/names.h"

namespace sanso::vendor::yamaha {
namespace {

using model::Family;
using model::PacketSet;

constexpr std::uint8_t kTcp = model::kProtoTcp;
constexpr std::uint8_t kUdp = model::kProtoUdp;

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  while (true) {
    const std::size_t e = s.find(sep, b);
    out.push_back(s.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
    if (e == std::string_view::npos) return out;
    b = e + 1;
  }
}

template <typename T>
std::optional<T> parse_uint(std::string_view s, T max) {
  unsigned long v = 0;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || v > max) return std::nullopt;
  return static_cast<T>(v);
}

bool wildcard(std::string_view s) { return s == "*"; }

// ---------------------------------------------------------------- addresses

std::optional<model::IpRange> address_item(Family family, std::string_view a) {
  const auto dash = a.find('-');
  if (dash != std::string_view::npos) {
    // a-b, a- (a and above), -b (up to b)
    const auto lo = dash == 0 ? std::optional<model::IpAddress>(model::IpAddress{family, 0})
                              : model::parse_ip(a.substr(0, dash));
    const auto hi = dash + 1 == a.size()
                        ? std::optional<model::IpAddress>(model::IpAddress{family, model::family_max(family)})
                        : model::parse_ip(a.substr(dash + 1));
    if (!lo || !hi || lo->family != family || hi->family != family || lo->value > hi->value)
      return std::nullopt;
    return model::IpRange{family, lo->value, hi->value};
  }
  const auto slash = a.find('/');
  if (family == Family::V4 && slash != std::string_view::npos &&
      a.find('.', slash) != std::string_view::npos) {
    const auto addr = model::parse_ip(a.substr(0, slash));
    const auto mask = model::parse_ip(a.substr(slash + 1));
    if (!addr || !mask || addr->family != Family::V4 || mask->family != Family::V4) return std::nullopt;
    const auto m = static_cast<std::uint32_t>(mask->value);
    const std::uint32_t inv = ~m;
    if ((inv & (inv + 1)) != 0) return std::nullopt;  // non-contiguous mask
    const auto net = static_cast<std::uint32_t>(addr->value) & m;
    return model::IpRange{Family::V4, net, net | inv};
  }
  const auto r = model::parse_cidr(a);
  if (!r || r->family != family) return std::nullopt;
  return r;
}

bool looks_like_name(std::string_view a) {
  bool letter = false;
  for (char c : a) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letter = true;
    else if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '_') return false;
  }
  return letter && a.find('.') != std::string_view::npos;
}

// ---------------------------------------------------------------- ports

struct Ports {
  bool any = true;
  std::vector<PortRange> ranges;
};

std::optional<PortRange> port_bound(std::string_view s, unsigned& relied) {
  if (const auto n = parse_uint<std::uint16_t>(s, 65535)) return PortRange{*n, *n};
  if (const auto named = port_name(s)) {
    relied = relied | Reliance::PortNames;
    return PortRange{named->front().first, named->back().second};
  }
  return std::nullopt;
}

// "*", "80", "www", "1024-", "-1023", "6000-6010", "netbios_ns-netbios_ssn", lists of those.
std::optional<Ports> parse_ports(std::string_view text, unsigned& relied) {
  Ports p;
  if (wildcard(text)) return p;
  p.any = false;
  for (std::string_view item : split(text, ',')) {
    if (item.empty()) return std::nullopt;
    if (const auto named = port_name(item)) {
      relied = relied | Reliance::PortNames;
      p.ranges.insert(p.ranges.end(), named->begin(), named->end());
      continue;
    }
    const auto dash = item.find('-');
    if (dash == std::string_view::npos) {
      const auto n = parse_uint<std::uint16_t>(item, 65535);
      if (!n) return std::nullopt;
      p.ranges.push_back({*n, *n});
      continue;
    }
    PortRange r{0, 65535};
    if (dash > 0) {
      const auto lo = port_bound(item.substr(0, dash), relied);
      if (!lo) return std::nullopt;
      r.first = lo->first;
    }
    if (dash + 1 < item.size()) {
      const auto hi = port_bound(item.substr(dash + 1), relied);
      if (!hi) return std::nullopt;
      r.second = hi->second;
    }
    if (r.first > r.second) return std::nullopt;
    p.ranges.push_back(r);
  }
  return p;
}

PacketSet port_set(std::uint8_t proto, const Ports& p, bool source) {
  if (p.any) return PacketSet::proto(proto);
  PacketSet s;
  for (const PortRange& r : p.ranges)
    s |= source ? PacketSet::sport(proto, r.first, r.second) : PacketSet::dport(proto, r.first, r.second);
  return s;
}

// TCP or UDP packets of `proto` whose ports are in both lists.
PacketSet with_ports(std::uint8_t proto, const Ports& sp, const Ports& dp) {
  if (sp.any && dp.any) return PacketSet::proto(proto);
  if (sp.any) return port_set(proto, dp, false);
  if (dp.any) return port_set(proto, sp, true);
  return port_set(proto, sp, true) & port_set(proto, dp, false);
}

// ICMP alone: the port fields are ICMP type and code lists.
std::optional<PacketSet> icmp_alone(std::uint8_t proto, std::string_view types, std::string_view codes) {
  unsigned ignored = 0;
  const auto t = parse_ports(types, ignored);
  const auto c = parse_ports(codes, ignored);
  if (!t || !c || ignored != 0) return std::nullopt;
  auto ranges = [](const Ports& p) {
    return p.any ? std::vector<PortRange>{{0, 255}} : p.ranges;
  };
  PacketSet out;
  for (const PortRange& tr : ranges(*t)) {
    for (const PortRange& cr : ranges(*c)) {
      if (tr.second > 255 || cr.second > 255) return std::nullopt;
      out |= PacketSet::icmp(proto, static_cast<std::uint8_t>(tr.first),
                             static_cast<std::uint8_t>(tr.second), static_cast<std::uint8_t>(cr.first),
                             static_cast<std::uint8_t>(cr.second));
    }
  }
  return out;
}

// ---------------------------------------------------------------- protocols

// RFC 792 / RFC 1122 error messages; RFC 4443 §2.1: ICMPv6 types below 128 are errors.
PacketSet icmp_errors(Family family, bool errors) {
  if (family == Family::V6) {
    return errors ? PacketSet::icmp(model::kProtoIcmpv6, 0, 127)
                  : PacketSet::icmp(model::kProtoIcmpv6, 128, 255);
  }
  PacketSet e = PacketSet::icmp(1, 3, 5) | PacketSet::icmp(1, 11, 12);
  return errors ? e : PacketSet::icmp(1, 0, 255) - e;
}

std::optional<std::uint8_t> protocol_number(std::string_view p, Family family) {
  if (p == "tcp") return kTcp;
  if (p == "udp") return kUdp;
  if (p == "icmp") return family == Family::V4 ? std::uint8_t{1} : model::kProtoIcmpv6;
  if (p == "icmp6" || p == "icmpv6" || p == "ipv6-icmp") return model::kProtoIcmpv6;
  if (p == "gre") return 47;
  if (p == "esp") return 50;
  if (p == "ah") return 51;
  if (p == "ipip" || p == "ipencap") return 4;
  if (p == "ipv6") return 41;
  if (p == "ospf") return 89;
  if (p == "pim") return 103;
  if (p == "vrrp") return 112;
  if (p == "l2tpv3" || p == "l2tp") return 115;
  if (p == "sctp") return model::kProtoSctp;
  return parse_uint<std::uint8_t>(p, 255);
}

// tcpflag=VALUE/MASK (flag bits as in the TCP header: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08,
// ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80).
std::optional<PacketSet> tcp_flag_match(std::string_view spec, unsigned& relied) {
  const auto slash = spec.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto value = parse_uint<unsigned>(spec.substr(0, slash), 0xffff);
  const auto mask = parse_uint<unsigned>(spec.substr(slash + 1), 0xffff);
  if (!value || !mask) return std::nullopt;
  if ((*value & ~*mask) != 0) return PacketSet::none();  // can never hold
  constexpr unsigned kSyn = 0x02, kRst = 0x04, kAck = 0x10;
  const unsigned unmodelled = 0xffff & ~(kSyn | kRst | kAck);
  if ((*value & unmodelled) != 0) {
    relied = relied | Reliance::TcpFlagsClear;
    return PacketSet::none();
  }
  if ((*mask & unmodelled) != 0) relied = relied | Reliance::TcpFlagsClear;
  auto map = [&](unsigned bits) {
    std::uint8_t m = 0;
    if (bits & kSyn) m |= model::kTcpSyn;
    if (bits & kAck) m |= model::kTcpAck;
    if (bits & kRst) m |= model::kTcpRst;
    return m;
  };
  return PacketSet::tcp_flags(map(*mask), map(*value));
}

// One item of the protocol list (tcp-like items get the ports; others ignore them).
std::optional<PacketSet> protocol_item(std::string_view p, Family family, const Ports& sp,
                                       const Ports& dp, unsigned& relied) {
  const PacketSet tcp = with_ports(kTcp, sp, dp);
  if (p == "*") {
    return tcp | with_ports(kUdp, sp, dp) |
           (PacketSet::all() - PacketSet::proto(kTcp) - PacketSet::proto(kUdp));
  }
  if (p == "tcpsyn" || p == "established" || p == "tcprst") {
    relied = relied | Reliance::TcpFlagKeywords;
    const std::uint8_t bit = p == "tcpsyn" ? model::kTcpSyn
                             : p == "tcprst" ? model::kTcpRst
                                             : model::kTcpAck;
    return tcp & PacketSet::tcp_flags(bit, bit);
  }
  if (p == "tcpfin") {
    relied = relied | Reliance::TcpFlagsClear;
    return PacketSet::none();
  }
  if (p.substr(0, 8) == "tcpflag=") {
    const auto f = tcp_flag_match(p.substr(8), relied);
    if (!f) return std::nullopt;
    return tcp & *f;
  }
  if (p.substr(0, 9) == "tcpflag!=") {
    const auto f = tcp_flag_match(p.substr(9), relied);
    if (!f) return std::nullopt;
    return tcp - *f;
  }
  if (p == "icmp-error" || p == "icmp-info") {
    if (family == Family::V4) relied = relied | Reliance::IcmpErrorTypes;
    return icmp_errors(family, p == "icmp-error");
  }
  const auto n = protocol_number(p, family);
  if (!n) return std::nullopt;
  if (*n == kTcp) return tcp;
  if (*n == kUdp) return with_ports(kUdp, sp, dp);
  // Other protocols (ICMP in a list included) compare as if no ports were given.
  return PacketSet::proto(*n);
}

}  // namespace

LoweredMatch lower_addresses(Family family, const std::string& text, bool source) {
  LoweredMatch out;
  if (wildcard(text)) {
    out.match = PacketSet::family(family);
    return out;
  }
  const char* which = source ? "source" : "destination";
  for (std::string_view item : split(text, ',')) {
    if (const auto r = address_item(family, item)) {
      out.match |= source ? PacketSet::src(*r) : PacketSet::dst(*r);
      continue;
    }
    std::string why;
    if (item.find('@') != std::string_view::npos) {
      why = std::string(which) + " " + std::string(item) + " is a prefix learnt at run time";
    } else if (item == "map-e") {
      why = std::string(which) + " map-e is an address learnt at run time";
    } else if (looks_like_name(item)) {
      why = std::string(which) + " " + std::string(item) + " is an FQDN resolved at run time";
    } else {
      why = std::string(which) + " address '" + std::string(item) + "' not understood";
    }
    out.uncertain.push_back(std::move(why));
    out.match = PacketSet::family(family);  // over-approximation: any address
    return out;
  }
  return out;
}

LoweredMatch lower_fields(Family family, const std::string& src, const std::string& dst,
                          const std::string& proto, const std::string& sport,
                          const std::string& dport) {
  LoweredMatch out;
  // The common "* * * * *" and friends: no set algebra needed.
  if (wildcard(proto) && wildcard(sport) && wildcard(dport) && wildcard(src) && wildcard(dst)) {
    out.match = PacketSet::family(family);
    return out;
  }
  LoweredMatch s = lower_addresses(family, src, true);
  LoweredMatch d = lower_addresses(family, dst, false);
  out.uncertain = std::move(s.uncertain);
  out.uncertain.insert(out.uncertain.end(), d.uncertain.begin(), d.uncertain.end());

  PacketSet l4;
  const auto items = split(proto, ',');
  const bool alone_icmp = items.size() == 1 && (proto == "icmp" || proto == "icmp6");
  if (alone_icmp && !(wildcard(sport) && wildcard(dport))) {
    if (family == Family::V6) out.relied = out.relied | Reliance::Icmp6Alone;
    const std::uint8_t p = family == Family::V4 ? std::uint8_t{1} : model::kProtoIcmpv6;
    if (const auto icmp = icmp_alone(p, sport, dport)) {
      l4 = *icmp;
    } else {
      out.uncertain.push_back("ICMP type/code '" + sport + " " + dport + "' not understood");
      l4 = PacketSet::proto(p);
    }
  } else {
    auto sp = parse_ports(sport, out.relied);
    auto dp = parse_ports(dport, out.relied);
    if (!sp) out.uncertain.push_back("source port '" + sport + "' not understood");
    if (!dp) out.uncertain.push_back("destination port '" + dport + "' not understood");
    const Ports any;
    for (std::string_view item : items) {
      const auto m = protocol_item(item, family, sp ? *sp : any, dp ? *dp : any, out.relied);
      if (!m) {
        out.uncertain.push_back("protocol '" + std::string(item) + "' not understood");
        l4 = PacketSet::all();
        break;
      }
      l4 |= *m;
    }
  }
  out.match = s.match & d.match & l4;
  return out;
}

LoweredMatch lower_ethernet(const EthernetFilter& f, bool out_dir) {
  LoweredMatch out;
  out.match = PacketSet::all();
  auto any_mac = [](std::string_view m) { return m == "*" || m == "*:*:*:*:*:*"; };
  if (f.src == "dhcp-bind" || f.src == "dhcp-not-bind") {
    out.uncertain.push_back(f.src + " depends on the DHCP server's bindings");
    return out;
  }
  if (!any_mac(f.src)) {
    if (out_dir) {
      out.uncertain.push_back("source MAC of frames sent out is the router's own for routed packets");
    } else {
      // Exact MAC, or one whose trailing bytes are wildcards (00:a0:de:*:*:*): one interval.
      const auto bytes = split(f.src, ':');
      std::uint64_t lo = 0, hi = 0;
      bool ok = bytes.size() == 6, wild = false;
      for (std::string_view b : bytes) {
        if (!ok) break;
        lo <<= 8;
        hi <<= 8;
        if (b == "*") {
          wild = true;
          hi |= 0xff;
          continue;
        }
        const auto v = wild ? std::nullopt : parse_uint<unsigned>("0x" + std::string(b), 255);
        if (!v || b.size() != 2) ok = false;
        else {
          lo |= *v;
          hi |= *v;
        }
      }
      if (ok) {
        out.match = PacketSet::src_mac(lo, hi);
      } else {
        out.uncertain.push_back("source MAC pattern '" + f.src + "' not understood");
      }
    }
  }
  if (!any_mac(f.dst)) out.uncertain.push_back("destination MAC is not modelled");
  if (!f.rest.empty()) out.uncertain.push_back("byte-offset conditions are not modelled");
  return out;
}

}  // namespace sanso::vendor::yamaha
