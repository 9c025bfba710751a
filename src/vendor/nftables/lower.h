#pragma once
// One rule -> the "virtual rules" it stands for, each a PacketSet with interface conditions and
// one verdict. A rule whose interface condition is a set (`iifname { "a", "b" }`) or whose verdict
// comes from a map (`oifname vmap { "a" : jump x, ... }`, `dnat to tcp dport map { ... }`) becomes
// several virtual rules evaluated in order; their keys are disjoint, so the order is exact.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/packet_set.h"
#include "vendor/nftables/config.h"

namespace sanso::vendor::nftables {

enum class Verdict {
  None,        ///< no verdict: the next rule follows (counter, log, set statements)
  Accept,
  Drop,        ///< drop, reject
  Continue,
  Return,
  Jump,
  Goto,
  Queue,       ///< to user space: decided there (uncertain)
  Dnat,
  Snat,        ///< snat, masquerade
  Redirect,
  Unknown,     ///< a terminal statement sanso does not model (xt target, tproxy, ...)
};

/// Where the connection tracker stands for the packets a chain sees (conntrack runs in
/// prerouting at priority -200): NEW for audited packets after it, INVALID before it (no entry
/// yet), unknown at -200 itself.
enum class CtMode { New, Invalid, Unknown };

struct LowerContext {
  model::PacketSet scope;              ///< the table's families
  const Table* table = nullptr;        ///< named sets
  std::string hook;                    ///< the base chain's hook this walk is for
  CtMode ct = CtMode::New;
  bool device_has_dnat = false;        ///< ct status dnat can be set
  /// Where destination NAT sends packets (nullopt: not known): only those can have status dnat.
  std::optional<model::PacketSet> dnat_images;
  bool device_has_snat = false;
  std::string notrack_lines;           ///< non-empty: a notrack statement may make packets UNTRACKED
  const std::set<std::string>* dynamic_sets = nullptr;  ///< sets that rules update
};

struct NatTarget {
  std::optional<model::IpRange> to;
  std::optional<std::pair<std::uint16_t, std::uint16_t>> ports;
  bool understood = false;
};

/// An interface condition the rule needs false: the name matches none of the patterns.
struct NegatedInterfaces {
  bool out = false;
  std::vector<std::string> patterns;
};

struct VirtualRule {
  model::PacketSet match;
  std::optional<std::string> in;   ///< positive pattern
  std::optional<std::string> out;
  std::vector<NegatedInterfaces> negated;
  /// Packets for which the match is a guess (th ports of other protocols): entries are
  /// uncertain there.
  model::PacketSet doubtful;
  std::string doubtful_why;
  std::vector<std::string> uncertain;  ///< the whole virtual rule may or may not match
  Verdict verdict = Verdict::None;
  std::string target;  ///< jump/goto chain
  NatTarget nat;
  bool logged = false;
};

struct LoweredRule {
  std::vector<VirtualRule> rules;
  /// Coverage reasons for the rule's lines (each uncertain reason, each unmodelled statement).
  std::vector<std::string> notes;
  /// A statement rewrites packet headers outside NAT (`ip daddr set ...`).
  bool rewrites_headers = false;
};

LoweredRule lower_rule(const Rule& rule, const LowerContext& ctx);

/// The sets a rule changes at run time (`update @s`, `add @s`, `delete @s`).
std::vector<std::string> updated_sets(const Rule& rule);
/// The rule holds a `notrack` statement.
bool has_notrack(const Rule& rule);

}  // namespace sanso::vendor::nftables
