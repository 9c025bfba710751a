// The walk. Its state is an explicit call stack (one frame per chain invocation), so that a fork
// can copy it and run "the rest of the walk" for one interface to its end: the base chain's
// policy entry closes every fork, which is what makes later entries of other forks exact.
//
// nft semantics walked here (nft(8) "CHAINS", "VERDICT STATEMENT"): rules in order; accept and
// drop end the base chain (accept only this chain: later base chains on the hook still run -
// they are separate stages); jump pushes, return or the end of a jumped-to chain pops; goto
// replaces the current chain, so what returns from it returns from the caller; return or the end
// of a base chain applies its policy.
#include "vendor/nftables/flatten.h"

#include <algorithm>

#include "vendor/nftables/iface.h"
#include "vendor/nftables/lexer.h"

namespace sanso::vendor::nftables {
namespace {

using model::Action;
using model::FilterEntry;
using model::PacketSet;

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

// The interface names a frame's packets can have: matching `pos` (any when absent) and none of
// `negs`. Entries carry `pos`; the names of `negs` were decided by forks walked before.
struct IfCtx {
  std::optional<std::string> pos;
  std::vector<std::string> negs;
};

struct Pending {  // what happens in the caller when this frame ends (goto)
  PacketSet eff;
  const Rule* rule = nullptr;
  bool certain = true;
};

struct Frame {
  const Chain* chain = nullptr;
  std::size_t next = 0;   // rule index
  std::size_t vnext = 0;  // virtual rule index within the rule
  PacketSet live;         // packets that can still be at this point of the invocation
  PacketSet doubt;        // packets an uncertain return or goto may have taken out
  std::vector<std::string> why;  // the invocation itself may not happen
  std::vector<const Rule*> via;  // jump/goto lines leading here, outermost first
  IfCtx in, out;
  std::optional<Pending> on_return;  // set on a frame entered by goto
};

struct LogRule {
  PacketSet set;
  std::optional<std::string> in, out;
};

struct State {
  std::vector<Frame> stack;
  std::vector<LogRule> logs;
};

constexpr const char* kMaybeReturned = "an earlier return of this chain may have taken these packets out";

class Flattener {
 public:
  Flattener(const FlattenInput& in, LineNotes& notes) : in_(in), notes_(notes) {
    for (const Chain& c : in.table->chains) chains_[c.name] = &c;
    const auto& b = *in.base->base;
    if (!b.policy || *b.policy == "accept") policy_ = Action::Permit;
    else if (*b.policy == "drop") policy_ = Action::Deny;
    else policy_known_ = false;
  }

  FlattenResult run() {
    State s;
    Frame f;
    f.chain = in_.base;
    f.live = in_.ctx.scope;
    s.stack.push_back(std::move(f));
    walk(s);
    return std::move(out_);
  }

 private:
  void note(int line, const std::string& why) {
    auto& v = notes_[line];
    if (std::find(v.begin(), v.end(), why) == v.end()) v.push_back(why);
  }

  model::SourceRef ref(const Rule& r) const {
    return {in_.file, r.line, r.end_line != r.line ? std::optional<int>(r.end_line) : std::nullopt, r.text};
  }

  bool budget_exceeded() const { return out_.entries.size() > kMaxEntries; }

  void push(FilterEntry e, EntryInfo info) {
    out_.entries.push_back(std::move(e));
    out_.info.push_back(std::move(info));
  }

  bool logged(const State& s, const PacketSet& match, const std::optional<std::string>& in,
              const std::optional<std::string>& out) const {
    if (match.empty() || s.logs.empty()) return false;
    PacketSet rest = match;
    for (const LogRule& l : s.logs) {
      if (l.in && (!in || !covers(*l.in, *in))) continue;
      if (l.out && (!out || !covers(*l.out, *out))) continue;
      rest -= l.set;
      if (rest.empty()) return true;
    }
    return false;
  }

  static std::optional<model::InterfaceMatch> iface(const std::optional<std::string>& p) {
    if (!p) return std::nullopt;
    return model::InterfaceMatch{*p, false};
  }

