// Rule matches -> PacketSet. The model describes connection-opening packets of one family;
// every condition sanso cannot decide offline is left out of the set (over-approximation) and
// named, so the rule becomes uncertain instead of wrongly precise.
#include "vendor/iptables/lower.h"

#include <algorithm>
#include <array>

#include "vendor/iptables/iface.h"
#include "vendor/iptables/names.h"

namespace sanso::vendor::iptables {
namespace {

using model::Family;
using model::PacketSet;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) return out;
    start = pos + 1;
  }
}

// "10.0.0.0/8", "10.0.0.1", "10.0.0.0/255.0.0.0" (older dumps write a dotted mask).
std::optional<model::IpRange> parse_address(const std::string& text) {
  if (auto r = model::parse_cidr(text)) return r;
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto base = model::parse_ip(text.substr(0, slash));
  const auto mask = model::parse_ip(text.substr(slash + 1));
  if (!base || !mask || base->family != mask->family) return std::nullopt;
  const int width = base->family == Family::V4 ? 32 : 128;
  int len = 0;
  while (len < width && ((mask->value >> (width - 1 - len)) & 1) != 0) ++len;
  const model::u128 rest = len == width ? 0 : (mask->value << len) & model::family_max(base->family);
  if (rest != 0) return std::nullopt;  // non-contiguous mask
  return model::parse_cidr(text.substr(0, slash) + "/" + std::to_string(len));
}

struct PortRange {
  std::uint16_t lo = 0;
  std::uint16_t hi = 65535;
};

// "22", "1024:65535", ":1023", "1024:" (iptables' spellings of a port range).
std::optional<PortRange> parse_port_range(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    const auto p = port_number(text);
    if (!p) return std::nullopt;
    return PortRange{*p, *p};
  }
  PortRange r;
  const std::string lo = text.substr(0, colon);
  const std::string hi = text.substr(colon + 1);
  if (!lo.empty()) {
    const auto p = port_number(lo);
    if (!p) return std::nullopt;
    r.lo = *p;
  }
  if (!hi.empty()) {
    const auto p = port_number(hi);
    if (!p) return std::nullopt;
    r.hi = *p;
  }
  if (r.lo > r.hi) return std::nullopt;
  return r;
}

bool has_ports(std::uint8_t proto) {
  return proto == model::kProtoTcp || proto == model::kProtoUdp || proto == model::kProtoSctp;
}

// Modelled TCP flag bits of a "--tcp-flags" list; `unmodelled` gets FIN/PSH/URG/ECE/CWR.
std::optional<std::uint8_t> tcp_flag_bits(const std::string& list, bool& unmodelled) {
  unmodelled = false;
  if (list == "NONE") return 0;
  if (list == "ALL") {
    unmodelled = true;
    return model::kTcpSyn | model::kTcpAck | model::kTcpRst;
  }
  std::uint8_t bits = 0;
  for (const std::string& f : split(list, ',')) {
    if (f == "SYN") bits |= model::kTcpSyn;
    else if (f == "ACK") bits |= model::kTcpAck;
    else if (f == "RST") bits |= model::kTcpRst;
    else if (f == "FIN" || f == "PSH" || f == "URG" || f == "ECE" || f == "CWR") unmodelled = true;
    else return std::nullopt;
  }
  return bits;
}

constexpr std::array<std::string_view, 21> kUnmodelledModules{
    "limit", "hashlimit", "recent", "mark", "connmark", "addrtype", "owner", "physdev",
    "string", "time", "length", "u32", "connlimit", "pkttype", "rpfilter", "socket",
    "policy", "quota", "statistic", "nth", "helper"};

class Lowerer {
 public:
  Lowerer(const Rule& rule, const LowerContext& ctx)
      : rule_(rule), ctx_(ctx) {
    out_.match = PacketSet::family(ctx.family);
  }

