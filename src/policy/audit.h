#pragma once
// The audit: topology + parsed devices + rule pack -> findings, zone matrix, coverage, and the
// account of every rule (finding, passed, not evaluated or checklist).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/network.h"
#include "analysis/reachability.h"
#include "model/device.h"
#include "policy/finding.h"
#include "policy/rule_pack.h"
#include "topology/topology.h"

namespace sanso::policy {

struct MatrixCell {
  std::string from_zone;
  std::string to_zone;
  std::string from_tier;
  std::string to_tier;
  /// violation | unproven | allowed (declared entries cover it) | default (same-tier realms)
  std::string status;
  std::vector<std::string> services;
};

struct DeviceCoverage {
  std::string device;
  std::string vendor;
  model::Coverage coverage;
};

struct NotEvaluated {
  std::string rule;
  std::string device;  ///< empty: the whole audit
  Text why;
};

struct ChecklistItem {
  std::string rule;
  Text title;
};

struct AuditTimings {
  double reachability_s = 0;
  double checks_s = 0;
  std::size_t paths = 0;
};

struct AuditResult {
  std::string network;
  std::string verdict;  ///< clean | violations | unproven
  std::vector<MatrixCell> matrix;
  std::vector<DeviceCoverage> coverage;
  std::vector<Finding> findings;
  std::vector<NotEvaluated> not_evaluated;
  std::vector<ChecklistItem> checklist;
  std::vector<std::string> passed;
  AuditTimings timings;
  /// DESIGN §5: 1 iff a violation or an unproven crossing is neither waived nor in the baseline,
  /// else 0.
  int exit_code() const;
};

struct AuditOptions {
  std::string today;  ///< YYYY-MM-DD, for waiver expiry
  /// Devices whose vendor this build cannot read: every crossing through them is unproven.
  std::map<std::string, std::string> unsupported_devices;  ///< device -> reason
  /// Worker threads for lowering devices (the rest of the audit is sequential).
  unsigned threads = 1;
};

AuditResult run_audit(const topology::Topology& topology, const RulePack& pack,
                      const std::map<std::string, model::Device>& devices,
                      const AuditOptions& options);

/// The audit of a network already built, lowered and walked: `flows` must be
/// compute_reachability(network) (impact reuses the lowered behaviours of unchanged devices and
/// the paths that avoid changed ones). Coverage comes from the models the network's devices
/// point to.
AuditResult run_audit_on(const topology::Topology& topology, const RulePack& pack,
                         const AuditOptions& options, analysis::Network& network,
                         const std::vector<analysis::PathFlow>& flows);

/// Marks the findings whose identity is in `ids` (a saved audit's) as baseline: they are still
/// reported, but no longer fail the run. Returns how many were marked.
std::size_t mark_baseline(AuditResult& result, const std::set<std::string>& ids);

/// Tier names as users read them (GLOSSARY.md).
Text tier_title(topology::Tier t);

}  // namespace sanso::policy