  void policy_entry(State& s) {
    const Frame& f = s.stack.front();
    const auto& b = *in_.base->base;
    if (in_.base->truncated) {
      FilterEntry t;
      t.match = f.live;
      t.in = iface(f.in.pos);
      t.out = iface(f.out.pos);
      t.action = Action::Permit;
      t.uncertain = true;
      t.uncertain_why = "the chain's block is not closed: rules may be missing";
      t.evidence.push_back({in_.file, in_.base->line, std::nullopt, "chain " + in_.base->name});
      t.normalized_text = in_.stage + ": truncated";
      push(std::move(t), {});
    }
    FilterEntry e;
    e.match = f.live;
    e.in = iface(f.in.pos);
    e.out = iface(f.out.pos);
    e.action = policy_;
    const std::string written = b.policy.value_or("accept");
    if (!policy_known_) {
      e.uncertain = true;
      e.uncertain_why = "unknown chain policy " + written;
      note(b.policy_line, e.uncertain_why);
    }
    e.evidence.push_back(b.policy_line != 0
                             ? model::SourceRef{in_.file, b.policy_line, std::nullopt, "policy " + written}
                             : model::SourceRef{in_.file, std::nullopt, std::nullopt,
                                                "policy accept (not written)"});
    e.normalized_text = in_.stage + ": policy " + written;
    e.logged = logged(s, e.match, f.in.pos, f.out.pos);
    push(std::move(e), {});
  }

  // Emits the entry for `eff`, split where doubts make part of it uncertain.
  void emit(const State& s, const Frame& f, const Rule& r, const VirtualRule& v, const PacketSet& eff,
            const std::optional<std::string>& in, const std::optional<std::string>& out, Action action,
            std::vector<std::string> why, EntryInfo info) {
    FilterEntry e;
    e.in = iface(in);
    e.out = iface(out);
    e.action = action;
    e.evidence.push_back(ref(r));
    for (auto it = f.via.rbegin(); it != f.via.rend(); ++it) e.evidence.push_back(ref(**it));
    e.normalized_text = normalized_rule_text(in_.stage, r);
    e.logged = v.logged || logged(s, eff, in, out);
    why.insert(why.end(), f.why.begin(), f.why.end());
    if (!why.empty()) {
      e.match = eff;
      e.uncertain = true;
      e.uncertain_why = join(why);
      push(std::move(e), std::move(info));
      return;
    }
    PacketSet maybe;
    std::vector<std::string> doubt_why;
    if (!f.doubt.empty() && eff.intersects(f.doubt)) {
      maybe |= eff & f.doubt;
      doubt_why.push_back(kMaybeReturned);
    }
    if (!v.doubtful.empty() && eff.intersects(v.doubtful)) {
      maybe |= eff & v.doubtful;
      doubt_why.push_back(v.doubtful_why);
    }
    if (!maybe.empty()) {
      FilterEntry u = e;
      u.match = maybe;
      u.uncertain = true;
      u.uncertain_why = join(doubt_why);
      push(std::move(u), info);
      e.match = eff - maybe;
      if (e.match.empty()) return;
    } else {
      e.match = eff;
    }
    push(std::move(e), std::move(info));
  }

  // Restricts every frame's context in one dimension to `pattern` (a fork's branch).
  static bool restrict_all(State& s, bool out, const std::string& pattern) {
    for (Frame& f : s.stack) {
      IfCtx& c = out ? f.out : f.in;
      if (c.pos) {
        const auto both = intersect(*c.pos, pattern);
        if (!both) return false;
        c.pos = *both;
      } else {
        c.pos = pattern;
      }
      for (const std::string& n : c.negs)
        if (covers(n, *c.pos)) return false;
    }
    return true;
  }
  static void exclude_all(State& s, bool out, const std::string& pattern) {
    for (Frame& f : s.stack) (out ? f.out : f.in).negs.push_back(pattern);
  }

  enum class Cond { Holds, Never, Open };

  // A positive pattern against a context.
  static Cond positive(const IfCtx& c, const std::string& p) {
    for (const std::string& n : c.negs)
      if (covers(n, p)) return Cond::Never;
    if (!c.pos) return p == "*" ? Cond::Holds : Cond::Open;
    if (covers(p, *c.pos)) return Cond::Holds;
    if (!intersect(*c.pos, p)) return Cond::Never;
    return Cond::Open;
  }
  // "the name matches pattern n" against a context, for negated conditions.
  static Cond matches_pattern(const IfCtx& c, const std::string& n) {
    for (const std::string& x : c.negs)
      if (covers(x, n)) return Cond::Never;
    if (c.pos && covers(n, *c.pos)) return Cond::Holds;
    if (c.pos && disjoint(n, *c.pos)) return Cond::Never;
    if (n == "*") return Cond::Holds;
    return Cond::Open;
  }