  LoweredMatch run() {
    MatchModule implicit;  // protocol options written without their -m
    if (!rule_.modules.empty()) base(rule_.modules[0], implicit);
    if (!implicit.options.empty()) {
      implicit.name = proto_name();
      module(implicit);
    }
    for (std::size_t i = 1; i < rule_.modules.size(); ++i) module(rule_.modules[i]);
    return std::move(out_);
  }

 private:
  void uncertain(std::string why) { out_.uncertain.push_back(std::move(why)); }

  // Narrows the match to `s` (or to its complement when negated), within the family.
  void restrict(const PacketSet& s, bool negated) {
    if (negated) out_.match -= s;
    else out_.match &= s;
  }

  std::string proto_name() const {
    if (!proto_) return "";
    switch (*proto_) {
      case model::kProtoTcp: return "tcp";
      case model::kProtoUdp: return "udp";
      case model::kProtoSctp: return "sctp";
      case model::kProtoIcmp: return "icmp";
      case model::kProtoIcmpv6: return "icmp6";
    }
    return "";
  }

  void base(const MatchModule& m, MatchModule& implicit) {
    for (const Option& o : m.options) {
      const std::string& n = o.name;
      if (n == "-s" || n == "--source" || n == "--src") addresses(o, true);
      else if (n == "-d" || n == "--destination" || n == "--dst") addresses(o, false);
      else if (n == "-i" || n == "--in-interface") interface(o, out_.in);
      else if (n == "-o" || n == "--out-interface") interface(o, out_.out);
      else if (n == "-p" || n == "--protocol") protocol(o);
      else if (n == "-f" || n == "--fragment") uncertain("fragment match -f is not modelled");
      else if (n == "-4" || n == "--ipv4") family_flag(Family::V4, o.negated);
      else if (n == "-6" || n == "--ipv6") family_flag(Family::V6, o.negated);
      else if (n == "-c" || n == "--set-counters") continue;
      else implicit.options.push_back(o);
    }
  }

  void family_flag(Family f, bool negated) {
    if ((ctx_.family == f) == negated) out_.match = PacketSet::none();
  }

  void addresses(const Option& o, bool src) {
    PacketSet any;
    for (const std::string& a : split(o.args.at(0), ',')) {
      const auto r = parse_address(a);
      if (!r) return uncertain("address " + a + " is not an address sanso can read");
      if (r->family != ctx_.family) return uncertain("address " + a + " is of the other family");
      any |= src ? PacketSet::src(*r) : PacketSet::dst(*r);
    }
    restrict(any, o.negated);
  }

  void interface(const Option& o, std::optional<model::InterfaceMatch>& slot) {
    if (slot) return uncertain("interface option " + o.name + " written twice");
    slot = model::InterfaceMatch{o.args.at(0), o.negated};
  }

  void protocol(const Option& o) {
    const auto p = protocol_number(o.args.at(0));
    if (!p) return uncertain("unknown protocol " + o.args.at(0));
    if (*p == 0) {  // "all"
      if (o.negated) out_.match = PacketSet::none();
      return;
    }
    if (!o.negated) proto_ = *p;
    restrict(PacketSet::proto(*p), o.negated);
  }

  void module(const MatchModule& m) {
    const std::string& n = m.name;
    if (n == "tcp" || n == "udp" || n == "sctp") return ports_module(m);
    if (n == "icmp" || n == "icmp6" || n == "icmpv6") return icmp_module(m);
    if (n == "multiport") return multiport_module(m);
    if (n == "iprange") return iprange_module(m);
    if (n == "mac") return mac_module(m);
    if (n == "conntrack" || n == "state") return conntrack_module(m);
    if (n == "set") return set_module(m);
    if (n == "comment") return;  // text only
    if (n.empty()) {
      for (const Option& o : m.options) uncertain("unknown option " + o.name);
      return;
    }
    for (auto known : kUnmodelledModules)
      if (known == n) return uncertain("match -m " + n + " is not modelled");
    uncertain("unknown match -m " + n);
  }

  void unknown_option(const MatchModule& m, const Option& o) {
    uncertain("option " + o.name + " of -m " + m.name + " is not modelled");
  }

