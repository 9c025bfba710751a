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
#include "policy/crossings.h"
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

/// The check kinds whose findings with a device depend on that device's own config and ports
/// and on nothing else in the network (rule-base anomalies, objects, unlogged rules, log and
/// time servers, rules naming undeclared address space).
bool is_device_config_kind(std::string_view check_kind);

/// What an audit computed per path flow and per crossing group, kept so that the audit after a
/// change of some devices recomputes only what passes them (sanso impact --change).
struct AuditMemo {
  std::vector<FlowCrossings> flows;  ///< per flow of the audit, in its order
  /// The audit's crossings; their paths point into its flows, which start at `flows_base`.
  Crossings crossings;
  const analysis::PathFlow* flows_base = nullptr;
  /// The crossing finding each group gave (before waivers), or nullopt for none.
  std::map<GroupKey, std::optional<Finding>> group_findings;
};

/// An audit after a change of some devices, on top of the audit before it:
/// - the device-config checks (is_device_config_kind) run for `config_checked_devices` only:
///   for the others they would read the same configs as before;
/// - with a memo, a flow marked in `memo_flow` (one that avoids the changed devices) reuses what
///   it added to the crossings before, and a crossing group none of whose flows is new or gone
///   (`memo_gone`: the memo's flows through the changed devices) reuses its finding.
struct AuditScope {
  std::set<std::string> config_checked_devices;
  const AuditMemo* memo = nullptr;
  std::vector<std::optional<std::size_t>> memo_flow;  ///< per flow: its index in memo->flows
  std::vector<std::size_t> memo_gone;
};

/// The audit of a network already built, lowered and walked: `flows` must be
/// compute_reachability(network) (impact reuses the lowered behaviours of unchanged devices and
/// the paths that avoid changed ones). Coverage comes from the models the network's devices
/// point to. With a scope, device-config findings (and not-evaluated entries) cover only its
/// devices. With `memo` (and no scope), what this audit computed is kept there for a later
/// scoped audit.
AuditResult run_audit_on(const topology::Topology& topology, const RulePack& pack,
                         const AuditOptions& options, analysis::Network& network,
                         const std::vector<analysis::PathFlow>& flows,
                         const AuditScope* scope = nullptr, AuditMemo* memo = nullptr);

/// Marks the findings whose identity is in `ids` (a saved audit's) as baseline: they are still
/// reported, but no longer fail the run. Returns how many were marked.
std::size_t mark_baseline(AuditResult& result, const std::set<std::string>& ids);

/// Tier names as users read them (GLOSSARY.md).
Text tier_title(topology::Tier t);

}  // namespace sanso::policy
