// Rule items -> virtual rules. Every selector implies its dependency the way nft adds one
// (`tcp dport` implies `meta l4proto tcp`, `ip saddr` implies IPv4), and `!=` negates the value,
// never the dependency. A condition sanso cannot decide offline leaves the match wider (every
// packet the rule could match stays in it) and names the reason: the entry becomes uncertain.
#include "vendor/nftables/lower.h"

#include <algorithm>

#include "vendor/nftables/iface.h"
#include "vendor/nftables/lexer.h"
#include "vendor/nftables/names.h"
#include "vendor/nftables/parse.h"
#include "vendor/nftables/rule.h"

namespace sanso::vendor::nftables {
namespace {

using model::Family;
using model::PacketSet;
using Kind = Token::Kind;

enum class KeyKind {
  Src4, Dst4, Src6, Dst6, Proto, Proto4, Proto6, NfProto, EtherType, Sport, Dport, IcmpType,
  IcmpCode, CtState, CtStatus, CtDirection, InName, OutName, InIndex, OutIndex, EtherSrc,
  TcpFlags, Unknown
};

struct Key {
  KeyKind kind = KeyKind::Unknown;
  std::uint8_t proto = 0;  // ports: 6, 17, 132; 0 = th (any transport header)
  bool v6 = false;         // icmp keys
  std::string text;
  bool iface() const {
    return kind == KeyKind::InName || kind == KeyKind::OutName || kind == KeyKind::InIndex ||
           kind == KeyKind::OutIndex;
  }
  bool out_iface() const { return kind == KeyKind::OutName || kind == KeyKind::OutIndex; }
};

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

struct Alt {
  PacketSet set = PacketSet::all();
  std::optional<std::string> in, out;
};

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

struct VerdictSpec {
  Verdict verdict = Verdict::None;
  std::string target;
  NatTarget nat;
  std::string unknown;  // why a verdict was not understood
};

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

class Lowerer {
 public:
  Lowerer(const Rule& r, const LowerContext& ctx) : rule_(r), ctx_(ctx) { base_.set = ctx.scope; }

  LoweredRule run() {
    ParsedRule p = parse_rule(rule_.tokens);
    for (const Item& item : p.items) {
      if (const auto* m = std::get_if<MatchItem>(&item)) match(*m);
      else if (const auto* v = std::get_if<VmapItem>(&item)) vmap(*v);
      else statement(std::get<StmtItem>(item));
    }
    if (p.error) {
      uncertain("rule not understood: " + *p.error);
      if (verdict_.verdict == Verdict::None && choices_.empty()) verdict_.verdict = Verdict::Unknown;
    }
    return expand();
  }

 private:
  void uncertain(std::string why) {
    if (std::find(why_.begin(), why_.end(), why) == why_.end()) why_.push_back(std::move(why));
  }
  void note(std::string why) {
    if (std::find(out_.notes.begin(), out_.notes.end(), why) == out_.notes.end())
      out_.notes.push_back(std::move(why));
  }

  // The value's elements, each a token list (a concatenation holds "." tokens).
  std::optional<std::vector<std::vector<Token>>> elements(const std::vector<Token>& v,
                                                          const std::string& what) {
    std::vector<std::vector<Token>> out;
    if (v.empty()) return std::nullopt;
    if (v.front().is("{")) {
      if (!v.back().is("}")) return std::nullopt;
      const std::vector<Token> inner(v.begin() + 1, v.end() - 1);
      for (Element& e : split_elements(inner, false)) {
        if (!e.key.empty() && e.key.front().is("{")) {  // a variable holding a set, spliced in
          auto nested = elements(e.key, what);
          if (!nested) return std::nullopt;
          for (auto& n : *nested) out.push_back(std::move(n));
          continue;
        }
        out.push_back(std::move(e.key));
      }
      return out;
    }
    if (v.size() == 1 && v.front().kind == Kind::Word && v.front().text.size() > 1 &&
        v.front().text[0] == '@') {
      const SetDecl* d = find_set(v.front().text.substr(1));
      if (d == nullptr) {
        uncertain("set " + v.front().text + " is not defined in table " + table_name());
        return std::nullopt;
      }
      if (dynamic(*d)) {
        uncertain("set " + v.front().text + " changes at run time");
        return std::nullopt;
      }
      for (const Element& e : d->elements) out.push_back(e.key);
      return out;
    }
    for (const Token& t : v) {
      if (t.is(",")) continue;
      out.push_back({t});
    }
    (void)what;
    return out;
  }