  void walk(State& s) {
    while (!s.stack.empty()) {
      if (budget_exceeded()) return give_up(s);
      Frame& f = s.stack.back();
      if (f.next >= f.chain->rules.size()) {
        if (!end_of_chain(s)) return;
        continue;
      }
      const Rule& r = f.chain->rules[f.next];
      const LoweredRule& L = in_.cache->get(r, in_.ctx, in_.context_key);
      if (f.vnext == 0)
        for (const std::string& n : L.notes)
          for (int l = r.line; l <= std::max(r.line, r.end_line); ++l) note(l, n);
      if (f.vnext >= L.rules.size()) {
        ++f.next;
        f.vnext = 0;
        continue;
      }
      const VirtualRule& v = L.rules[f.vnext];
      if (fork_if_needed(s, v)) continue;  // the condition is decided now; retry the rule
      ++s.stack.back().vnext;
      apply(s, r, v);
    }
  }

  // The walk ran out of budget: what is still walking may be decided either way.
  void give_up(State& s) {
    const Frame& f = s.stack.back();
    FilterEntry e;
    e.match = s.stack.front().live;
    e.in = iface(f.in.pos);
    e.out = iface(f.out.pos);
    e.action = Action::Permit;
    e.uncertain = true;
    e.uncertain_why = "too many entries after expanding chains and interface sets";
    e.evidence.push_back({in_.file, in_.base->line, std::nullopt, "chain " + in_.base->name});
    e.normalized_text = in_.stage + ": budget";
    if (f.chain->rules.size() > f.next) note(f.chain->rules[f.next].line, e.uncertain_why);
    push(std::move(e), {});
    s.stack.clear();
  }

  // Returns false when the walk of this state is over.
  bool end_of_chain(State& s) {
    if (s.stack.size() == 1) {
      policy_entry(s);
      s.stack.clear();
      return false;
    }
    Frame done = std::move(s.stack.back());
    s.stack.pop_back();
    if (!done.on_return) return true;
    // goto: what returned from the target returns from the caller too.
    Frame& caller = s.stack.back();
    const Pending& p = *done.on_return;
    if (s.stack.size() == 1) {
      VirtualRule v;
      std::vector<std::string> why;
      if (!p.certain) why.push_back("reached through an uncertain goto");
      emit(s, caller, *p.rule, v, p.eff, caller.in.pos, caller.out.pos, policy_, why, {});
      return true;
    }
    take_out(caller, p.eff, p.certain);
    return true;
  }

  static void take_out(Frame& f, const PacketSet& eff, bool certain) {
    if (eff.empty()) return;
    if (!certain) {
      f.doubt |= eff;
      return;
    }
    f.live -= eff;
  }

  // Decides the virtual rule's interface conditions against the context, forking where one
  // entry cannot express the outcome. Returns true when it forked (the caller retries).
  bool fork_if_needed(State& s, const VirtualRule& v) {
    Frame& f = s.stack.back();
    for (const NegatedInterfaces& n : v.negated) {
      IfCtx& c = n.out ? f.out : f.in;
      for (const std::string& p : n.patterns) {
        if (matches_pattern(c, p) != Cond::Open) continue;
        State branch = s;
        if (restrict_all(branch, n.out, p)) walk(branch);
        exclude_all(s, n.out, p);
        return true;
      }
    }
    const bool moves_frame = v.verdict == Verdict::Return || v.verdict == Verdict::Goto;
    for (bool out : {false, true}) {
      const auto& p = out ? v.out : v.in;
      if (!p) continue;
      IfCtx& c = out ? f.out : f.in;
      if (positive(c, *p) != Cond::Open) continue;
      if (!moves_frame) continue;  // the entry (or the jumped-to frame) carries the pattern
      State branch = s;
      if (restrict_all(branch, out, *p)) walk(branch);
      exclude_all(s, out, *p);
      return true;
    }
    return false;
  }

