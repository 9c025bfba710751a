#pragma once
// What a change does to the crossings of a network (DESIGN §5 "impact"): for every ordered zone
// pair (and, on request, segment pair) the exact packets that start or stop crossing, as readable
// blocks with a witness and the rules that decide it before and after; the findings that appear,
// disappear or stay (by identity); the intents met or not; and whether the change must be stopped.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "impact/blocks.h"
#include "impact/intent.h"
#include "impact/snapshot.h"
#include "model/packet_set.h"
#include "policy/finding.h"

namespace sanso::impact {

/// The entry (or default) of one filter stage that decides the witness on one device of its path.
struct RuleDecision {
  std::string device;
  std::string stage;   ///< "filter FORWARD"; empty for a device without a model
  std::string action;  ///< permit | deny | forward (no config) | unknown (unsupported, absent)
  std::string file;    ///< empty when the config holds no line for it
  std::optional<int> line;
  std::string text;
};

/// One readable block of an added or removed set.
struct ShownBlock {
  ReadableBlock block;
  model::Packet witness;
  /// Added: every packet of the block crosses after the change whatever sanso cannot decide;
  /// removed: every packet of it crossed before. False: some may or may not (unproven).
  bool proven = true;
  std::vector<RuleDecision> before;  ///< along the witness's path, in the before snapshot
  std::vector<RuleDecision> after;
};

struct PairChange {
  std::string from;  ///< zone (or segment)
  std::string to;
  std::string from_tier;
  std::string to_tier;
  /// false: two realms of one tier that the rule pack lets talk; their changes never gate.
  bool checked = true;
  model::PacketSet added;    ///< after minus before (connection-opening packets)
  model::PacketSet removed;  ///< before minus after
  /// Part of `added` not covered by valid allow entries nor by an `open` intent (checked pairs
  /// only): non-empty makes the exit status 1.
  model::PacketSet uncovered;
  /// Changes beyond the intents (only when intents were given).
  model::PacketSet collateral_added;
  model::PacketSet collateral_removed;
  /// Some added packet is one an `open` intent asks for: the reviewer wants this pair to change.
  bool opened_by_intent = false;
  std::vector<ShownBlock> added_blocks;
  std::vector<ShownBlock> removed_blocks;
};

struct ResolvedIntent {
  Intent intent;
  model::PacketSet packets;  ///< intent_packets() in the after snapshot
};

struct IntentOutcome {
  Intent intent;
  bool met = false;
  /// open, not met: a packet of the intent that does not cross after the change; close, not met:
  /// one that still does.
  std::optional<model::Packet> counter_example;
};

struct FindingsDiff {
  std::vector<policy::Finding> added;     ///< in the after audit only (by identity)
  std::vector<policy::Finding> resolved;  ///< in the before audit only
  /// In both, as the after snapshot has them, in DESIGN §5 order. Not copies: a big rule base
  /// has 10^5 findings, nearly all unchanged, and copying them cost more than the whole rest of
  /// an incremental impact. They point into the snapshots' audits (valid while the snapshots
  /// given to impact_of_* live) or into `owned`.
  std::vector<const policy::Finding*> unchanged;
  std::vector<policy::Finding> owned;  ///< unchanged findings of an audit no snapshot keeps

  FindingsDiff() = default;
  FindingsDiff(FindingsDiff&&) = default;  // moving keeps `owned`'s elements where they are
  FindingsDiff& operator=(FindingsDiff&&) = default;
  FindingsDiff(const FindingsDiff&) = delete;
  FindingsDiff& operator=(const FindingsDiff&) = delete;
};

struct ImpactResult {
  std::string before;
  std::string after;
  std::vector<PairChange> zones;     ///< pairs with a change, sorted (from, to)
  std::vector<PairChange> segments;  ///< with ImpactOptions::by_segment
  FindingsDiff findings;
  bool intents_given = false;
  std::vector<IntentOutcome> intents;
  /// DESIGN §5: 1 iff some checked zone pair gains packets beyond valid allow entries and open
  /// intents (proven or unproven), or a new finding is a violation or unproven outside the zone
  /// pairs an `open` intent asks to change (a MAC pin dropped from a declared entry adds no
  /// uncovered packet, yet breaks MN-SPECIFIC-COMM); else 0.
  int exit_code() const;
};

struct ImpactOptions {
  bool by_segment = false;
  std::vector<ResolvedIntent> intents;
};

/// Where the time of impact_of_change goes (the model load is not in it).
struct ImpactTimings {
  double lower_s = 0;     ///< lowering the changed devices
  double walk_s = 0;      ///< the paths through them
  double diff_s = 0;      ///< pair sets, blocks, witnesses, deciding rules, intents
  double findings_s = 0;  ///< the after audit's checks and the findings diff
};

/// Both snapshots built in full (two config repositories).
ImpactResult impact_of_snapshots(Snapshot& before, Snapshot& after, const ImpactOptions& options);

/// A candidate config for one device, parsed.
struct DeviceChange {
  std::string device;
  model::Device model;
};

/// Why `changes` cannot be evaluated on `before` incrementally (a device unknown or without a
/// parsed model, ports that differ); nullopt when they can.
std::optional<std::string> incremental_blocker(const Snapshot& before,
                                               const std::vector<DeviceChange>& changes);

/// The change evaluated on the loaded `before` snapshot: only the changed devices are lowered
/// and only paths through them walked; everything else is reused. Requires
/// !incremental_blocker(before, changes). `before` is left as it was.
ImpactResult impact_of_change(Snapshot& before, std::vector<DeviceChange> changes,
                              const ImpactOptions& options, ImpactTimings* timings = nullptr);

}  // namespace sanso::impact