  std::string table_name() const { return ctx_.table != nullptr ? ctx_.table->name : "?"; }

  const SetDecl* find_set(const std::string& name) const {
    if (ctx_.table == nullptr) return nullptr;
    for (const SetDecl& d : ctx_.table->sets)
      if (d.name == name) return &d;
    return nullptr;
  }

  bool dynamic(const SetDecl& d) const {
    const bool flagged = std::any_of(d.flags.begin(), d.flags.end(), [](const std::string& f) {
      return f == "dynamic" || f == "timeout";
    });
    return flagged || d.has_timeout ||
           (ctx_.dynamic_sets != nullptr && ctx_.dynamic_sets->count(d.name) != 0);
  }

  // Splits an element at "." into one part per key.
  static std::vector<std::vector<Token>> parts(const std::vector<Token>& e) {
    std::vector<std::vector<Token>> out(1);
    for (const Token& t : e) {
      if (t.is(".")) { out.emplace_back(); continue; }
      out.back().push_back(t);
    }
    return out;
  }

  // Each element as an Alt (set without dependencies, interface patterns); nullopt: not read.
  std::optional<std::vector<Alt>> element_alts(const std::vector<Key>& keys,
                                               const std::vector<std::vector<Token>>& elems) {
    std::vector<Alt> out;
    for (const auto& e : elems) {
      const auto ps = parts(e);
      if (ps.size() != keys.size()) {
        uncertain("element " + join_tokens(e) + " does not fit " + std::to_string(keys.size()) + " key(s)");
        return std::nullopt;
      }
      Alt a;
      bool ok = true;
      for (std::size_t i = 0; i < keys.size() && ok; ++i) {
        if (ps[i].size() != 1) {
          uncertain("value " + join_tokens(ps[i]) + " not understood");
          return std::nullopt;
        }
        const Token& t = ps[i][0];
        if (keys[i].iface()) {
          Alt x;
          (keys[i].out_iface() ? x.out : x.in) = t.text;
          ok = combine(a, x);
          continue;
        }
        const auto s = atom_set(keys[i], t);
        if (!s) {
          uncertain("value " + t.text + " for " + keys[i].text + " not understood");
          return std::nullopt;
        }
        a.set &= *s;
      }
      if (ok) out.push_back(std::move(a));
    }
    return out;
  }

  bool interface_available(const Key& k) {
    // prerouting has no output interface yet and postrouting no input interface; what nft then
    // compares against differs between kernels.
    if (k.out_iface() && ctx_.hook == "prerouting") return false;
    if (!k.out_iface() && ctx_.hook == "postrouting") return false;
    return true;
  }

