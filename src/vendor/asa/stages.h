#pragma once
// Access rules, security levels and interface states -> ordered model::Filter stages.
//
// A packet from interface A to interface B passes, in order (CLI configuration guide, "Access
// Rules": interface access rule, global access rule, implicit deny; out rules on egress):
//   "interface state"        a shut down or management-only interface carries no transit
//   "access-group in"        A's in ACL (entries with in=A); then the global ACL (no interface
//                            condition) when there is one, else A's implicit deny; an interface
//                            without an in ACL (and no global ACL) gets the security-level
//                            default as one explicit entry per (A, B) pair; anything else: the
//                            stage's implicit deny
//   "same-security-traffic"  equal levels need same-security-traffic permit inter-/intra-interface
//   "access-group out"       B's out ACL (entries with out=B), then B's implicit deny
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/device.h"
#include "vendor/asa/config.h"
#include "vendor/asa/resolve.h"

namespace sanso::vendor::asa {

struct StageNotes {
  std::map<int, std::string> lines;  ///< coverage reasons by physical line
  std::set<std::string_view> relied;  ///< assumption texts relied on
  std::set<std::string> bound_acls;   ///< ACL names some access-group binds
  std::vector<model::ObjectIssue> issues;
};

std::vector<model::Filter> build_stages(const AsaConfig& cfg, Resolver& resolver,
                                        const std::vector<std::string_view>& lines,
                                        StageNotes& notes);

}  // namespace sanso::vendor::asa
