// analyze_filter: the filter as cells of (in-interface class, out-interface class), each cell a
// plain ordered list of header sets. For every entry, the cells it covers are grouped by which of
// its overlapping partners cover them too (usually a handful of groups), and each group is worked
// out once: its hit (what certain earlier entries leave), whether removing the entry changes any
// decision there, and its overlaps with earlier entries of another action.
#include "rulebase/rulebase.h"

#include <algorithm>
#include <map>
#include <set>

#include "rulebase/interfaces.h"

namespace sanso::rulebase {

std::string_view to_string(AnomalyKind k) {
  switch (k) {
    case AnomalyKind::Shadowed: return "shadowed";
    case AnomalyKind::Redundant: return "redundant";
    case AnomalyKind::Correlated: return "correlated";
    case AnomalyKind::Generalization: return "generalization";
  }
  return "shadowed";  // unreachable: the switch is exhaustive
}

namespace {

using model::PacketSet;
using Index = std::uint32_t;

// One group of an entry's cells that the same partners cover.
struct Slot {
  PacketSet hit;
  std::vector<Index> blockers;  // certain earlier partners (they cover the cell and overlap)
  bool redundant = false;       // hit empty, or later entries decide all of it alike
  std::vector<Index> deciders;  // the later entries that do
};

struct EntryResult {
  std::vector<int> cell_slot;  // per cell: index into slots, -1 where the entry does not apply
  std::vector<Slot> slots;
};

class Analyzer {
 public:
  Analyzer(const model::Filter& f, const model::WitnessPreference& pref)
      : f_(f), pref_(pref), n_(f.entries.size()) {
    std::vector<const std::optional<model::InterfaceMatch>*> ins, outs;
    std::vector<PacketSet> matches;
    for (const auto& e : f.entries) {
      ins.push_back(&e.in);
      outs.push_back(&e.out);
      matches.push_back(e.match);
    }
    const auto in_classes = interface_classes(ins);
    const auto out_classes = interface_classes(outs);
    n_in_ = in_classes.size();
    n_out_ = out_classes.size();
    earlier_ = model::earlier_overlaps(matches);
    later_.resize(n_);
    for (Index j = 0; j < n_; ++j)
      for (Index i : earlier_[j]) later_[i].push_back(j);
    std::map<std::string, int> file_id;
    std::map<std::pair<int, int>, Index> first_of_line;
    std::map<std::vector<std::pair<int, int>>, Index> first_of_chain;
    auto id_of = [&](const std::string& file) {
      return file_id.try_emplace(file, static_cast<int>(file_id.size())).first->second;
    };
    for (Index j = 0; j < n_; ++j) {
      const auto& e = f.entries[j];
      in_ok_.push_back(satisfying(e.in, in_classes));
      out_ok_.push_back(satisfying(e.out, out_classes));
      group_.push_back(j);
      instance_.push_back(j);
      if (!e.evidence.empty() && e.evidence.front().line) {
        const auto key = std::make_pair(id_of(e.evidence.front().file), *e.evidence.front().line);
        group_.back() = first_of_line.try_emplace(key, j).first->second;
        std::vector<std::pair<int, int>> chain;
        for (const auto& r : e.evidence) chain.emplace_back(id_of(r.file), r.line.value_or(0));
        instance_.back() = first_of_chain.try_emplace(chain, j).first->second;
      }
      catch_all_.push_back(!e.in && !e.out && !e.uncertain && whole_family(e.match));
      // A default the vendor writes as an entry (an ASA access list's or a YAMAHA list's implicit
      // deny per interface): it has no line of its own, nobody wrote it, and after an explicit
      // catch-all it is dead by design, not a shadowed rule.
      const bool written_default = !e.evidence.empty() && !e.evidence.front().line;
      is_default_.push_back((catch_all_.back() && later_[j].empty()) || written_default);
    }
  }

  FilterAnalysis run() {
    results_.resize(n_);
    for (Index j = 0; j < n_; ++j) work_out(j);
    FilterAnalysis out;
    out.is_default = is_default_;
    out.reachable.resize(n_);
    for (Index j = 0; j < n_; ++j) {
      out.reachable[j] = std::any_of(results_[j].slots.begin(), results_[j].slots.end(),
                                     [](const Slot& s) { return !s.hit.empty(); });
    }
    report_rules(out);
    std::sort(out.anomalies.begin(), out.anomalies.end(), [](const Anomaly& a, const Anomaly& b) {
      if (a.entry != b.entry) return a.entry < b.entry;
      if (a.kind != b.kind) return a.kind < b.kind;
      return a.related < b.related;
    });
    return out;
  }

 private:
  // The set holds every packet of an address family. Two corner packets reject almost every
  // rule before the exact (costlier) containment test.
  static bool whole_family(const PacketSet& m) {
    for (const auto f : {model::Family::V4, model::Family::V6}) {
      model::Packet lo, hi;
      lo.family = hi.family = f;
      hi.src = hi.dst = model::family_max(f);
      hi.proto = 255;
      if (!m.contains(lo) || !m.contains(hi)) continue;
      if (m.contains(PacketSet::family(f))) return true;
    }
    return false;
  }