  bool has_arg(const Option& o, std::size_t n = 1) { return o.args.size() >= n; }

  void ports_module(const MatchModule& m) {
    const std::uint8_t p = m.name == "tcp" ? model::kProtoTcp
                           : m.name == "udp" ? model::kProtoUdp : model::kProtoSctp;
    out_.match &= PacketSet::proto(p);
    for (const Option& o : m.options) {
      const bool sport = o.name == "--sport" || o.name == "--source-port";
      const bool dport = o.name == "--dport" || o.name == "--destination-port";
      if ((sport || dport) && has_arg(o)) {
        const auto r = parse_port_range(o.args[0]);
        if (!r) { uncertain("port " + o.args[0] + " is not a port sanso can read"); continue; }
        restrict(sport ? PacketSet::sport(p, r->lo, r->hi) : PacketSet::dport(p, r->lo, r->hi),
                 o.negated);
      } else if (p == model::kProtoTcp && o.name == "--tcp-flags" && has_arg(o, 2)) {
        tcp_flags(o.args[0], o.args[1], o.negated);
      } else if (p == model::kProtoTcp && o.name == "--syn") {
        tcp_flags("FIN,SYN,RST,ACK", "SYN", o.negated);
      } else {
        unknown_option(m, o);
      }
    }
  }

  // Audited packets have FIN, PSH and URG clear (the model holds SYN, ACK, RST only): a mask
  // bit among those requires it clear, which always holds; a comparison bit among them
  // requires it set, which never holds.
  void tcp_flags(const std::string& mask_text, const std::string& comp_text, bool negated) {
    bool mask_other = false;
    bool comp_other = false;
    const auto mask = tcp_flag_bits(mask_text, mask_other);
    const auto comp = tcp_flag_bits(comp_text, comp_other);
    if (!mask || !comp) return uncertain("tcp flags " + mask_text + " " + comp_text + " unknown");
    PacketSet s = PacketSet::tcp_flags(*mask, *comp);
    if (comp_other || (*comp & ~*mask) != 0) s = PacketSet::none();
    restrict(s, negated);
  }

  void icmp_module(const MatchModule& m) {
    const bool v6 = m.name != "icmp";
    const std::uint8_t p = v6 ? model::kProtoIcmpv6 : model::kProtoIcmp;
    out_.match &= PacketSet::proto(p);
    for (const Option& o : m.options) {
      const bool type_opt = v6 ? o.name == "--icmpv6-type" : o.name == "--icmp-type";
      if (!type_opt || !has_arg(o)) { unknown_option(m, o); continue; }
      const auto t = icmp_type(o.args[0], v6);
      if (!t) { uncertain("icmp type " + o.args[0] + " unknown"); continue; }
      restrict(t->any ? PacketSet::proto(p)
                      : PacketSet::icmp(p, t->type, t->type, t->code_lo, t->code_hi),
               o.negated);
    }
  }

  void multiport_module(const MatchModule& m) {
    for (const Option& o : m.options) {
      const bool s = o.name == "--sports" || o.name == "--source-ports";
      const bool d = o.name == "--dports" || o.name == "--destination-ports";
      const bool both = o.name == "--ports";
      if (!(s || d || both) || !has_arg(o)) { unknown_option(m, o); continue; }
      if (!proto_ || !has_ports(*proto_)) {
        uncertain("multiport without -p tcp, udp or sctp");
        continue;
      }
      PacketSet any;
      bool ok = true;
      for (const std::string& item : split(o.args[0], ',')) {
        const auto r = parse_port_range(item);
        if (!r) { ok = false; break; }
        if (s || both) any |= PacketSet::sport(*proto_, r->lo, r->hi);
        if (d || both) any |= PacketSet::dport(*proto_, r->lo, r->hi);
      }
      if (!ok) { uncertain("port list " + o.args[0] + " is not one sanso can read"); continue; }
      restrict(any, o.negated);
    }
  }

