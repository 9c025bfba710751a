#pragma once
// Named objects of an iptables device that are defined and never used, or used and never defined
// (NET-ROUTE-FILTER-CONSISTENCY): user chains, and ipsets when an `ipset save` file is given.
#include <optional>
#include <vector>

#include "model/device.h"
#include "vendor/iptables/config.h"
#include "vendor/iptables/ipset.h"

namespace sanso::vendor::iptables {

/// - a user chain declared (`:NAME - [0:0]`) that no rule of its table jumps or goes to: unused;
/// - a chain that rules are appended to, or `-g` goes to, without a declaration (iptables-restore
///   rejects the dump): undefined, cited at its first use;
/// - with an ipset file: a set that `-m set --match-set` or `-j SET` names and the file does not
///   create (undefined), and a set the file creates that no rule names (unused). Without an ipset
///   file nothing is said about sets (their rules are uncertain already).
std::vector<model::ObjectIssue> object_issues(const std::vector<IptablesConfig>& configs,
                                              const std::optional<IpsetConfig>& ipsets);

}  // namespace sanso::vendor::iptables