  void match(const MatchItem& m) {
    std::vector<Key> keys;
    for (const Selector& s : m.keys) keys.push_back(classify(s));
    const std::string what = join_keys(keys);
    if (keys.size() == 1) {
      const Key& k = keys[0];
      if (k.kind == KeyKind::CtState) return ct_state(m);
      if (k.kind == KeyKind::CtStatus) return ct_status(m);
      if (k.kind == KeyKind::TcpFlags) return tcp_flags(m);
    }
    for (const Key& k : keys) {
      if (k.kind == KeyKind::Unknown || k.kind == KeyKind::CtState || k.kind == KeyKind::CtStatus ||
          k.kind == KeyKind::TcpFlags)
        return uncertain("match " + k.text + " is not modelled");
      if (k.iface() && !interface_available(k))
        return uncertain(k.text + " in the " + ctx_.hook + " hook is not modelled");
      if (k.kind == KeyKind::EtherSrc && ctx_.hook == "postrouting")
        return uncertain("ether saddr in the postrouting hook is not modelled");
    }
    if (!m.mask.empty() || !m.value_mask.empty()) return uncertain("masked match on " + what + " is not modelled");
    PacketSet dep = PacketSet::all();
    for (const Key& k : keys) dep &= dependency(k);
    // Relational operators on one numeric key: a range.
    if (m.op == "<" || m.op == ">" || m.op == "<=" || m.op == ">=") return relational(keys, m, dep);
    auto elems = elements(m.value, what);
    if (!elems) return uncertain_if_silent("value of " + what + " not understood");
    auto alts = element_alts(keys, *elems);
    if (!alts) return;
    const bool has_iface = std::any_of(keys.begin(), keys.end(), [](const Key& k) { return k.iface(); });
    const bool negated = m.op == "!=";
    if (!has_iface) {
      // One union of all elements: `|=` in a loop is quadratic on sets of thousands of intervals.
      std::vector<PacketSet> sets;
      sets.reserve(alts->size());
      for (Alt& a : *alts) sets.push_back(std::move(a.set));
      PacketSet set = model::union_all(sets);
      if (negated) set -= th_widen(keys);  // a negated th comparison may hold for them too
      else th_widen(keys);
      base_.set &= negated ? dep - set : dep & set;
      return;
    }
    if (negated) {
      if (keys.size() != 1) return uncertain("negated concatenation with an interface is not modelled");
      NegatedInterfaces n;
      n.out = keys[0].out_iface();
      for (const Alt& a : *alts) n.patterns.push_back(*(n.out ? a.out : a.in));
      negs_.push_back(std::move(n));
      return;
    }
    th_widen(keys);
    for (Alt& a : *alts) a.set &= dep;
    groups_.push_back(std::move(*alts));
  }

  // `th sport/dport` reads bytes 0-3 of any transport header: for protocols without ports it
  // compares whatever is there, so such packets may match (atom_set keeps them in), doubtfully.
  // Returns those packets when a th key is present.
  PacketSet th_widen(const std::vector<Key>& keys) {
    for (const Key& k : keys) {
      if ((k.kind != KeyKind::Sport && k.kind != KeyKind::Dport) || k.proto != 0) continue;
      const PacketSet other = PacketSet::all() - port_protocols();
      doubtful_ |= other;
      doubtful_why_ = k.text + " of a protocol without ports compares other header bytes";
      return other;
    }
    return PacketSet::none();
  }

  void uncertain_if_silent(const std::string& why) {
    if (why_.empty()) uncertain(why);
  }

  static std::string join_keys(const std::vector<Key>& keys) {
    std::string out;
    for (const Key& k : keys) out += (out.empty() ? "" : " . ") + k.text;
    return out;
  }

  void relational(const std::vector<Key>& keys, const MatchItem& m, const PacketSet& dep) {
    if (keys.size() != 1 || m.value.size() != 1) return uncertain("comparison not modelled");
    const Key& k = keys[0];
    std::optional<std::uint64_t> v;
    std::uint64_t max = 0;
    if (k.kind == KeyKind::Sport || k.kind == KeyKind::Dport) { v = port_of(m.value[0].text); max = 65535; }
    else if (k.kind == KeyKind::Proto || k.kind == KeyKind::Proto4 || k.kind == KeyKind::Proto6) { v = proto_of(m.value[0].text); max = 255; }
    else if (k.kind == KeyKind::IcmpType) { v = k.v6 ? icmp6_of(m.value[0].text) : icmp4_of(m.value[0].text); max = 255; }
    if (!v) return uncertain("comparison on " + k.text + " not modelled");
    std::uint64_t lo = 0, hi = max;
    if (m.op == "<") { if (*v == 0) { base_.set = PacketSet::none(); return; } hi = *v - 1; }
    if (m.op == "<=") hi = *v;
    if (m.op == ">") { if (*v >= max) { base_.set = PacketSet::none(); return; } lo = *v + 1; }
    if (m.op == ">=") lo = *v;
    const Token t{Kind::Word, std::to_string(lo) + "-" + std::to_string(hi), 0};
    const auto s = atom_set(k, t);
    if (!s) return uncertain("comparison on " + k.text + " not modelled");
    th_widen(keys);
    base_.set &= dep & *s;
  }

