#pragma once
// What the policy says about one flow: whether it stays inside a zone, matches a valid `allow`
// entry, is allowed by the same-tier default, or breaks a rule (DESIGN §5 precedence over the
// audit's own crossing checks). Shared by `sanso monitor` (a flow seen on the wire) and
// `sanso trace` (a flow the configs admit), so that both name the same rule as the audit.
#include <cstddef>
#include <string>
#include <vector>

#include "analysis/network.h"
#include "analysis/trace.h"
#include "model/device.h"
#include "model/packet_set.h"
#include "policy/allowances.h"
#include "policy/rule_pack.h"
#include "topology/topology.h"

namespace sanso::policy {

struct FlowVerdict {
  enum class Kind {
    Internal,        ///< both ends in one zone: not a crossing
    Declared,        ///< every packet lies in valid allow entries (`entry`: the first that holds one)
    DefaultAllowed,  ///< realms of one tier whose rule-pack default is "allowed"
    Breaks,          ///< `rule` (and `also_breaks`) by DESIGN §5 precedence
    Unjudged,        ///< a crossing no rule of the pack fits (e.g. a rule pack without crossing rules)
  };
  Kind kind = Kind::Internal;
  const RuleDef* rule = nullptr;
  std::vector<const RuleDef*> also_breaks;
  /// Declared: the matching entry. Breaks: the declared entry the flow exceeds or bypasses, else
  /// the entry it came closest to (same ends, then same responder, then same initiator); "" if none.
  std::string entry;
};

/// What the permitting config rule admits beyond the flow (ZONE-DEFAULT-DENY: "any" rules).
struct RuleBreadth {
  bool any_source = false;
  bool any_destination = false;
  bool any_service = false;
};

/// How broad `e` is around the packet `w` it admits: does it admit every source (destination,
/// service) with the rest of `w` fixed.
RuleBreadth rule_breadth(const model::FilterEntry& e, const model::Packet& w);

/// The packets between p's two ends, any service (connection-opening): what a flow "uses" when no
/// permitting rule is known (the monitor's analogue of the audit's rule hit).
model::PacketSet between_ends(const model::Packet& p);

class FlowJudge {
 public:
  /// All three must outlive the judge.
  FlowJudge(const topology::Topology& topology, const Allowances& allowances, const RulePack& pack);

  /// Judges the connection-opening packets `flow` crossing from zone `from` to zone `to`.
  /// `rule_hit`: everything of this crossing the permitting config rule admits (the audit's
  /// CrossingGroup::hit); callers that know no rule pass between_ends() of the flow's packet.
  FlowVerdict judge(const model::PacketSet& flow, const topology::Zone& from,
                    const topology::Zone& to, const model::PacketSet& rule_hit,
                    const RuleBreadth& breadth = {}) const;
  /// The same for one packet, with no permitting rule known (the monitor's hot path: allowed
  /// packets never build a set).
  FlowVerdict judge(const model::Packet& p, const topology::Zone& from,
                    const topology::Zone& to) const;

  /// Position of a rule in DESIGN §5 precedence (lower is more specific).
  std::size_t rank(const RuleDef* rule) const;

  const Allowances& allowances() const { return allowances_; }
  const RulePack& pack() const { return pack_; }

 private:
  FlowVerdict judge_uncovered(const model::PacketSet& uncovered, const model::Packet& example,
                              const topology::Zone& from, const topology::Zone& to,
                              const model::PacketSet& rule_hit, const RuleBreadth& breadth) const;
  std::string closest_entry(const model::Packet& p) const;

  const topology::Topology& topology_;
  const Allowances& allowances_;
  const RulePack& pack_;
  std::vector<std::vector<const RuleDef*>> rules_;  ///< per crossing check, in precedence order
};

/// The policy's word on a traced flow, per delivering path and overall.
struct TraceJudgement {
  struct Path {
    std::string from_zone, to_zone;
    FlowVerdict verdict;
    std::string breach_device;     ///< the device whose rule is judged ("" when none)
    model::PacketSet uncovered;    ///< delivered packets no valid entry allows (may)
    bool proven = false;           ///< some uncovered packet is delivered for certain
  };
  std::vector<Path> paths;  ///< parallel to the delivering paths of the trace (verdict != Denied)
  /// denied | allowed (no rule broken) | violation | unproven (breaks a rule, not proven to pass)
  std::string status = "denied";
  const RuleDef* rule = nullptr;
  std::vector<const RuleDef*> also_breaks;
  std::string entry;      ///< the declared entry matched (allowed) or exceeded/closest (broken)
  std::string from_zone;  ///< of the path that names `rule` (or the first delivering path)
  std::string to_zone;
  Text message;           ///< the rule's message for this flow, or what the policy says
  /// DESIGN §5: 0 denied or allowed by a valid entry; 1 allowed and breaks a rule, or unproven.
  int exit_code() const { return status == "violation" || status == "unproven" ? 1 : 0; }
};

/// Judges every delivering path of `trace` as the audit judges a crossing: the zones of its ends,
/// and the entry that permits its uncovered packets at the breach hop (crossings.h), whose hit is
/// taken between the path's end segments. Unlike the audit, which judges everything one rule lets
/// through between two zones at once (one finding per rule), only this flow's packets are judged:
/// where a broad rule's other packets bypass a sanitizer, the audit's finding names SANITIZE-* while
/// a flow of that rule that does not reach the sanitizer's host is LG-INET-SPLIT (which the
/// audit's finding lists in also_breaks), as `sanso monitor` judges it on the wire.
TraceJudgement judge_trace(analysis::Network& network, const analysis::TraceResult& trace,
                           const FlowJudge& judge);

}  // namespace sanso::policy
