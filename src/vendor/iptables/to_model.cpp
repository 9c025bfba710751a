// IptablesConfig -> model::Device. Every rule of every table is lowered once (so coverage
// reports what was not understood anywhere, INPUT and OUTPUT included); only the forwarding
// stages become model::Filters; destination NAT is listed, not applied; source NAT is recorded
// as model::Device::source_nat.
#include "vendor/iptables/to_model.h"

#include <charconv>

#include <algorithm>
#include <set>
#include <string_view>

#include "vendor/iptables/flatten.h"
#include "vendor/iptables/lower.h"
#include "vendor/iptables/names.h"
#include "vendor/iptables/objects.h"

namespace sanso::vendor::iptables {
namespace {

using model::Family;
using model::PacketSet;

constexpr std::string_view kNatReason = "NAT not modelled: crossings through this device are "
                                        "unproven";

bool is_builtin(std::string_view table, std::string_view chain) {
  const bool pre = chain == "PREROUTING", in = chain == "INPUT", fwd = chain == "FORWARD";
  const bool out = chain == "OUTPUT", post = chain == "POSTROUTING";
  if (table == "raw") return pre || out;
  if (table == "mangle") return pre || in || fwd || out || post;
  if (table == "nat") return pre || in || out || post;
  if (table == "filter" || table == "security") return in || fwd || out;
  return false;
}

bool is_known_table(std::string_view t) {
  return t == "raw" || t == "mangle" || t == "nat" || t == "filter" || t == "security";
}

bool declares(const Table& t, std::string_view chain) {
  return std::any_of(t.chains.begin(), t.chains.end(),
                     [chain](const ChainDecl& c) { return c.name == chain; });
}

bool has_arg(const Target& t, std::string_view arg) {
  return std::find(t.args.begin(), t.args.end(), arg) != t.args.end();
}

struct DnatTarget {
  model::IpRange to;
  std::optional<std::pair<std::uint16_t, std::uint16_t>> ports;
};

/// "--to-destination ADDR[-ADDR][:PORT[-PORT]]" (IPv6: "[ADDR]:PORT"); nullopt when absent,
/// repeated or not understood.
std::optional<DnatTarget> parse_dnat_target(const Target& t, Family family) {
  std::optional<std::string> value;
  for (std::size_t i = 0; i + 1 < t.args.size(); ++i) {
    if (t.args[i] != "--to-destination" && t.args[i] != "--to") continue;
    if (value) return std::nullopt;  // several destinations (old kernels): not modelled
    value = t.args[i + 1];
  }
  if (!value || value->empty()) return std::nullopt;
  std::string addr = *value;
  std::string ports;
  if (addr.front() == '[') {  // [v6]:port
    const auto close = addr.find(']');
    if (close == std::string::npos) return std::nullopt;
    if (close + 1 < addr.size()) {
      if (addr[close + 1] != ':') return std::nullopt;
      ports = addr.substr(close + 2);
    }
    addr = addr.substr(1, close - 1);
  } else if (family == Family::V4) {
    const auto colon = addr.find(':');
    if (colon != std::string::npos) {
      ports = addr.substr(colon + 1);
      addr = addr.substr(0, colon);
    }
  }
  DnatTarget out;
  const auto range = addr.find('-') == std::string::npos ? model::parse_cidr(addr)
                                                           : model::parse_ip_range(addr);
  if (!range || range->family != family || (addr.find('/') != std::string::npos)) return std::nullopt;
  out.to = *range;
  if (!ports.empty()) {
    const auto dash = ports.find('-');
    const std::string lo_text = ports.substr(0, dash);
    const std::string hi_text = dash == std::string::npos ? lo_text : ports.substr(dash + 1);
    unsigned lo = 0, hi = 0;
    const auto r1 = std::from_chars(lo_text.data(), lo_text.data() + lo_text.size(), lo);
    const auto r2 = std::from_chars(hi_text.data(), hi_text.data() + hi_text.size(), hi);
    if (r1.ec != std::errc() || r1.ptr != lo_text.data() + lo_text.size() ||
        r2.ec != std::errc() || r2.ptr != hi_text.data() + hi_text.size() || lo > hi ||
        hi > 65535) {
      return std::nullopt;
    }
    out.ports = std::make_pair(static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi));
  }
  return out;
}

// Everything a converted file contributes to the device.
class FileConverter {
 public:
  FileConverter(const IptablesConfig& cfg, Family family, const IpsetConfig* ipsets)
      : cfg_(cfg), family_(family) {
    ctx_.family = family;
    ctx_.ipsets = ipsets;
    ctx_.dynamic_sets = &dynamic_sets_;
    ctx_.notrack = &notrack_;
    collect_dynamic_sets();
    collect_notracked();
    ctx_.dnat = rewrites_destinations();
    for (const Table& t : cfg_.tables) lower_table(t);
  }

