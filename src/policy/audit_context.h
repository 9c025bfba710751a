#pragma once
// What the audit's steps share while they run (internal to the policy module).
#include <map>
#include <string>
#include <vector>

#include "analysis/network.h"
#include "analysis/reachability.h"
#include "policy/allowances.h"
#include "policy/audit.h"
#include "policy/crossings.h"

namespace sanso::policy {

struct AuditContext {
  const topology::Topology& topology;
  const RulePack& pack;
  const AuditOptions& options;
  analysis::Network& network;
  const Allowances& allowances;
  const std::vector<analysis::PathFlow>& flows;
  model::WitnessPreference preference;  ///< declared hosts and their MACs first
  const AuditScope* scope = nullptr;    ///< nullptr: every device

  /// Whether the device-config checks run for this device (AuditScope).
  bool config_checked(const std::string& device) const {
    return scope == nullptr || scope->config_checked_devices.count(device) != 0;
  }

  /// Rules of the pack with this check kind.
  std::vector<const RuleDef*> rules_of_kind(std::string_view kind) const;
  const topology::Zone& zone(const std::string& name) const;
};

/// A finding's message from its rule's template and the values of this occurrence.
Text render(const RuleDef& rule, const std::map<std::string, std::string>& en,
            const std::map<std::string, std::string>& ja);

/// "tcp/445", "udp/3389", "icmp/8", "ip/47": the services a set carries, at most `limit`.
std::vector<std::string> services_of(const model::PacketSet& s, std::size_t limit = 12);
std::string service_of(const model::Packet& p);

/// The finding of an uncovered crossing group (violation or unproven), with the rule by
/// precedence; nullopt when the group has none.
std::optional<Finding> crossing_finding(const AuditContext& ctx, const CrossingGroup& g);
/// MN-SPECIFIC-COMM: declared specific communications whose source MAC is not pinned where the
/// filtering device can see it.
std::vector<Finding> mac_binding_findings(const AuditContext& ctx);
/// MN-NO-INTERNET-PATH through a relay host (role network), one host hop deep.
std::vector<Finding> relay_path_findings(const AuditContext& ctx);
/// MN-EXT-NO-INTERNET: partners of declared mynumber crossings that can reach the internet tier.
std::vector<Finding> partner_findings(const AuditContext& ctx);
/// ZONE-NO-BRIDGE, MN-WLAN, ZONE-ASSIGN, invalid allow entries, ALLOW-UNUSED.
std::vector<Finding> topology_findings(const AuditContext& ctx, const Crossings& crossings);

/// The packets equal to `w` in every field except `free` (for "does this rule admit any X").
model::PacketSet point_except(const model::Packet& w, std::initializer_list<model::Field> free);

/// Evidence for one device's deciding entries for packet `p` on a hop.
std::vector<Evidence> hop_evidence(const AuditContext& ctx, const analysis::Hop& hop,
                                   const model::Packet& p, bool include_defaults);

}  // namespace sanso::policy

namespace sanso::policy {
/// The rule pack's default for a crossing between two zones of one tier ("allowed" or a rule id).
std::string same_tier_default(const AuditContext& ctx, const topology::Zone& a,
                              const topology::Zone& b);
}  // namespace sanso::policy
