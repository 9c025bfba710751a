#pragma once
// The match part of one rule -> a PacketSet and interface conditions, for one address family.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/device.h"
#include "model/packet_set.h"
#include "vendor/iptables/config.h"
#include "vendor/iptables/ipset.h"

namespace sanso::vendor::iptables {

/// What a rule's matches mean. Conditions sanso cannot decide offline are left out of `match`
/// (so it over-approximates: every packet the rule could match is in it) and named in
/// `uncertain`; each reason is also a coverage reason for the line.
struct LoweredMatch {
  model::PacketSet match;
  std::optional<model::InterfaceMatch> in;
  std::optional<model::InterfaceMatch> out;
  std::vector<std::string> uncertain;
  /// Packets for which the match itself is exact but depends on another line (a raw-table
  /// NOTRACK changes their conntrack state): entries are uncertain for these packets only.
  /// The line itself is understood.
  model::PacketSet doubtful;
  std::string doubtful_why;
};

/// A raw-table rule that exempts packets from conntrack (NOTRACK, CT --notrack).
struct NotrackRule {
  int line = 0;
  model::PacketSet match;  ///< over-approximation
  std::optional<model::InterfaceMatch> in;
};

struct LowerContext {
  model::Family family = model::Family::V4;
  const IpsetConfig* ipsets = nullptr;  ///< null: no ipset file given
  /// Sets that a `-j SET` rule changes at run time.
  const std::set<std::string>* dynamic_sets = nullptr;
  /// Rules that may exempt packets from conntrack (they then have state UNTRACKED, not NEW).
  const std::vector<NotrackRule>* notrack = nullptr;
  /// The rule is in the raw table, whose hooks run before conntrack: no packet has a
  /// connection there yet, so its state is INVALID (UNTRACKED once a NOTRACK exempted it).
  bool before_conntrack = false;
  /// The file rewrites destinations (DNAT in nat PREROUTING): a connection's original
  /// destination then differs from what the filters see.
  bool dnat = false;
};

LoweredMatch lower_matches(const Rule& rule, const LowerContext& ctx);

}  // namespace sanso::vendor::iptables
