// NftConfig(s) -> model::Device, as an ordered script: find what the whole ruleset does that
// rules depend on (dynamic sets, notrack, NAT present), walk every base chain, then build the
// stages, destination NAT and source NAT, then coverage and object issues.
#include "vendor/nftables/to_model.h"

#include <algorithm>
#include <set>

#include "vendor/nftables/flatten.h"
#include "vendor/nftables/lexer.h"
#include "vendor/nftables/stages.h"

namespace sanso::vendor::nftables {
namespace {

using model::Action;
using model::Family;
using model::PacketSet;

bool modelled_family(TableFamily f) {
  return f == TableFamily::Ip || f == TableFamily::Ip6 || f == TableFamily::Inet;
}

PacketSet scope_of(TableFamily f) {
  if (f == TableFamily::Ip) return PacketSet::family(Family::V4);
  if (f == TableFamily::Ip6) return PacketSet::family(Family::V6);
  return PacketSet::family(Family::V4) | PacketSet::family(Family::V6);
}

bool has_word(const Rule& r, std::initializer_list<std::string_view> words) {
  return std::any_of(r.tokens.begin(), r.tokens.end(), [&](const Token& t) {
    return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return t.is(w); });
  });
}

struct StageBuild {
  int hook = 0;
  int priority = 0;
  std::size_t seq = 0;
  bool pre_dnat = false;   // sees destinations before destination NAT
  bool post_snat = false;  // sees sources after source NAT
  model::Filter filter;
};

struct NatChain {
  std::vector<model::DestinationNat> entries;
  bool has_rules = false;
};

/// Where DNAT sends the packets of `e` (the same image analysis applies).
PacketSet image(const model::DestinationNat& e) {
  if (!e.to) return PacketSet::none();
  PacketSet out = (e.match & PacketSet::family(e.to->family)).rewrite(model::Field::Dst, e.to->lo, e.to->hi);
  if (!e.to_ports) return out;
  PacketSet ported;
  for (std::uint8_t p : {model::kProtoTcp, model::kProtoUdp, model::kProtoSctp})
    ported |= (out & PacketSet::proto(p)).rewrite(model::Field::Dport, e.to_ports->first, e.to_ports->second);
  return ported | (out - PacketSet::proto(model::kProtoTcp) - PacketSet::proto(model::kProtoUdp) -
                   PacketSet::proto(model::kProtoSctp));
}

class Converter {
 public:
  Converter(model::Device& d, const std::vector<NftConfig>& configs) : d_(d), configs_(configs) {}

  void run() {
    survey();
    // NAT chains of prerouting first: rules elsewhere (ct status dnat) depend on their images.
    LineNotes scratch;
    for (const NftConfig& cfg : configs_)
      for (const Table& t : cfg.tables)
        if (!t.dormant && modelled_family(t.family))
          for (const Chain& c : t.chains)
            if (c.base && c.base->type == "nat" && c.base->hook == "prerouting") {
              FlattenResult res = walk(cfg, t, c, scratch);
              nat_prerouting(res, c);
            }
    dnat_images_ = images();
    for (const NftConfig& cfg : configs_) convert_file(cfg);
    finish_nat();
    order_stages();
  }

 private:
  // Ruleset-wide facts rules depend on.
  void survey() {
    for (const NftConfig& cfg : configs_) {
      for (const Table& t : cfg.tables) {
        if (t.dormant || !modelled_family(t.family)) continue;
        for (const Chain& c : t.chains) {
          for (const Rule& r : c.rules) {
            for (const std::string& s : updated_sets(r)) dynamic_[&t].insert(s);
            if (has_notrack(r))
              notrack_ += (notrack_.empty() ? "" : ", ") + std::to_string(r.line);
            if (has_word(r, {"dnat", "redirect"})) has_dnat_ = true;
            if (has_word(r, {"snat", "masquerade"})) has_snat_ = true;
          }
        }
      }
    }
  }

  LowerContext context(const Table& t, const std::string& hook, CtMode ct) const {
    LowerContext ctx;
    ctx.scope = scope_of(t.family);
    ctx.table = &t;
    ctx.hook = hook;
    ctx.ct = ct;
    ctx.device_has_dnat = has_dnat_;
    ctx.device_has_snat = has_snat_;
    ctx.dnat_images = dnat_images_;
    ctx.notrack_lines = notrack_;
    const auto it = dynamic_.find(&t);
    ctx.dynamic_sets = it == dynamic_.end() ? &no_sets_ : &it->second;
    return ctx;
  }