  void iprange_module(const MatchModule& m) {
    for (const Option& o : m.options) {
      const bool src = o.name == "--src-range";
      if ((!src && o.name != "--dst-range") || !has_arg(o)) { unknown_option(m, o); continue; }
      const auto r = model::parse_ip_range(o.args[0]);
      if (!r || r->family != ctx_.family) {
        uncertain("address range " + o.args[0] + " is not one sanso can read");
        continue;
      }
      restrict(src ? PacketSet::src(*r) : PacketSet::dst(*r), o.negated);
    }
  }

  void mac_module(const MatchModule& m) {
    for (const Option& o : m.options) {
      if (o.name != "--mac-source" || !has_arg(o)) { unknown_option(m, o); continue; }
      const auto mac = model::parse_mac(o.args[0]);
      if (!mac) {
        uncertain("MAC address " + o.args[0] + " is not one sanso can read (anonymised?)");
        continue;
      }
      restrict(PacketSet::src_mac(*mac, *mac), o.negated);
    }
  }

  void conntrack_module(const MatchModule& m);
  void conntrack_state(const Option& o);
  PacketSet notracked(std::string& lines) const;
  void conntrack_port(const Option& o, bool src);
  void set_module(const MatchModule& m);

  const Rule& rule_;
  const LowerContext& ctx_;
  LoweredMatch out_;
  std::optional<std::uint8_t> proto_;  // the positive -p, for port options
};

// A packet without a connection (before conntrack, in the raw table, or exempted by NOTRACK)
// makes the kernel's match check the state option alone, and fail without one (xt_conntrack.c:
// `if (ct == NULL) return info->match_flags & XT_CONNTRACK_STATE`).
void Lowerer::conntrack_module(const MatchModule& m) {
  const auto state = std::find_if(m.options.begin(), m.options.end(), [](const Option& o) {
    return o.name == "--ctstate" || o.name == "--state";
  });
  if (ctx_.before_conntrack) {
    if (state == m.options.end()) {
      out_.match = PacketSet::none();
      return;
    }
    if (has_arg(*state)) conntrack_state(*state);
    else unknown_option(m, *state);
    return;
  }
  for (const Option& o : m.options) {
    if (!has_arg(o)) { unknown_option(m, o); continue; }
    const std::string& n = o.name;
    const bool orig_dst = n == "--ctorigdst" || n == "--ctorigdstport";
    if (n == "--ctstate" || n == "--state") {
      conntrack_state(o);
    } else if (m.name == "conntrack" && orig_dst && ctx_.dnat) {
      uncertain("conntrack " + n + " reads the destination before DNAT, which this device "
                "rewrites");
    } else if (m.name == "conntrack" && n == "--ctproto") {
      // A connection-opening packet's original tuple is the packet itself.
      const auto p = protocol_number(o.args[0]);
      if (!p) { uncertain("unknown protocol " + o.args[0]); continue; }
      if (*p != 0) restrict(PacketSet::proto(*p), o.negated);
    } else if (m.name == "conntrack" && (n == "--ctorigsrc" || n == "--ctorigdst")) {
      addresses(Option{o.negated, n == "--ctorigsrc" ? "-s" : "-d", o.args}, n == "--ctorigsrc");
    } else if (m.name == "conntrack" && (n == "--ctorigsrcport" || n == "--ctorigdstport")) {
      conntrack_port(o, n == "--ctorigsrcport");
    } else {
      unknown_option(m, o);
    }
  }
  if (state != m.options.end()) return;
  std::string lines;
  const PacketSet nt = notracked(lines);
  if (nt.empty()) return;
  out_.doubtful |= nt;
  out_.doubtful_why = "packets NOTRACKed in the raw table (line " + lines +
                      ") have no connection, and this conntrack match fails for them";
}

