// Chain flattening. A user chain is copied at each jump to it, its rules narrowed to what the
// jump matched; RETURN (and the end of the chain) resumes after the jump, so a rule after a
// RETURN in the same invocation loses what that RETURN took out. A goto is a jump followed by
// an implicit RETURN of the caller. Where it is not certain that a RETURN took packets out
// (uncertain condition, interface condition the context does not imply), later rules of the
// invocation keep those packets but are uncertain for them.
#include "vendor/iptables/flatten.h"

#include <algorithm>
#include <optional>

#include "vendor/iptables/iface.h"
#include "vendor/iptables/names.h"

namespace sanso::vendor::iptables {
namespace {

using model::Action;
using model::FilterEntry;
using model::PacketSet;

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::optional<Action> policy_action(const std::optional<std::string>& policy) {
  if (!policy || *policy == "ACCEPT") return Action::Permit;
  if (*policy == "DROP") return Action::Deny;
  return std::nullopt;
}

// Packets for which whatever follows is uncertain, and why.
struct Doubt {
  PacketSet set;
  std::string why;
};

constexpr const char* kMaybeReturned =
    "an earlier RETURN of this chain may have taken these packets out";

// One invocation of a chain.
struct Frame {
  PacketSet live;             // packets that can still be at the current rule
  std::vector<Doubt> doubts;  // e.g. packets an earlier uncertain RETURN may have taken out
  std::optional<model::InterfaceMatch> in;
  std::optional<model::InterfaceMatch> out;
  std::vector<std::string> why;       // the invocation itself may not happen
  std::vector<const Rule*> via;       // -j/-g lines leading here, outermost first
  std::vector<std::string> stack;     // chain names being walked
  bool builtin = false;
  Action policy = Action::Permit;
};

class Flattener {
 public:
  Flattener(const FlattenInput& in, LineNotes& notes) : in_(in), notes_(notes) {
    for (std::size_t i = 0; i < in.table->rules.size(); ++i)
      by_chain_[in.table->rules[i].chain].push_back(i);
    for (const ChainDecl& c : in.table->chains) declared_[c.name] = &c;
  }

  std::vector<FilterEntry> run(const std::string& chain) {
    const auto decl = declared_.find(chain);
    const ChainDecl* d = decl == declared_.end() ? nullptr : decl->second;
    const auto policy = policy_action(d != nullptr ? d->policy : std::nullopt);
    Frame f;
    f.live = PacketSet::family(in_.family);
    f.builtin = true;
    f.policy = policy.value_or(Action::Permit);
    f.stack.push_back(chain);
    walk(chain, f);
    entries_.push_back(policy_entry(chain, d, policy));
    return std::move(entries_);
  }

 private:
  model::SourceRef ref(const Rule& r) const { return {in_.file, r.line, std::nullopt, r.text}; }

  FilterEntry policy_entry(const std::string& chain, const ChainDecl* d,
                           const std::optional<Action>& policy) {
    FilterEntry e;
    e.match = PacketSet::family(in_.family);
    e.action = policy.value_or(Action::Permit);
    const std::string written = d != nullptr && d->policy ? *d->policy : "ACCEPT";
    if (!policy) {
      e.uncertain = true;
      e.uncertain_why = "unknown chain policy " + written;
      notes_[d->line].push_back(e.uncertain_why);
    }
    e.evidence.push_back(d != nullptr ? model::SourceRef{in_.file, d->line, std::nullopt, d->text}
                                      : model::SourceRef{in_.file, std::nullopt, std::nullopt,
                                                         "policy ACCEPT (not written)"});
    e.normalized_text = in_.table->name + " " + chain + ": policy " + written;
    e.logged = logged(e.match, std::nullopt, std::nullopt);
    return e;
  }

  static bool is_log_target(const std::string& name) {
    return name == "LOG" || name == "NFLOG" || name == "ULOG";
  }

  // A LOG rule every packet of `eff` surely passes (doubtful packets may have left earlier).
  void note_log(const Frame& f, const LoweredMatch& m, const PacketSet& eff,
                const std::optional<model::InterfaceMatch>& in,
                const std::optional<model::InterfaceMatch>& out) {
    PacketSet sure = eff - m.doubtful;
    for (const Doubt& d : f.doubts) sure -= d.set;
    if (!sure.empty()) logs_.push_back({std::move(sure), in, out});
  }