  // ct state: audited packets are NEW (after conntrack), INVALID before it (CtMode).
  void ct_state(const MatchItem& m) {
    if (!m.mask.empty() || !m.value_mask.empty()) return uncertain("masked ct state is not modelled");
    if (ctx_.ct == CtMode::Unknown)
      return uncertain("ct state in a chain at conntrack's own priority (-200) is not modelled");
    if (!ctx_.notrack_lines.empty())
      return uncertain("ct state: notrack (line " + ctx_.notrack_lines + ") may make packets UNTRACKED");
    const bool braced = !m.value.empty() && m.value.front().is("{");
    auto elems = elements(m.value, "ct state");
    if (!elems) return;
    const std::string mine = ctx_.ct == CtMode::New ? "new" : "invalid";
    bool member = false;
    std::size_t count = 0;
    for (const auto& e : *elems) {
      if (e.size() != 1) return uncertain("ct state value not understood");
      const std::string& s = e[0].text;
      if (s != "new" && s != "established" && s != "related" && s != "invalid" && s != "untracked")
        return uncertain("ct state " + s + " not understood");
      member = member || s == mine;
      ++count;
    }
    // A written list (not braces) is a bit mask: "==" and "!=" compare the whole mask, the
    // implicit form tests any bit. With one state set in the packet these agree except for
    // lists of several states under "==" / "!=".
    if (!braced && count > 1 && !m.op.empty())
      return uncertain("ct state " + m.op + " with a list of states is not modelled");
    const bool holds = m.op == "!=" ? !member : member;
    if (!holds) base_.set = PacketSet::none();
  }

  void ct_status(const MatchItem& m) {
    auto elems = elements(m.value, "ct status");
    if (!elems || !m.mask.empty()) return uncertain("ct status not understood");
    // ct status dnat after prerouting: only packets DNAT produced can have it, and which of
    // those it produced is not known here (another packet may have that header already).
    if (elems->size() == 1 && (*elems)[0].size() == 1 && (*elems)[0][0].text == "dnat" &&
        ctx_.device_has_dnat && ctx_.dnat_images && ctx_.hook != "prerouting") {
      const PacketSet& images = *ctx_.dnat_images;
      doubtful_ |= images;
      doubtful_why_ = "ct status dnat: these packets may or may not come from destination NAT";
      if (m.op != "!=") base_.set &= images;
      return;
    }
    for (const auto& e : *elems) {
      const std::string s = e.empty() ? "" : e[0].text;
      const bool nat = s == "dnat" || s == "snat";
      const bool possible = (s == "dnat" && ctx_.device_has_dnat) || (s == "snat" && ctx_.device_has_snat);
      if (!nat || possible) return uncertain("ct status " + s + " depends on connection state or NAT");
    }
    // Only dnat/snat, and this ruleset never translates: the status bits are clear.
    if (m.op != "!=") base_.set = PacketSet::none();
  }

  // tcp flags: SYN, ACK, RST are modelled; FIN, PSH, URG, ECN, CWR are clear in audited packets.
  void tcp_flags(const MatchItem& m) {
    auto bits = [&](const std::vector<Token>& v, bool& ok) {
      std::uint8_t b = 0;
      bool other = false;
      auto elems = elements(v, "tcp flags");
      if (!elems) { ok = false; return std::make_pair(b, other); }
      for (const auto& e : *elems) {
        for (const Token& t : e) {
          const std::string& f = t.text;
          if (f == "(" || f == ")" || f == "|") continue;
          if (f == "syn") b |= model::kTcpSyn;
          else if (f == "ack") b |= model::kTcpAck;
          else if (f == "rst") b |= model::kTcpRst;
          else if (f == "fin" || f == "psh" || f == "urg" || f == "ecn" || f == "cwr") other = true;
          else ok = false;
        }
      }
      return std::make_pair(b, other);
    };
    bool ok = true;
    const auto [v, v_other] = bits(m.value, ok);
    const PacketSet tcp = PacketSet::proto(model::kProtoTcp);
    constexpr std::uint8_t kAll = model::kTcpSyn | model::kTcpAck | model::kTcpRst;
    PacketSet s;
    const bool braced = !m.value.empty() && m.value.front().is("{");
    if (!m.mask.empty() || !m.value_mask.empty()) {
      const auto [mask, mask_other] = bits(m.mask.empty() ? m.value_mask : m.mask, ok);
      (void)mask_other;  // a mask bit of an unmodelled flag requires it clear: always holds
      if (!ok || (m.op != "" && m.op != "==" && m.op != "!=")) return uncertain("tcp flags comparison not modelled");
      s = v_other || (v & ~mask) != 0 ? PacketSet::none() : PacketSet::tcp_flags(mask, v);
      base_.set &= m.op == "!=" ? tcp - s : s;
      return;
    }
    if (!ok || braced) return uncertain("tcp flags value not modelled");
    if (m.op.empty()) {
      // Implicit: any of the listed flags is set.
      s = tcp - PacketSet::tcp_flags(v, 0);
      if (v == 0) s = PacketSet::none();
    } else if (m.op == "==") {
      s = v_other ? PacketSet::none() : PacketSet::tcp_flags(kAll, v);
    } else {
      return uncertain("tcp flags " + m.op + " is not modelled");
    }
    base_.set &= s;
  }

