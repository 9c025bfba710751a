#pragma once
// The audit as a report for a person: verdict, zone matrix, findings grouped by rule, coverage,
// and the rules the tool did not or cannot decide.
#include <string>

#include "policy/audit.h"
#include "policy/rule_pack.h"
#include "topology/topology.h"

namespace sanso::report {

enum class Lang { En, Ja };

std::string audit_text(const topology::Topology& topology, const policy::RulePack& pack,
                       const policy::AuditResult& result, Lang lang);

}  // namespace sanso::report