  /// Appends this file's entries for every stage it defines to `filters` (merged by name).
  void add_stages(std::vector<model::Filter>& filters) {
    for (const Stage& s : kTransitStages) {
      for (std::size_t i = 0; i < cfg_.tables.size(); ++i) {
        const Table& t = cfg_.tables[i];
        if (t.name != s.table) continue;
        const bool has_rules = std::any_of(t.rules.begin(), t.rules.end(),
                                           [&s](const Rule& r) { return r.chain == s.chain; });
        if (!declares(t, s.chain) && !has_rules) continue;
        FlattenInput in{cfg_.file, &t, &lowered_[i], family_};
        auto entries = flatten_chain(in, s.chain, notes_);
        const std::string name = std::string(s.table) + " " + s.chain;
        auto it = std::find_if(filters.begin(), filters.end(),
                               [&name](const model::Filter& f) { return f.name == name; });
        if (it == filters.end()) {
          filters.push_back(model::Filter{name, {}, model::Action::Permit, {}});
          it = filters.end() - 1;
        }
        for (auto& e : entries) it->entries.push_back(std::move(e));
      }
    }
  }

  /// The nat PREROUTING chain as first-match destination NAT entries (DNAT applied, other
  /// verdicts leave packets untranslated).
  void add_destination_nat(std::vector<model::DestinationNat>& out) {
    for (std::size_t i = 0; i < cfg_.tables.size(); ++i) {
      const Table& t = cfg_.tables[i];
      if (t.name != "nat") continue;
      const bool has_rules = std::any_of(t.rules.begin(), t.rules.end(),
                                         [](const Rule& r) { return r.chain == "PREROUTING"; });
      if (!declares(t, "PREROUTING") && !has_rules) continue;
      FlattenInput in{cfg_.file, &t, &lowered_[i], family_};
      for (auto& e : flatten_chain(in, "PREROUTING", notes_)) {
        model::DestinationNat n;
        n.in = e.in;
        n.match = std::move(e.match);
        n.uncertain = e.uncertain;
        n.uncertain_why = e.uncertain_why;
        const auto target = e.evidence.empty() || !e.evidence.front().line
                                ? dnat_targets_.end()
                                : dnat_targets_.find(*e.evidence.front().line);
        if (target != dnat_targets_.end()) {
          n.to = target->second.to;
          n.to_ports = target->second.ports;
        } else if (!e.evidence.empty() && e.evidence.front().line &&
                   dnat_unknown_.count(*e.evidence.front().line) != 0) {
          // A translation sanso cannot read may send the packets anywhere.
          n.to = model::full_range(family_);
          n.to_ports = std::make_pair(std::uint16_t{0}, std::uint16_t{65535});
          n.uncertain = true;
          n.uncertain_why = "DNAT target not understood";
        }
        n.evidence = std::move(e.evidence);
        out.push_back(std::move(n));
      }
    }
  }

  /// The SNAT/MASQUERADE entries of nat POSTROUTING (and the user chains it reaches).
  void add_source_nat(std::vector<model::SourceNat>& out) {
    for (std::size_t i = 0; i < cfg_.tables.size(); ++i) {
      const Table& t = cfg_.tables[i];
      if (t.name != "nat") continue;
      const bool has_rules = std::any_of(t.rules.begin(), t.rules.end(),
                                         [](const Rule& r) { return r.chain == "POSTROUTING"; });
      if (!declares(t, "POSTROUTING") && !has_rules) continue;
      FlattenInput in{cfg_.file, &t, &lowered_[i], family_};
      for (auto& e : flatten_chain(in, "POSTROUTING", notes_)) {
        if (e.evidence.empty() || !e.evidence.front().line ||
            snat_lines_.count(*e.evidence.front().line) == 0) {
          continue;
        }
        out.push_back(model::SourceNat{e.out, std::move(e.match), std::move(e.evidence)});
      }
    }
  }

  const std::vector<model::SourceRef>& nat() const { return nat_; }