  static int context_key(const std::string& hook, CtMode ct) {
    static const char* kHooks[] = {"forward", "prerouting", "postrouting", "input", "output"};
    int h = 5;
    for (int i = 0; i < 5; ++i)
      if (hook == kHooks[i]) h = i;
    return h * 3 + static_cast<int>(ct);
  }

  void convert_file(const NftConfig& cfg) {
    LineNotes notes;
    std::map<int, std::string> texts;
    // Rules first: in JSON several objects share a line, and the rule is what coverage names.
    for (const Table& t : cfg.tables)
      for (const Chain& c : t.chains)
        for (const Rule& r : c.rules)
          for (int l = r.line; l <= std::max(r.line, r.end_line); ++l) texts.emplace(l, r.text);
    for (const Table& t : cfg.tables)
      for (const Chain& c : t.chains)
        if (c.base) texts.emplace(c.base->line, c.base->text);
    for (const Table& t : cfg.tables) {
      if (t.dormant) continue;
      if (!modelled_family(t.family)) {
        unmodelled_table(cfg, t, notes);
        continue;
      }
      for (const Chain& c : t.chains) {
        if (c.base) base_chain(cfg, t, c, notes);
        // Every rule once in the forward context: coverage of chains no base chain reaches, and
        // header rewrites anywhere.
        const LowerContext ctx = context(t, "forward", CtMode::New);
        for (const Rule& r : c.rules) {
          const LoweredRule& L = cache_.get(r, ctx, context_key("forward", CtMode::New));
          if (L.rewrites_headers) d_.unmodelled_nat.push_back({cfg.file, r.line, std::nullopt, r.text});
          if (c.base) continue;
          for (const std::string& n : L.notes)
            for (int l = r.line; l <= std::max(r.line, r.end_line); ++l) add_note(notes, l, n);
        }
      }
      object_issues(cfg, t);
    }
    model::Coverage cov{cfg.file, cfg.lines, {}};
    std::map<int, model::UnparsedLine> by_line;
    for (const auto& u : cfg.unparsed) by_line.emplace(u.line, u);
    for (const auto& [line, reasons] : notes) {
      if (line <= 0) continue;
      for (const std::string& r : reasons) {
        auto [it, fresh] = by_line.try_emplace(line, model::UnparsedLine{line, texts[line], r});
        if (!fresh && it->second.reason.find(r) == std::string::npos) it->second.reason += "; " + r;
      }
    }
    for (auto& [l, u] : by_line) cov.unparsed.push_back(std::move(u));
    d_.coverage.push_back(std::move(cov));
  }

  static void add_note(LineNotes& notes, int line, const std::string& why) {
    auto& v = notes[line];
    if (std::find(v.begin(), v.end(), why) == v.end()) v.push_back(why);
  }

  // arp, bridge, netdev (and inet ingress): read, not modelled. A chain that may drop makes
  // every crossing through the device unproven (an uncertain deny); one that only accepts
  // cannot remove what the modelled stages admit.
  void unmodelled_table(const NftConfig& cfg, const Table& t, LineNotes& notes) {
    const std::string why = std::string("family ") + family_name(t.family) + " is not modelled";
    for (const Chain& c : t.chains) {
      for (const Rule& r : c.rules)
        for (int l = r.line; l <= std::max(r.line, r.end_line); ++l) add_note(notes, l, why);
      if (c.base) unmodelled_chain(cfg, t, c, why, notes);
    }
  }