  void vmap(const VmapItem& v) {
    std::vector<Key> keys;
    for (const Selector& s : v.keys) keys.push_back(classify(s));
    for (const Key& k : keys) {
      if (k.kind == KeyKind::Unknown || k.kind == KeyKind::TcpFlags || k.kind == KeyKind::CtStatus)
        return vmap_unknown("vmap on " + k.text + " is not modelled");
      if (k.iface() && !interface_available(k))
        return vmap_unknown(k.text + " in the " + ctx_.hook + " hook is not modelled");
    }
    const std::vector<Element>* elems = nullptr;
    std::vector<Element> anon;
    if (!v.value.empty() && v.value.front().is("{") && v.value.back().is("}")) {
      anon = split_elements(std::vector<Token>(v.value.begin() + 1, v.value.end() - 1), true);
      elems = &anon;
    } else if (v.value.size() == 1 && v.value[0].text.size() > 1 && v.value[0].text[0] == '@') {
      const SetDecl* d = find_set(v.value[0].text.substr(1));
      if (d == nullptr || !d->is_map) return vmap_unknown("map " + v.value[0].text + " is not defined");
      if (dynamic(*d)) return vmap_unknown("map " + v.value[0].text + " changes at run time");
      elems = &d->elements;
    } else {
      return vmap_unknown("vmap not understood");
    }
    PacketSet dep = PacketSet::all();
    for (const Key& k : keys) dep &= dependency(k);
    for (const Element& e : *elems) {
      VerdictSpec vs = verdict_of(e.value);
      if (keys.size() == 1 && keys[0].kind == KeyKind::CtState) {
        // One vmap entry per state: the packet's state picks it (CtMode).
        MatchItem m;
        m.keys = v.keys;
        m.value = e.key;
        const PacketSet before = base_.set;
        const auto why_before = why_.size();
        ct_state(m);
        const bool holds = !base_.set.empty() || before.empty();
        const bool unsure = why_.size() != why_before;
        base_.set = before;
        if (unsure) {
          why_.resize(why_before);
          choices_.push_back({Alt{}, vs, "ct state vmap not decidable here"});
        } else if (holds) {
          choices_.push_back({Alt{}, vs, ""});
        }
        continue;
      }
      auto alts = element_alts(keys, {e.key});
      if (!alts) {
        choices_.push_back({Alt{}, vs, "vmap element " + join_tokens(e.key) + " not understood"});
        continue;
      }
      th_widen(keys);
      for (Alt& a : *alts) {
        a.set &= dep;
        choices_.push_back({std::move(a), vs, ""});
      }
    }
    has_choices_ = true;
  }

  void vmap_unknown(const std::string& why) {
    uncertain(why);
    verdict_.verdict = Verdict::Unknown;
    verdict_.unknown = why;
  }