  model::Coverage coverage() const {
    std::map<int, model::UnparsedLine> by_line;
    for (const model::UnparsedLine& u : cfg_.unparsed) add_reason(by_line, u.line, u.text, u.reason);
    const auto texts = line_texts();
    for (const auto& [line, reasons] : notes_) {
      const auto t = texts.find(line);
      for (const std::string& r : reasons)
        add_reason(by_line, line, t == texts.end() ? std::string() : t->second, r);
    }
    model::Coverage c{cfg_.file, cfg_.lines, {}};
    for (auto& [line, u] : by_line) c.unparsed.push_back(std::move(u));
    return c;
  }

 private:
  static void add_reason(std::map<int, model::UnparsedLine>& by_line, int line,
                         const std::string& text, const std::string& reason) {
    auto [it, fresh] = by_line.try_emplace(line, model::UnparsedLine{line, text, reason});
    if (fresh) return;
    std::string& all = it->second.reason;
    if (all.find(reason) == std::string::npos) all += "; " + reason;
  }

  std::map<int, std::string> line_texts() const {
    std::map<int, std::string> out;
    for (const Table& t : cfg_.tables) {
      out[t.line] = "*" + t.name;
      for (const ChainDecl& c : t.chains) out[c.line] = c.text;
      for (const Rule& r : t.rules) out[r.line] = r.text;
    }
    return out;
  }

  void note(int line, std::string reason) {
    auto& v = notes_[line];
    if (std::find(v.begin(), v.end(), reason) == v.end()) v.push_back(std::move(reason));
  }

  // `-j SET --add-set NAME ...` changes NAME while packets flow: its members are not static.
  void collect_dynamic_sets() {
    for (const Table& t : cfg_.tables)
      for (const Rule& r : t.rules) {
        if (!r.target || r.target->name != "SET") continue;
        const auto& a = r.target->args;
        for (std::size_t i = 0; i + 1 < a.size(); ++i)
          if (a[i] == "--add-set" || a[i] == "--del-set") dynamic_sets_.insert(a[i + 1]);
      }
  }

  // DNAT for forwarded packets (nat OUTPUT sees locally generated ones only).
  bool rewrites_destinations() const {
    for (const Table& t : cfg_.tables) {
      if (t.name != "nat") continue;
      for (const Rule& r : t.rules)
        if (r.target && r.target->name == "DNAT" && r.chain != "OUTPUT") return true;
    }
    return false;
  }

  // Raw-table rules that may exempt forwarded packets from conntrack (order and the chains
  // leading there ignored: an over-approximation, used only to make state matches uncertain).
  // raw OUTPUT sees only locally generated packets.
  void collect_notracked() {
    LowerContext plain = ctx_;
    plain.notrack = nullptr;
    plain.before_conntrack = true;
    for (const Table& t : cfg_.tables) {
      if (t.name != "raw") continue;
      for (const Rule& r : t.rules) {
        if (r.garbled || !r.target || r.chain == "OUTPUT") continue;
        const bool notrack = r.target->name == "NOTRACK" ||
                             (r.target->name == "CT" && has_arg(*r.target, "--notrack"));
        if (!notrack) continue;
        LoweredMatch m = lower_matches(r, plain);
        notrack_.push_back(NotrackRule{r.line, std::move(m.match), m.in});
      }
    }
  }

  void lower_table(const Table& t) {
    std::vector<LoweredMatch> lowered;
    lowered.reserve(t.rules.size());
    if (!is_known_table(t.name)) note(t.line, "table " + t.name + " is not modelled");
    LowerContext ctx = ctx_;
    ctx.before_conntrack = t.name == "raw";
    for (const Rule& r : t.rules) {
      if (r.garbled) {
        note(r.line, "line not understood: " + *r.garbled);
        lowered.emplace_back();
        continue;
      }
      // A connection's original destination differs from the packet's only after nat
      // PREROUTING; INPUT and OUTPUT rules do not decide forwarding.
      ctx.dnat = ctx_.dnat && r.chain != "PREROUTING" && r.chain != "INPUT" && r.chain != "OUTPUT";
      LoweredMatch m = lower_matches(r, ctx);
      for (const std::string& why : m.uncertain) note(r.line, why);
      check_rule(t, r);
      lowered.push_back(std::move(m));
    }
    lowered_.push_back(std::move(lowered));
  }