  void unmodelled_chain(const NftConfig& cfg, const Table& t, const Chain& c, const std::string& why,
                        LineNotes& notes) {
    add_note(notes, c.base->line, why);
    const bool may_drop = (c.base->policy && *c.base->policy != "accept") ||
                          std::any_of(c.rules.begin(), c.rules.end(), [](const Rule& r) {
                            return has_word(r, {"drop", "reject", "jump", "goto", "queue", "vmap", "xt",
                                                "dnat", "snat", "redirect", "masquerade", "fwd", "dup"});
                          });
    if (!may_drop) return;
    model::FilterEntry e;
    e.match = PacketSet::all();
    if (c.base->device && c.base->hook == "ingress") e.in = model::InterfaceMatch{*c.base->device, false};
    e.action = Action::Deny;
    e.uncertain = true;
    e.uncertain_why = why + ": chain " + c.name + " may drop packets";
    e.evidence.push_back({cfg.file, c.base->line, std::nullopt, c.base->text});
    e.normalized_text = std::string(family_name(t.family)) + " " + t.name + " " + c.name + ": not modelled";
    StageBuild s;
    s.hook = -1;  // first: before every modelled stage
    s.priority = c.base->priority.value_or(0);
    s.seq = seq_++;
    s.filter.name = std::string(family_name(t.family)) + " " + t.name + " " + c.name;
    s.filter.entries.push_back(std::move(e));
    stages_.push_back(std::move(s));
  }

  void base_chain(const NftConfig& cfg, const Table& t, const Chain& c, LineNotes& notes) {
    const BaseChain& b = *c.base;
    if (b.hook == "ingress" || b.hook == "egress")
      return unmodelled_chain(cfg, t, c, "hook " + b.hook + " is not modelled", notes);
    FlattenResult res = walk(cfg, t, c, notes);
    const std::string stage = std::string(family_name(t.family)) + " " + t.name + " " + c.name;
    const int hook = transit_hook_order(b.hook);
    if (hook < 0) return;  // input, output: never forwarded packets
    if (b.type == "filter") return add_stage(stage, b, hook, std::move(res.entries));
    if (b.type != "nat") {
      add_note(notes, b.line, "chain type " + b.type + " on hook " + b.hook + " is not modelled");
      return;
    }
    if (b.hook == "postrouting") nat_postrouting(res);
    // A nat chain drops too (its drop rules and policy): a stage, when it can.
    const bool drops = std::any_of(res.entries.begin(), res.entries.end(),
                                   [](const model::FilterEntry& e) { return e.action == Action::Deny; });
    if (drops && hook != 1) add_stage(stage, b, hook, std::move(res.entries));
  }

  FlattenResult walk(const NftConfig& cfg, const Table& t, const Chain& c, LineNotes& notes) {
    const BaseChain& b = *c.base;
    const CtMode ct = ct_mode(b);
    FlattenInput in;
    in.file = cfg.file;
    in.stage = std::string(family_name(t.family)) + " " + t.name + " " + c.name;
    in.table = &t;
    in.base = &c;
    in.ctx = context(t, b.hook, ct);
    in.context_key = context_key(b.hook, ct);
    in.cache = &cache_;
    return flatten(in, notes);
  }

  // Where the destination NAT entries send packets; nullopt when some entry is uncertain.
  std::optional<PacketSet> images() const {
    std::size_t with_rules = 0;
    for (const NatChain& c : nat_chains_) with_rules += c.has_rules ? 1 : 0;
    if (with_rules > 1) return std::nullopt;  // finish_nat makes them uncertain
    PacketSet out;
    for (const NatChain& c : nat_chains_)
      for (const model::DestinationNat& n : c.entries) {
        if (n.uncertain) return std::nullopt;
        out |= image(n);
      }
    return out;
  }

  void add_stage(const std::string& name, const BaseChain& b, int hook, std::vector<model::FilterEntry> entries) {
    StageBuild s;
    s.hook = hook;
    s.priority = effective_priority(b);
    s.seq = seq_++;
    // DNAT runs at -100 in prerouting: chains up to there (nat chains themselves included) judge
    // destinations before translation. SNAT runs at 100 in postrouting: filter chains from there
    // judge sources after it.
    s.pre_dnat = hook == 0 && (s.priority <= -100 || b.type == "nat");
    s.post_snat = hook == 2 && b.type == "filter" && s.priority >= 100;
    s.filter.name = name;
    s.filter.entries = std::move(entries);
    s.filter.default_action = Action::Permit;  // the policy is the last entry, per family
    stages_.push_back(std::move(s));
  }