  // Every packet of `match` (on interfaces satisfying in/out) passed a LOG rule before: a LOG
  // rule preceding with the same match (directly or in a chain like LOG_ACCEPT) logs the entry.
  bool logged(const PacketSet& match, const std::optional<model::InterfaceMatch>& in,
              const std::optional<model::InterfaceMatch>& out) const {
    if (match.empty() || logs_.empty()) return false;
    PacketSet rest = match;
    for (const LogRule& l : logs_) {
      if (!implies(in, l.in) || !implies(out, l.out) || !rest.intersects(l.set)) continue;
      rest -= l.set;
      if (rest.empty()) return true;
    }
    return false;
  }

  static void add_doubt(std::vector<Doubt>& doubts, const PacketSet& set, const std::string& why) {
    if (set.empty()) return;
    for (Doubt& d : doubts) {
      if (d.why != why) continue;
      d.set |= set;
      return;
    }
    doubts.push_back({set, why});
  }

  void emit(const Frame& f, const Rule& r, const LoweredMatch* m, const PacketSet& eff,
            const std::optional<model::InterfaceMatch>& in,
            const std::optional<model::InterfaceMatch>& out, Action action,
            std::vector<std::string> why) {
    FilterEntry e;
    e.in = in;
    e.out = out;
    e.action = action;
    e.evidence.push_back(ref(r));
    for (auto it = f.via.rbegin(); it != f.via.rend(); ++it) e.evidence.push_back(ref(**it));
    e.normalized_text = normalized_rule_text(in_.table->name, r);
    e.logged = logged(eff, in, out);
    why.insert(why.end(), f.why.begin(), f.why.end());
    if (!why.empty()) {
      e.match = eff;
      e.uncertain = true;
      e.uncertain_why = join(why);
      entries_.push_back(std::move(e));
      return;
    }
    PacketSet maybe;
    std::vector<std::string> doubt_why;
    auto consider = [&](const PacketSet& set, const std::string& reason) {
      if (set.empty()) return;
      PacketSet part = eff & set;
      if (part.empty()) return;
      maybe |= part;
      doubt_why.push_back(reason);
    };
    for (const Doubt& d : f.doubts) consider(d.set, d.why);
    if (m != nullptr) consider(m->doubtful, m->doubtful_why);
    PacketSet sure = maybe.empty() ? eff : eff - maybe;
    if (!maybe.empty()) {
      FilterEntry u = e;
      u.match = std::move(maybe);
      u.uncertain = true;
      u.uncertain_why = join(doubt_why);
      entries_.push_back(std::move(u));
      if (sure.empty()) return;
    }
    e.match = std::move(sure);
    entries_.push_back(std::move(e));
  }

  // RETURN (or the return after a goto) within a user chain invocation.
  static void take_out(Frame& f, const LoweredMatch& m, const PacketSet& eff, bool certain) {
    if (eff.empty()) return;
    if (!certain) return add_doubt(f.doubts, eff, kMaybeReturned);
    const PacketSet doubtful = eff & m.doubtful;
    f.live -= doubtful.empty() ? eff : eff - doubtful;
    add_doubt(f.doubts, doubtful, kMaybeReturned);
  }

  void walk(const std::string& chain, Frame& f) {
    const auto it = by_chain_.find(chain);
    if (it == by_chain_.end()) return;
    for (std::size_t idx : it->second) {
      ++steps_;
      rule(f, in_.table->rules[idx], (*in_.lowered)[idx]);
    }
  }