  void statement(const StmtItem& s) {
    const std::string& k = s.keyword;
    if (verdict_.verdict != Verdict::None || has_choices_) return;  // after a verdict: never runs
    if (k == "counter" || k == "comment" || k == "notrack" || k == "flow" || k == "update" ||
        k == "add" || k == "delete")
      return;
    if (k == "log") { logged_ = true; return; }
    if (k == "limit" || k == "quota") return uncertain(k + " " + join_tokens(s.args) + " may or may not match");
    if (k == "set") return header_set(s);
    if (k == "accept") verdict_.verdict = Verdict::Accept;
    else if (k == "drop" || k == "reject") verdict_.verdict = Verdict::Drop;
    else if (k == "continue") verdict_.verdict = Verdict::Continue;
    else if (k == "return") verdict_.verdict = Verdict::Return;
    else if (k == "queue") verdict_.verdict = Verdict::Queue;
    else if (k == "jump" || k == "goto") {
      verdict_.verdict = k == "jump" ? Verdict::Jump : Verdict::Goto;
      verdict_.target = s.args.at(0).text;
    } else if (k == "dnat" || k == "snat" || k == "masquerade" || k == "redirect") {
      nat(s);
    } else if (k == "xt") {
      const std::string name = s.args.size() > 1 ? s.args[1].text : "?";
      if (!s.args.empty() && s.args[0].is("target")) {
        verdict_.verdict = Verdict::Unknown;
        verdict_.unknown = "iptables-nft target xt " + name + " is opaque";
        uncertain(verdict_.unknown);
      } else {
        uncertain("iptables-nft match xt " + name + " is opaque (its arguments are not listed)");
      }
    } else {
      verdict_.verdict = Verdict::Unknown;
      verdict_.unknown = "statement " + k + " is not modelled";
      uncertain(verdict_.unknown);
    }
  }

  void header_set(const StmtItem& s) {
    for (const Selector& sel : s.keys) {
      const Key k = classify(sel);
      switch (k.kind) {
        case KeyKind::Src4: case KeyKind::Dst4: case KeyKind::Src6: case KeyKind::Dst6:
        case KeyKind::Sport: case KeyKind::Dport: case KeyKind::EtherSrc: case KeyKind::Proto:
        case KeyKind::Proto4: case KeyKind::Proto6:
          out_.rewrites_headers = true;
          note(k.text + " set rewrites the packet: not modelled");
          return;
        default:
          return;  // marks, priorities, TCP options: nothing the audited header holds
      }
    }
  }

  void nat(const StmtItem& s) {
    const std::string& k = s.keyword;
    if (k == "masquerade" || k == "snat") { verdict_.verdict = Verdict::Snat; return; }
    if (k == "redirect") { verdict_.verdict = Verdict::Redirect; return; }
    verdict_.verdict = Verdict::Dnat;
    std::optional<Family> fam;
    std::size_t i = 0;
    for (; i < s.args.size() && !s.args[i].is("to"); ++i) {
      if (s.args[i].is("ip")) fam = Family::V4;
      if (s.args[i].is("ip6")) fam = Family::V6;
      if (s.args[i].is("prefix")) return nat_unknown("dnat prefix is not modelled");
    }
    if (i == s.args.size()) return nat_unknown("dnat without 'to'");
    std::vector<Token> rest(s.args.begin() + static_cast<std::ptrdiff_t>(i + 1), s.args.end());
    while (!rest.empty() && (rest.back().is("persistent") || rest.back().is("random") ||
                             rest.back().is("fully-random") || rest.back().is(",")))
      rest.pop_back();
    if (s.keys.empty()) {
      verdict_.nat = nat_target(rest, fam);
      if (!verdict_.nat.understood) return nat_unknown("dnat target " + join_tokens(rest) + " not understood");
      return;
    }
    // dnat to KEY map { k : v, ... }
    if (rest.size() < 3 || !rest[0].is("map") || !rest[1].is("{") || !rest.back().is("}"))
      return nat_unknown("dnat map not understood");
    std::vector<Key> keys;
    for (const Selector& sel : s.keys) keys.push_back(classify(sel));
    for (const Key& kk : keys)
      if (kk.kind == KeyKind::Unknown || kk.iface() || kk.kind == KeyKind::CtState)
        return nat_unknown("dnat map on " + kk.text + " is not modelled");
    PacketSet dep = PacketSet::all();
    for (const Key& kk : keys) dep &= dependency(kk);
    const auto elems = split_elements(std::vector<Token>(rest.begin() + 2, rest.end() - 1), true);
    for (const Element& e : elems) {
      VerdictSpec vs;
      vs.verdict = Verdict::Dnat;
      vs.nat = nat_target(e.value, fam);
      auto alts = element_alts(keys, {e.key});
      if (!alts || !vs.nat.understood) {
        vs.nat = NatTarget{};
        choices_.push_back({Alt{dep, {}, {}}, vs, "dnat map element " + join_tokens(e.key) + " not understood"});
        continue;
      }
      th_widen(keys);
      for (Alt& a : *alts) {
        a.set &= dep;
        choices_.push_back({std::move(a), vs, ""});
      }
    }
    has_choices_ = true;
    verdict_ = VerdictSpec{};
  }