  void nat_prerouting(const FlattenResult& res, const Chain& c) {
    NatChain chain;
    chain.has_rules = !c.rules.empty();
    for (std::size_t i = 0; i < res.entries.size(); ++i) {
      const model::FilterEntry& e = res.entries[i];
      const EntryInfo& info = res.info[i];
      model::DestinationNat n;
      n.in = e.in;
      n.match = e.match;
      n.uncertain = e.uncertain;
      n.uncertain_why = e.uncertain_why;
      n.evidence = e.evidence;
      if (info.verdict == Verdict::Redirect) {
        d_.unmodelled_nat.push_back(e.evidence.front());
      } else if (info.verdict == Verdict::Dnat && info.nat.understood) {
        n.to = info.nat.to;
        n.to_ports = info.nat.ports;
      } else if (info.verdict == Verdict::Dnat) {
        // A translation sanso cannot read may send the packets anywhere.
        n.uncertain = true;
        n.uncertain_why = "dnat target not understood";
        n.to_ports = std::make_pair(std::uint16_t{0}, std::uint16_t{65535});
        for (Family f : {Family::V4, Family::V6}) {
          if (!e.match.intersects(PacketSet::family(f))) continue;
          model::DestinationNat x = n;
          x.match = e.match & PacketSet::family(f);
          x.to = model::full_range(f);
          chain.entries.push_back(std::move(x));
        }
        continue;
      }
      chain.entries.push_back(std::move(n));
    }
    nat_chains_.push_back(std::move(chain));
  }

  void nat_postrouting(const FlattenResult& res) {
    for (std::size_t i = 0; i < res.entries.size(); ++i) {
      if (res.info[i].verdict != Verdict::Snat) continue;
      const model::FilterEntry& e = res.entries[i];
      d_.source_nat.push_back(model::SourceNat{e.out, e.match, e.evidence});
    }
  }

  // Several nat chains on prerouting: the first that translates a packet ends the lookup, an
  // accept in one goes on to the next; one first-match list cannot say that, so their entries
  // are all uncertain then.
  void finish_nat() {
    std::size_t with_rules = 0;
    for (const NatChain& c : nat_chains_) with_rules += c.has_rules ? 1 : 0;
    for (NatChain& c : nat_chains_) {
      if (!c.has_rules) continue;
      for (model::DestinationNat& n : c.entries) {
        if (with_rules > 1) {
          n.uncertain = true;
          n.uncertain_why = "several nat chains on prerouting: their order of translation is not modelled";
        }
        d_.destination_nat.push_back(std::move(n));
      }
    }
  }

  void order_stages() {
    std::stable_sort(stages_.begin(), stages_.end(), [](const StageBuild& a, const StageBuild& b) {
      if (a.hook != b.hook) return a.hook < b.hook;
      if (a.priority != b.priority) return a.priority < b.priority;
      return a.seq < b.seq;
    });
    // Packets DNAT may have produced: a stage before DNAT judged their original destination.
    PacketSet translated;
    for (const model::DestinationNat& n : d_.destination_nat) {
      if (n.uncertain && n.to) translated |= PacketSet::family(n.to->family);
      else translated |= image(n);
    }
    for (StageBuild& s : stages_) {
      std::vector<model::FilterEntry> front;
      const bool can_drop = std::any_of(s.filter.entries.begin(), s.filter.entries.end(),
                                        [](const model::FilterEntry& e) { return e.action == Action::Deny; });
      if (s.pre_dnat && can_drop && !translated.empty()) {
        model::FilterEntry e;
        e.match = translated;
        e.action = Action::Permit;
        e.uncertain = true;
        e.uncertain_why = "this chain runs before destination NAT: it judged these packets by their "
                          "original destination";
        e.evidence = s.filter.entries.back().evidence;
        e.normalized_text = s.filter.name + ": before dnat";
        front.push_back(std::move(e));
      }
      if (s.post_snat && can_drop) {
        for (const model::SourceNat& n : d_.source_nat) {
          model::FilterEntry e;
          e.match = n.match;
          e.out = n.out;
          e.action = Action::Permit;
          e.uncertain = true;
          e.uncertain_why = "this chain runs after source NAT: it judged these packets by their "
                            "translated source";
          e.evidence = n.evidence;
          e.normalized_text = s.filter.name + ": after snat";
          front.push_back(std::move(e));
        }
      }
      if (!front.empty())
        s.filter.entries.insert(s.filter.entries.begin(), std::make_move_iterator(front.begin()),
                                std::make_move_iterator(front.end()));
      d_.transit.push_back(std::move(s.filter));
    }
  }