  void apply(State& s, const Rule& r, const VirtualRule& v) {
    Frame& f = s.stack.back();
    // Negated conditions: every pattern is now decided (Holds -> the rule does not apply).
    for (const NegatedInterfaces& n : v.negated) {
      const IfCtx& c = n.out ? f.out : f.in;
      for (const std::string& p : n.patterns)
        if (matches_pattern(c, p) == Cond::Holds) return;
    }
    std::optional<std::string> in = f.in.pos, out = f.out.pos;
    for (bool o : {false, true}) {
      const auto& p = o ? v.out : v.in;
      if (!p) continue;
      const IfCtx& c = o ? f.out : f.in;
      const Cond k = positive(c, *p);
      if (k == Cond::Never) return;
      if (k == Cond::Open) (o ? out : in) = c.pos ? *intersect(*c.pos, *p) : *p;
    }
    const PacketSet eff = f.live & v.match;
    std::vector<std::string> why = v.uncertain;
    const bool certain = why.empty() && f.why.empty();
    EntryInfo info{v.verdict, v.nat};
    switch (v.verdict) {
      case Verdict::None:
        if (v.logged && certain && !eff.empty()) {
          PacketSet sure = eff - f.doubt - v.doubtful;
          if (!sure.empty()) s.logs.push_back({std::move(sure), in, out});
        }
        return;
      case Verdict::Continue:
        return;
      case Verdict::Accept:
      case Verdict::Dnat:
      case Verdict::Snat:
        return emit(s, f, r, v, eff, in, out, Action::Permit, why, info);
      case Verdict::Redirect:
        return emit(s, f, r, v, eff, in, out, Action::Permit, why, info);
      case Verdict::Drop:
        return emit(s, f, r, v, eff, in, out, Action::Deny, why, info);
      case Verdict::Queue:
        why.push_back("queued to user space: its program decides");
        return emit(s, f, r, v, eff, in, out, Action::Permit, why, info);
      case Verdict::Unknown:
        if (why.empty()) why.push_back("verdict not understood");
        return emit(s, f, r, v, eff, in, out, Action::Permit, why, info);
      case Verdict::Return:
        if (s.stack.size() == 1) return emit(s, f, r, v, eff, in, out, policy_, why, info);
        return take_out(f, eff - v.doubtful, certain);
      case Verdict::Jump:
      case Verdict::Goto:
        return jump(s, r, v, eff, in, out, why, certain);
    }
  }

  void jump(State& s, const Rule& r, const VirtualRule& v, const PacketSet& eff,
            const std::optional<std::string>& in, const std::optional<std::string>& out,
            std::vector<std::string> why, bool certain) {
    Frame& f = s.stack.back();
    const auto target = chains_.find(v.target);
    const bool loop = std::any_of(s.stack.begin(), s.stack.end(),
                                  [&](const Frame& x) { return x.chain->name == v.target; }) ||
                      static_cast<int>(s.stack.size()) > kMaxJumpDepth;
    if (target == chains_.end() || target->second->base || loop) {
      const std::string n = target == chains_.end() ? "jump to chain " + v.target + ", which is not defined"
                            : loop ? "chain loop: " + v.target + " is already being walked"
                                   : "jump to base chain " + v.target;
      note(r.line, n);
      why.push_back(n);
      return emit(s, f, r, v, eff, in, out, Action::Permit, why, {});
    }
    if (eff.empty()) return;
    Frame child;
    child.chain = target->second;
    child.live = eff;
    child.doubt = (f.doubt & eff) | (v.doubtful & eff);
    child.why = f.why;
    if (!why.empty())
      child.why.push_back("reached through an uncertain jump at line " + std::to_string(r.line) + " (" +
                          join(why) + ")");
    child.via = f.via;
    child.via.push_back(&r);
    child.in = f.in;
    child.out = f.out;
    child.in.pos = in;
    child.out.pos = out;
    if (v.verdict == Verdict::Goto) child.on_return = Pending{eff - v.doubtful, &r, certain};
    s.stack.push_back(std::move(child));
  }

  const FlattenInput& in_;
  LineNotes& notes_;
  std::map<std::string, const Chain*> chains_;
  Action policy_ = Action::Permit;
  bool policy_known_ = true;
  FlattenResult out_;
};

}  // namespace

const LoweredRule& LoweringCache::get(const Rule& r, const LowerContext& ctx, int context_key) {
  const auto key = std::make_pair(&r, context_key);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  return cache_.emplace(key, lower_rule(r, ctx)).first->second;
}

std::string normalized_rule_text(const std::string& stage, const Rule& r) {
  // Counter values change while the firewall runs: they are not part of the rule's identity.
  std::string out;
  const auto& t = r.tokens;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if ((t[i].is("packets") || t[i].is("bytes")) && i > 0 && i + 1 < t.size() &&
        (t[i - 1].is("counter") || t[i - 1].is("packets") ||
         (i >= 2 && t[i - 2].is("packets")))) {
      ++i;
      continue;
    }
    out += (out.empty() ? "" : " ") + (t[i].kind == Token::Kind::String ? "\"" + t[i].text + "\"" : t[i].text);
  }
  return stage + ": " + out;
}

FlattenResult flatten(const FlattenInput& in, LineNotes& notes) { return Flattener(in, notes).run(); }

}  // namespace sanso::vendor::nftables
