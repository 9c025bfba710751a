#pragma once
// The checks that judge a crossing, one small class per check kind of the rule pack. Each says
// whether its rule fits an uncovered crossing; DESIGN §5's precedence orders them, the first that
// fits names the finding and the others go to `also_breaks`.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/packet_set.h"
#include "policy/allowances.h"
#include "policy/rule_pack.h"
#include "topology/topology.h"

namespace sanso::policy {

struct CrossingContext {
  const topology::Topology& topology;
  const Allowances& allowances;
  const topology::Zone& from;
  const topology::Zone& to;
  model::PacketSet uncovered;  ///< the crossing's packets no valid entry allows
  model::PacketSet rule_hit;   ///< everything the permitting rule admits
  std::string intra_tier_result;  ///< same-tier pairs: the rule pack's default ("allowed" or a rule id)
  bool rule_any_source = false;   ///< the permitting rule admits every source address
  bool rule_any_destination = false;
  bool rule_any_service = false;
};

class CrossingCheck {
 public:
  virtual ~CrossingCheck() = default;
  virtual std::string_view kind() const = 0;
  virtual bool fits(const CrossingContext& c, const RuleDef& rule) const = 0;
};

/// Every crossing check, in DESIGN §5 precedence order.
const std::vector<std::unique_ptr<CrossingCheck>>& crossing_checks();

/// The declared entry a finding of `rule` is about (the specific, public-body or sanitized entry
/// the crossing exceeds or bypasses), quoted for messages; empty when there is none.
std::string declared_entry_of(const CrossingContext& c, const RuleDef& rule);

/// True when the permitting rule admits packets of some `allow` entry of `kind` (and, if given,
/// `method`) and more: the rule was written for a declared entry and lets through more than it.
bool exceeds_declared(const CrossingContext& c, topology::AllowKind kind,
                      std::optional<topology::SanitizeMethod> method = std::nullopt);
/// True when the uncovered packets go to the destination of a sanitized entry of `method` (from
/// an undeclared source or on an undeclared service), or the rule exceeds such an entry
/// (SANITIZE-*: the sanitized path exists and is bypassed or widened).
bool bypasses_sanitized(const CrossingContext& c, topology::SanitizeMethod method);

}  // namespace sanso::policy
