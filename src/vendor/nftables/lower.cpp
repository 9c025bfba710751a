// Rule items -> virtual rules. Every selector implies its dependency the way nft adds one
// (`tcp dport` implies `meta l4proto tcp`, `ip saddr` implies IPv4), and `!=` negates the value,
// never the dependency. A condition sanso cannot decide offline leaves the match wider (every
// packet the rule could match stays in it) and names the reason: the entry becomes uncertain.
#include "vendor/nftables/lower.h"

#include <algorithm>

#include "vendor/nftables/iface.h"
#include "vendor/nftables/lexer.h"
#include "vendor/nftables/lower_values.h"
#include "vendor/nftables/names.h"
#include "vendor/nftables/parse.h"
#include "vendor/nftables/rule.h"

namespace sanso::vendor::nftables {
namespace {

using namespace lowering;
using Kind = Token::Kind;

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
