#pragma once
// Rule-base analysis of one ordered filter (vendor-neutral): which rules never match, which can
// be removed without changing any decision, and which pairs of rules overlap with different
// actions (Al-Shaer & Hamed, "Firewall Policy Advisor", the taxonomy of shadowing, redundancy,
// correlation and generalization), each with an example packet. docs/rule-base.md describes the
// kinds for users.
//
// Exact: interface conditions are part of a rule's match (rules whose interface conditions cannot
// both hold are disjoint), and every decision is made with PacketSet algebra, never sampled. The
// interface universe is open (any name may appear at run time), so coverage "for every interface"
// is what a claim needs.
//
// Uncertain entries (FilterEntry::uncertain: a condition sanso cannot decide; their match holds
// every packet they could match) never count as covering, deciding or overlapping anything:
// - an uncertain earlier entry shadows nothing (it may not match);
// - an uncertain entry is shadowed only when certain earlier entries cover its whole match, which
//   over-approximates what it could match, so it is dead whatever the undecided condition does;
// - an uncertain entry is never called redundant, correlated or a generalization (its action or
//   its extent is in doubt), and an uncertain later entry with another action makes a rule not
//   provably redundant.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "model/device.h"
#include "model/packet_set.h"

namespace sanso::rulebase {

enum class AnomalyKind {
  Shadowed,        ///< the rule matches no packet: earlier rules take all of it
  Redundant,       ///< removing the rule changes no decision (and it is not shadowed)
  Correlated,      ///< overlaps an earlier rule with another action; neither contains the other
  Generalization,  ///< contains an earlier rule with another action (the earlier one is an exception)
};
std::string_view to_string(AnomalyKind k);

/// One anomaly of one rule. iptables copies a user chain's rule once per jump to it: a copy (the
/// entries sharing their whole evidence chain: the rule's line and the jumps leading there) is
/// shadowed, correlated or a generalization on its own; a line is redundant only if removing
/// every copy of it changes nothing.
struct Anomaly {
  AnomalyKind kind = AnomalyKind::Shadowed;
  std::size_t entry = 0;  ///< the rule's first entry (index into Filter::entries)
  /// Shadowed: the certain earlier entries that overlap it and can match packets (together they
  /// cover it).
  /// Redundant: the later entries that decide its packets alike (empty: the filter's default).
  /// Correlated, Generalization: the earlier entry it overlaps (one anomaly per pair of rules).
  std::vector<std::size_t> related;
  /// Shadowed: a packet of its match. Redundant: a packet it decides. Correlated and
  /// Generalization: a packet of the overlap that the earlier entry decides.
  std::optional<model::Packet> witness;
};

struct FilterAnalysis {
  std::vector<Anomaly> anomalies;  ///< by entry, then kind, then related entry
  /// Per entry: some packet may reach it and match it (under some pair of interfaces), counting
  /// only certain earlier entries as taking packets away.
  std::vector<bool> reachable;
  /// Per entry: the filter's final catch-all (no interface condition, the whole of an address
  /// family, nothing after it overlaps): the chain policy or an explicit default. It is never
  /// reported shadowed or redundant, and never a generalization of the rules before it.
  std::vector<bool> is_default;
};

FilterAnalysis analyze_filter(const model::Filter& filter,
                              const model::WitnessPreference& preference = {});

}  // namespace sanso::rulebase