  void nat_unknown(const std::string& why) {
    verdict_.nat = NatTarget{};
    note(why);
    nat_unknown_ = why;
  }

  LoweredRule expand() {
    // Cross product of the interface/concatenation groups.
    std::vector<Alt> alts{base_};
    for (const auto& g : groups_) {
      std::vector<Alt> next;
      for (const Alt& a : alts)
        for (const Alt& b : g) {
          Alt c = a;
          if (combine(c, b)) next.push_back(std::move(c));
        }
      alts = std::move(next);
    }
    for (const std::string& w : why_) note(w);
    if (!nat_unknown_.empty()) note(nat_unknown_);
    auto emit = [&](Alt a, const VerdictSpec& vs, const std::string& extra) {
      VirtualRule v;
      v.match = std::move(a.set);
      v.in = a.in;
      v.out = a.out;
      v.negated = negs_;
      v.uncertain = why_;
      if (!extra.empty()) v.uncertain.push_back(extra);
      if (!vs.unknown.empty() && std::find(v.uncertain.begin(), v.uncertain.end(), vs.unknown) == v.uncertain.end())
        v.uncertain.push_back(vs.unknown);
      v.verdict = vs.verdict;
      v.target = vs.target;
      v.nat = vs.nat;
      if (vs.verdict == Verdict::Dnat && vs.nat.to) v.match &= PacketSet::family(vs.nat.to->family);
      v.doubtful = doubtful_;
      v.doubtful_why = doubtful_why_;
      v.logged = logged_;
      out_.rules.push_back(std::move(v));
    };
    if (!has_choices_) {
      for (Alt& a : alts) emit(std::move(a), verdict_, "");
    } else {
      for (const Alt& a : alts)
        for (const auto& c : choices_) {
          Alt x = a;
          if (!combine(x, c.alt)) continue;
          emit(std::move(x), c.verdict, c.why);
        }
    }
    return std::move(out_);
  }

  const Rule& rule_;
  const LowerContext& ctx_;
  LoweredRule out_;
  Alt base_;
  std::vector<std::vector<Alt>> groups_;
  std::vector<NegatedInterfaces> negs_;
  std::vector<std::string> why_;
  VerdictSpec verdict_;
  struct Choice {
    Alt alt;
    VerdictSpec verdict;
    std::string why;
  };
  std::vector<Choice> choices_;
  bool has_choices_ = false;
  bool logged_ = false;
  PacketSet doubtful_;
  std::string doubtful_why_;
  std::string nat_unknown_;
};

}  // namespace

LoweredRule lower_rule(const Rule& rule, const LowerContext& ctx) { return Lowerer(rule, ctx).run(); }

std::vector<std::string> updated_sets(const Rule& rule) {
  std::vector<std::string> out;
  const auto& t = rule.tokens;
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    if ((t[i].is("update") || t[i].is("add") || t[i].is("delete")) && t[i + 1].text.size() > 1 &&
        t[i + 1].text[0] == '@')
      out.push_back(t[i + 1].text.substr(1));
  }
  return out;
}

bool has_notrack(const Rule& rule) {
  return std::any_of(rule.tokens.begin(), rule.tokens.end(), [](const Token& t) { return t.is("notrack"); });
}

}  // namespace sanso::vendor::nftables