// The model describes connection-opening packets: conntrack state NEW, or UNTRACKED for
// packets a raw-table NOTRACK exempted. In the raw table itself conntrack has not run yet
// (its hooks come first, kernel nf_conntrack priorities), so the state is INVALID there.
void Lowerer::conntrack_state(const Option& o) {
  bool new_state = false, untracked = false, invalid = false, nat = false;
  for (const std::string& s : split(o.args[0], ',')) {
    if (s == "NEW") new_state = true;
    else if (s == "UNTRACKED") untracked = true;
    else if (s == "INVALID") invalid = true;
    else if (s == "SNAT" || s == "DNAT") nat = true;
    else if (s != "ESTABLISHED" && s != "RELATED")
      return uncertain("unknown conntrack state " + s);
  }
  if (nat) return uncertain("conntrack state " + o.args[0] + " depends on NAT");
  if (o.negated) {
    new_state = !new_state;
    untracked = !untracked;
    invalid = !invalid;
  }
  if (ctx_.before_conntrack) new_state = invalid;  // the opening packets' state in raw
  if (new_state && untracked) return;
  std::string lines;
  const PacketSet nt = notracked(lines);
  if (!nt.empty()) {
    out_.doubtful |= nt;
    out_.doubtful_why = "packets NOTRACKed in the raw table (line " + lines +
                        ") have state UNTRACKED, not NEW";
  }
  if (new_state) return;
  // UNTRACKED only: at most the NOTRACKed packets; neither: no connection-opening packet
  // (the entry is kept, empty, for provenance).
  out_.match &= nt;
}

// Packets a NOTRACK rule may exempt and that could reach this rule (interfaces compared).
// A NOTRACK on "-i lo" is left out: packets received on lo are never forwarded.
PacketSet Lowerer::notracked(std::string& lines) const {
  PacketSet out;
  if (ctx_.notrack == nullptr) return out;
  for (const NotrackRule& n : *ctx_.notrack) {
    if (n.in && !n.in->negated && n.in->pattern == "lo") continue;
    if (combine(n.in, out_.in).empty) continue;
    if (!n.match.intersects(out_.match)) continue;
    out |= n.match;
    lines += (lines.empty() ? "" : ", ") + std::to_string(n.line);
  }
  return out;
}

void Lowerer::conntrack_port(const Option& o, bool src) {
  const auto r = parse_port_range(o.args[0]);
  if (!r) return uncertain("port " + o.args[0] + " is not a port sanso can read");
  PacketSet any;
  for (std::uint8_t p : {model::kProtoTcp, model::kProtoUdp, model::kProtoSctp})
    any |= src ? PacketSet::sport(p, r->lo, r->hi) : PacketSet::dport(p, r->lo, r->hi);
  restrict(any, o.negated);
}

void Lowerer::set_module(const MatchModule& m) {
  for (const Option& o : m.options) {
    if (o.name != "--match-set" || !has_arg(o, 2)) { unknown_option(m, o); continue; }
    const std::string& name = o.args[0];
    if (ctx_.ipsets == nullptr) { uncertain("set " + name + ": no ipset file given"); continue; }
    const IpSet* set = find_set(*ctx_.ipsets, name);
    if (set == nullptr) { uncertain("set " + name + " is not in the ipset file"); continue; }
    if (set->uncertain) { uncertain(*set->uncertain); continue; }
    if (ctx_.dynamic_sets != nullptr && ctx_.dynamic_sets->count(name) != 0) {
      uncertain("set " + name + " is changed at run time by a -j SET rule");
      continue;
    }
    // A one-dimensional set looks at the first direction of "src,dst".
    const std::string dir = split(o.args[1], ',').front();
    if (dir != "src" && dir != "dst") { uncertain("set direction " + o.args[1] + " unknown"); continue; }
    PacketSet members;
    for (const model::IpRange& r : set->members)
      if (r.family == ctx_.family) members |= dir == "src" ? PacketSet::src(r) : PacketSet::dst(r);
    restrict(members, o.negated);
  }
}

}  // namespace

LoweredMatch lower_matches(const Rule& rule, const LowerContext& ctx) {
  return Lowerer(rule, ctx).run();
}

}  // namespace sanso::vendor::iptables