  void check_rule(const Table& t, const Rule& r) {
    if (!is_builtin(t.name, r.chain) && !declares(t, r.chain))
      note(r.line, "rule for chain " + r.chain + ", which is not declared");
    if (!r.target) return;
    const std::string& name = r.target->name;
    if (declares(t, name)) return;
    switch (classify_target(name)) {
      case TargetClass::Accept:
      case TargetClass::Deny:
      case TargetClass::Return:
      case TargetClass::NonTerminal:
        return;
      case TargetClass::Nat:
        if (t.name == "nat") {
          const model::SourceRef ref{cfg_.file, r.line, std::nullopt, r.text};
          // Source NAT happens after filtering: modelled as "the source leaves unknown" (device.h).
          if (name == "SNAT" || name == "MASQUERADE") {
            snat_lines_.insert(r.line);
            return;
          }
          if (name == "DNAT") {
            if (r.chain == "OUTPUT") return;  // locally generated packets are never forwarded
            if (auto to = parse_dnat_target(*r.target, family_)) {
              dnat_targets_[r.line] = *to;
              return;
            }
            nat_.push_back(ref);
            dnat_unknown_.insert(r.line);
            note(r.line, "DNAT target not understood: crossings through this device are unproven");
            return;
          }
          nat_.push_back(ref);
          note(r.line, std::string(kNatReason));
          return;
        }
        note(r.line, "target " + name + " outside the nat table");
        return;
      case TargetClass::Unknown:
        note(r.line, "unknown target " + name);
        return;
    }
  }

  const IptablesConfig& cfg_;
  Family family_;
  LowerContext ctx_;
  std::set<std::string> dynamic_sets_;
  std::vector<NotrackRule> notrack_;
  std::vector<std::vector<LoweredMatch>> lowered_;  // parallel to cfg_.tables
  LineNotes notes_;
  std::vector<model::SourceRef> nat_;
  std::set<int> snat_lines_;  // SNAT/MASQUERADE lines of the nat table
  std::map<int, DnatTarget> dnat_targets_;  // by line
  std::set<int> dnat_unknown_;              // DNAT lines whose target was not understood
};

model::Coverage ipset_coverage(const IpsetConfig& s) {
  return model::Coverage{s.file, s.lines, s.unparsed};
}

}  // namespace

model::Family file_family(const IptablesConfig& cfg, std::size_t position) {
  if (cfg.declared_family) return *cfg.declared_family;
  if (cfg.address_family) return *cfg.address_family;
  return position == 1 ? Family::V6 : Family::V4;
}

model::Device to_model(const std::string& device_name, const std::vector<IptablesConfig>& configs,
                       const std::optional<IpsetConfig>& ipsets) {
  model::Device d;
  d.name = device_name;
  d.vendor = "iptables";
  const IpsetConfig* sets = ipsets ? &*ipsets : nullptr;
  for (std::size_t i = 0; i < configs.size(); ++i) {
    const Family f = file_family(configs[i], i);
    if (std::find(d.families.begin(), d.families.end(), f) == d.families.end())
      d.families.push_back(f);
    FileConverter conv(configs[i], f, sets);
    conv.add_stages(d.transit);
    conv.add_destination_nat(d.destination_nat);
    d.unmodelled_nat.insert(d.unmodelled_nat.end(), conv.nat().begin(), conv.nat().end());
    conv.add_source_nat(d.source_nat);
    d.coverage.push_back(conv.coverage());
  }
  // Stages in forwarding order, whichever file defined them first.
  std::vector<model::Filter> ordered;
  for (const Stage& s : kTransitStages) {
    const std::string name = std::string(s.table) + " " + s.chain;
    for (auto& f : d.transit)
      if (f.name == name) ordered.push_back(std::move(f));
  }
  d.transit = std::move(ordered);
  if (sets) d.coverage.push_back(ipset_coverage(*sets));
  d.object_issues = object_issues(configs, ipsets);
  d.assumptions = {
      "iptables: audited packets open connections (conntrack state NEW, or UNTRACKED where a "
      "raw-table NOTRACK may apply); ESTABLISHED/RELATED/INVALID-only rules match none of them",
      "iptables: TCP flags FIN, PSH, URG, ECE and CWR are clear in audited packets "
      "(--tcp-flags requiring one set matches nothing; one in the mask only is ignored)",
      "iptables: conntrack --ctorig* options are read as the packet's own fields (after DNAT "
      "--ctorigdst and --ctorigdstport are uncertain; SNAT comes after the filters)",
  };
  return d;
}

}  // namespace sanso::vendor::iptables