  const model::FilterEntry& entry(Index i) const { return f_.entries[i]; }
  bool covers(Index e, std::size_t cell) const {
    return in_ok_[e][cell / n_out_] != 0 && out_ok_[e][cell % n_out_] != 0;
  }
  std::size_t cells() const { return n_in_ * n_out_; }

  void work_out(Index j) {
    std::vector<Index> partners = earlier_[j];
    partners.insert(partners.end(), later_[j].begin(), later_[j].end());
    EntryResult& r = results_[j];
    r.cell_slot.assign(cells(), -1);
    std::map<std::vector<Index>, int> slot_of;
    std::vector<std::vector<Index>> sigs;
    for (std::size_t c = 0; c < cells(); ++c) {
      if (!covers(j, c)) continue;
      std::vector<Index> sig;
      for (Index p : partners)
        if (covers(p, c)) sig.push_back(p);
      auto [it, fresh] = slot_of.try_emplace(sig, static_cast<int>(sigs.size()));
      if (fresh) sigs.push_back(std::move(sig));
      r.cell_slot[c] = it->second;
    }
    if (!is_default_[j]) {
      for (const auto& sig : sigs) r.slots.push_back(make_slot(j, sig));
      return;
    }
    // The default is reported on only for being reached (LOG-COLLECT) and follows every rule:
    // work out only its least covered group, and the others only if that one is dead.
    std::vector<std::size_t> order(sigs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return sigs[a].size() < sigs[b].size(); });
    r.slots.resize(sigs.size());
    bool reached = false;
    for (std::size_t i : order) {
      if (reached) {
        r.slots[i].hit = entry(j).match;  // not worked out: stands for "maybe reached"
        continue;
      }
      if (probe_reaches(j, sigs[i])) {  // cheap and exact when it succeeds
        r.slots[i].hit = entry(j).match;
        reached = true;
        continue;
      }
      r.slots[i] = make_slot(j, sigs[i]);
      reached = !r.slots[i].hit.empty();
    }
  }

  // Some corner packet of M_j that no certain earlier partner of the group matches: then M_j is
  // reached there (a sufficient test, a few membership tests per partner).
  bool probe_reaches(Index j, const std::vector<Index>& sig) const {
    const auto& m = entry(j).match;
    for (const auto f : {model::Family::V4, model::Family::V6}) {
      for (const std::uint8_t proto : {std::uint8_t{255}, std::uint8_t{0}, model::kProtoTcp}) {
        model::Packet p;
        p.family = f;
        p.proto = proto;
        p.src = p.dst = proto == 255 ? model::family_max(f) : 0;
        if (proto == model::kProtoTcp) p.tcp_flags = model::kTcpSyn;
        if (!m.contains(p)) continue;
        const bool taken = std::any_of(sig.begin(), sig.end(), [&](Index q) {
          return q < j && !entry(q).uncertain && entry(q).match.contains(p);
        });
        if (!taken) return true;
      }
    }
    return false;
  }

  // M_j minus the matches of the certain earlier partners, in one pass when there are many.
  PacketSet hit_of(Index j, const std::vector<Index>& blockers) const {
    const auto& m = entry(j).match;
    if (blockers.size() <= 8) {
      PacketSet hit = m;
      for (Index p : blockers) {
        if (hit.empty()) break;
        hit -= entry(p).match;
      }
      return hit;
    }
    std::vector<PacketSet> sets;
    sets.reserve(blockers.size() + 1);
    for (Index p : blockers) sets.push_back(entry(p).match);
    sets.push_back(m);
    std::vector<bool> wanted(sets.size(), false);
    wanted.back() = true;
    return model::first_match_hits(sets, wanted).back();
  }

  Slot make_slot(Index j, const std::vector<Index>& sig) const {
    const auto& e = entry(j);
    Slot s;
    for (Index p : sig) {
      if (p >= j) break;
      if (!entry(p).uncertain) s.blockers.push_back(p);
    }
    s.hit = hit_of(j, s.blockers);
    s.redundant = s.hit.empty();
    if (s.redundant || e.uncertain || is_default_[j]) return s;
    // Removing j: its packets meet the later entries (other copies of the same rule go too).
    PacketSet rest = s.hit;
    for (Index p : sig) {
      if (p <= j || group_[p] == group_[j]) continue;
      const auto& later = entry(p);
      if (!rest.intersects(later.match)) continue;
      if (later.uncertain || later.action != e.action) return s;
      s.deciders.push_back(p);
      rest -= later.match;
      if (rest.empty()) break;
    }
    s.redundant = rest.empty() || f_.default_action == e.action;
    if (!rest.empty() && s.redundant) s.deciders.push_back(kDefault);
    return s;
  }