  // Chains no jump, goto or vmap names; jumps to chains that do not exist; sets no rule names.
  void object_issues(const NftConfig& cfg, const Table& t) {
    std::set<std::string> targeted, referenced;
    std::map<std::string, const Rule*> first_use;
    for (const Chain& c : t.chains) {
      for (const Rule& r : c.rules) {
        for (std::size_t i = 0; i < r.tokens.size(); ++i) {
          const Token& k = r.tokens[i];
          if ((k.is("jump") || k.is("goto")) && i + 1 < r.tokens.size()) {
            targeted.insert(r.tokens[i + 1].text);
            first_use.try_emplace("chain " + r.tokens[i + 1].text, &r);
          }
          if (k.kind == Token::Kind::Word && k.text.size() > 1 && k.text[0] == '@') {
            referenced.insert(k.text.substr(1));
            first_use.try_emplace("set " + k.text.substr(1), &r);
          }
        }
      }
    }
    for (const SetDecl& s : t.sets)
      for (const Element& e : s.elements)
        for (std::size_t i = 0; i + 1 < e.value.size(); ++i)
          if (e.value[i].is("jump") || e.value[i].is("goto")) targeted.insert(e.value[i + 1].text);
    auto has_chain = [&](const std::string& n) {
      return std::any_of(t.chains.begin(), t.chains.end(), [&](const Chain& c) { return c.name == n; });
    };
    auto has_set = [&](const std::string& n) {
      return std::any_of(t.sets.begin(), t.sets.end(), [&](const SetDecl& s) { return s.name == n; });
    };
    using model::ObjectIssue;
    for (const Chain& c : t.chains)
      if (!c.base && targeted.count(c.name) == 0)
        d_.object_issues.push_back({ObjectIssue::Kind::Unused, "chain", c.name,
                                    {cfg.file, c.line, std::nullopt, "chain " + c.name}});
    for (const std::string& n : targeted)
      if (!has_chain(n)) {
        const auto it = first_use.find("chain " + n);
        const Rule* r = it == first_use.end() ? nullptr : it->second;
        d_.object_issues.push_back({ObjectIssue::Kind::Undefined, "chain", n,
                                    {cfg.file, r ? std::optional<int>(r->line) : std::nullopt, std::nullopt,
                                     r ? r->text : ""}});
      }
    for (const SetDecl& s : t.sets)
      if (referenced.count(s.name) == 0)
        d_.object_issues.push_back({ObjectIssue::Kind::Unused, s.is_map ? "map" : "set", s.name,
                                    {cfg.file, s.line, std::nullopt, (s.is_map ? "map " : "set ") + s.name}});
    for (const std::string& n : referenced)
      if (!has_set(n)) {
        const Rule* r = first_use["set " + n];
        d_.object_issues.push_back({ObjectIssue::Kind::Undefined, "set", n,
                                    {cfg.file, r ? std::optional<int>(r->line) : std::nullopt, std::nullopt,
                                     r ? r->text : ""}});
      }
  }

  model::Device& d_;
  const std::vector<NftConfig>& configs_;
  std::map<const Table*, std::set<std::string>> dynamic_;
  std::set<std::string> no_sets_;
  std::string notrack_;
  bool has_dnat_ = false;
  bool has_snat_ = false;
  LoweringCache cache_;
  std::vector<StageBuild> stages_;
  std::vector<NatChain> nat_chains_;
  std::size_t seq_ = 0;
  std::optional<PacketSet> dnat_images_;
};

}  // namespace

model::Device to_model(const std::string& device_name, const std::vector<NftConfig>& configs) {
  model::Device d;
  d.name = device_name;
  d.vendor = "nftables";
  // `nft list ruleset` shows every family: a family without a base chain on a hook accepts.
  d.families = {Family::V4, Family::V6};
  Converter(d, configs).run();
  d.assumptions = {
      "nftables: audited packets open connections: conntrack state NEW in chains after conntrack "
      "(forward, postrouting, prerouting above priority -200) and INVALID before it (prerouting "
      "below -200)",
      "nftables: TCP flags FIN, PSH, URG, ECN and CWR are clear in audited packets",
      "nftables: packets are not fragments and carry no IPv6 extension headers (ip6 nexthdr is "
      "the upper-layer protocol)",
      "nftables: interfaces are Ethernet: ether saddr is the source MAC of the frame received",
      "nftables: the ruleset given is the whole ruleset of the device (no iptables-legacy rules "
      "beside it)",
  };
  return d;
}

}  // namespace sanso::vendor::nftables