  void rule(Frame& f, const Rule& r, const LoweredMatch& m) {
    if (r.garbled) {
      emit(f, r, nullptr, f.live, f.in, f.out, Action::Permit,
           {"line not understood: " + *r.garbled});
      return;
    }
    if (!r.target) return;  // no target: counts packets only
    const auto ci = combine(f.in, m.in);
    const auto co = combine(f.out, m.out);
    PacketSet eff = (ci.empty || co.empty) ? PacketSet::none() : (f.live & m.match);
    std::vector<std::string> why = m.uncertain;
    if (ci.approximate || co.approximate)
      why.push_back("interface conditions of the rule and its jump combined approximately");
    const bool iface_implied = implies(f.in, m.in) && implies(f.out, m.out);
    const bool certain = why.empty() && iface_implied;

    const std::string& name = r.target->name;
    const bool is_chain = by_chain_.count(name) != 0 || declared_.count(name) != 0;
    if (is_chain && classify_target(name) == TargetClass::Unknown) {
      jump(f, r, m, eff, ci.match, co.match, why, certain);
      return;
    }
    switch (classify_target(name)) {
      case TargetClass::Accept:
        return emit(f, r, &m, eff, ci.match, co.match, Action::Permit, why);
      case TargetClass::Deny:
        return emit(f, r, &m, eff, ci.match, co.match, Action::Deny, why);
      case TargetClass::Return:
        if (f.builtin) return emit(f, r, &m, eff, ci.match, co.match, f.policy, why);
        return take_out(f, m, eff, certain);
      case TargetClass::NonTerminal:
        if (is_log_target(name) && why.empty() && f.why.empty()) note_log(f, m, eff, ci.match, co.match);
        return;
      case TargetClass::Nat:
        // In the nat table the entry stands for the translation; to_model says what it does.
        if (in_.table->name == "nat") return emit(f, r, &m, eff, ci.match, co.match, Action::Permit, why);
        [[fallthrough]];
      case TargetClass::Unknown:
        why.push_back("unknown target " + name);
        return emit(f, r, &m, eff, ci.match, co.match, Action::Permit, why);
    }
  }

  void jump(Frame& f, const Rule& r, const LoweredMatch& m, const PacketSet& eff,
            const std::optional<model::InterfaceMatch>& in,
            const std::optional<model::InterfaceMatch>& out, const std::vector<std::string>& why,
            bool certain) {
    const std::string& target = r.target->name;
    const bool loop = std::find(f.stack.begin(), f.stack.end(), target) != f.stack.end() ||
                      static_cast<int>(f.stack.size()) > kMaxJumpDepth;
    if (loop || entries_.size() > kMaxEntries || steps_ > kMaxSteps) {
      const std::string note = loop ? "chain loop: " + target + " is already being walked"
                                    : "too many entries after flattening user chains";
      notes_[r.line].push_back(note);
      auto w = why;
      w.push_back(note);
      emit(f, r, &m, eff, in, out, Action::Permit, w);
      return;
    }
    if (!eff.empty()) {
      Frame child;
      child.live = eff;
      child.doubts = f.doubts;
      add_doubt(child.doubts, eff & m.doubtful, m.doubtful_why);
      child.in = in;
      child.out = out;
      child.why = f.why;
      if (!why.empty())
        child.why.push_back("reached through an uncertain jump at line " + std::to_string(r.line) +
                            " (" + join(why) + ")");
      child.via = f.via;
      child.via.push_back(&r);
      child.stack = f.stack;
      child.stack.push_back(target);
      walk(target, child);
    }
    if (r.target->kind == TargetKind::Jump) return;
    // Goto: what returns from the target resumes in the caller's caller.
    if (f.builtin) return emit(f, r, &m, eff, in, out, f.policy, why);
    take_out(f, m, eff, certain);
  }

  const FlattenInput& in_;
  LineNotes& notes_;
  std::map<std::string, std::vector<std::size_t>> by_chain_;
  std::map<std::string, const ChainDecl*> declared_;
  std::vector<FilterEntry> entries_;
  struct LogRule {
    PacketSet set;
    std::optional<model::InterfaceMatch> in, out;
  };
  std::vector<LogRule> logs_;  // LOG rules met so far in the walk
  std::size_t steps_ = 0;  // rules visited, to bound the work on adversarial chain graphs
};

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string normalized_rule_text(const std::string& table, const Rule& rule) {
  std::string_view text = rule.text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close != std::string_view::npos) text.remove_prefix(close + 1);
  }
  return table + " " + (rule.chain.empty() ? std::string("?") : rule.chain) + ": " +
         collapse_spaces(text);
}

std::vector<model::FilterEntry> flatten_chain(const FlattenInput& in, const std::string& chain,
                                              LineNotes& notes) {
  return Flattener(in, notes).run(chain);
}

}  // namespace sanso::vendor::iptables