  // The overlap of earlier entry i's hit with j's match, in the cells both cover.
  std::optional<model::Packet> overlap_witness(Index i, Index j) const {
    const EntryResult& ri = results_[i];
    std::vector<char> seen(ri.slots.size(), 0);
    for (std::size_t c = 0; c < cells(); ++c) {
      const int si = ri.cell_slot[c];
      if (si < 0 || results_[j].cell_slot[c] < 0 || seen[si]) continue;
      seen[si] = 1;
      const PacketSet& hit = ri.slots[si].hit;
      if (!hit.intersects(entry(j).match)) continue;
      return (hit & entry(j).match).witness(pref_);
    }
    return std::nullopt;
  }

  bool cells_within(Index a, Index b) const {  // every cell of a is a cell of b
    for (std::size_t c = 0; c < cells(); ++c)
      if (covers(a, c) && !covers(b, c)) return false;
    return true;
  }

  // Shadowing and overlaps are told per instance (a rule reached through one chain of jumps):
  // that copy never matching is a fact about the config even if another jump reaches the same
  // line. Redundancy is told per line, because removing a line removes every copy of it.
  void report_rules(FilterAnalysis& out) const {
    std::map<Index, std::vector<Index>> by_instance, by_line;
    for (Index j = 0; j < n_; ++j) {
      by_instance[instance_[j]].push_back(j);
      by_line[group_[j]].push_back(j);
    }
    for (const auto& [first, entries] : by_instance) {
      bool any_match = false, all_dead = true, has_default = false;
      for (Index e : entries) {
        has_default = has_default || is_default_[e];
        any_match = any_match || !entry(e).match.empty();
        for (const Slot& s : results_[e].slots) all_dead = all_dead && s.hit.empty();
      }
      if (has_default || !any_match) continue;
      if (all_dead) {
        std::set<std::size_t> blockers;
        std::optional<model::Packet> witness;
        for (Index e : entries) {
          if (!witness && !entry(e).match.empty()) witness = entry(e).match.witness(pref_);
          // A dead blocker takes nothing: the live ones before it cover what it would.
          for (const Slot& s : results_[e].slots)
            for (Index b : s.blockers)
              if (out.reachable[b]) blockers.insert(instance_[b]);
        }
        out.anomalies.push_back({AnomalyKind::Shadowed, first,
                                 std::vector<std::size_t>(blockers.begin(), blockers.end()),
                                 witness});
        continue;
      }
      report_overlaps(first, entries, out);
    }
    for (const auto& [first, entries] : by_line) {
      bool all_redundant = true, any_hit = false;
      for (Index e : entries) {
        if (entry(e).uncertain || is_default_[e]) all_redundant = false;
        for (const Slot& s : results_[e].slots) {
          any_hit = any_hit || !s.hit.empty();
          all_redundant = all_redundant && s.redundant;
        }
      }
      if (!all_redundant || !any_hit) continue;
      std::set<std::size_t> deciders;
      std::optional<model::Packet> witness;
      for (Index e : entries) {
        for (const Slot& s : results_[e].slots) {
          for (Index d : s.deciders)
            if (d != kDefault) deciders.insert(instance_[d]);
          if (!witness && !s.hit.empty()) witness = s.hit.witness(pref_);
        }
      }
      out.anomalies.push_back({AnomalyKind::Redundant, first,
                               std::vector<std::size_t>(deciders.begin(), deciders.end()), witness});
    }
  }

  void report_overlaps(Index first, const std::vector<Index>& entries, FilterAnalysis& out) const {
    std::map<std::pair<AnomalyKind, Index>, std::optional<model::Packet>> found;
    for (Index j : entries) {
      const auto& e = entry(j);
      if (e.uncertain || catch_all_[j]) continue;
      for (Index i : earlier_[j]) {
        const auto& prior = entry(i);
        if (prior.uncertain || prior.action == e.action || group_[i] == group_[j]) continue;
        auto w = overlap_witness(i, j);
        if (!w) continue;
        const bool i_within_j = e.match.contains(prior.match) && cells_within(i, j);
        const bool j_within_i = prior.match.contains(e.match) && cells_within(j, i);
        if (j_within_i) continue;  // j is dead there: reported as shadowed
        const auto kind = i_within_j ? AnomalyKind::Generalization : AnomalyKind::Correlated;
        found.try_emplace({kind, instance_[i]}, std::move(w));
      }
    }
    for (auto& [key, w] : found) out.anomalies.push_back({key.first, first, {key.second}, w});
  }

  static constexpr Index kDefault = static_cast<Index>(-1);

  const model::Filter& f_;
  const model::WitnessPreference& pref_;
  Index n_;
  std::size_t n_in_ = 0, n_out_ = 0;
  std::vector<std::vector<char>> in_ok_, out_ok_;
  std::vector<std::vector<Index>> earlier_, later_;
  std::vector<Index> group_;     // first entry of the same line (every copy of a rule)
  std::vector<Index> instance_;  // first entry of the same line reached the same way
  std::vector<bool> catch_all_, is_default_;
  std::vector<EntryResult> results_;
};

}  // namespace

FilterAnalysis analyze_filter(const model::Filter& filter,
                              const model::WitnessPreference& preference) {
  return Analyzer(filter, preference).run();
}

}  // namespace sanso::rulebase
