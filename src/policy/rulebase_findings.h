#pragma once
// Rule-base hygiene as audit findings (internal to the policy module):
// - NET-ROUTE-FILTER-CONSISTENCY (check kind `filter-consistency`), the filter half: shadowed,
//   redundant, correlated and generalising rules of every filter (rulebase::analyze_filter), and
//   unused or undefined objects of the vendor's config (model::Device::object_issues);
// - LOG-COLLECT (`log-collect`): rules of boundary devices that decide packets between zones
//   without logging them, and syslog targets outside policy.log_collectors;
// - TIME-SYNC (`time-sync`): time sources missing or outside policy.ntp_sources.
// Settings come from the config (model::DeviceSettings) or else the device's `settings:` in
// network.yaml; a device with neither is reported as not evaluated, with the reason.
#include <vector>

#include "policy/audit.h"
#include "policy/audit_context.h"

namespace sanso::policy {

struct HygieneFindings {
  std::vector<Finding> findings;
  std::vector<NotEvaluated> not_evaluated;  ///< per device
};

HygieneFindings rulebase_findings(const AuditContext& ctx);

/// TIME-SYNC and the syslog-target half of LOG-COLLECT (settings_findings.cpp).
void settings_findings(const AuditContext& ctx, HygieneFindings& out);

}  // namespace sanso::policy
