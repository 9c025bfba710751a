#pragma once
// Policies, zones and VIPs of one VDOM -> filter entries and NAT of model::Device.
//
// model::FilterEntry has one `in` and one `out` interface condition, FortiOS policies name lists
// of interfaces and zones: a policy becomes one entry per (source interface, destination
// interface) pair after zones are expanded to their members, all sharing the policy's match and
// evidence (the `edit` line). For any one port pair at most one of them applies, so first-match
// order is kept exactly. `any` is an absent condition.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/device.h"
#include "vendor/fortigate/config.h"
#include "vendor/fortigate/resolve.h"

namespace sanso::vendor::fortigate {

class Lowerer {
 public:
  Lowerer(const FortigateConfig& cfg, const std::vector<std::string_view>& lines);

  /// Appends the policy's entries (none when disabled) and its source NAT.
  void policy(const PolicyDef& p, std::vector<model::FilterEntry>& out,
              std::vector<model::SourceNat>& snat);
  /// Intrazone `allow` zones: permits between distinct members, after the policies.
  void intrazone(std::vector<model::FilterEntry>& out);
  /// The implicit deny (policy 0).
  model::FilterEntry implicit_deny(bool logged) const;
  /// VIPs (static NAT, port forwarding) as destination NAT, before the filters.
  void vips(std::vector<model::DestinationNat>& out);
  void central_snat(std::vector<model::SourceNat>& out);

  Resolver& resolver() { return resolver_; }
  /// Coverage notes of lowering (line -> reason).
  const std::map<int, std::string>& notes() const { return notes_; }
  /// Interface or zone names used but defined nowhere (name, first line).
  const std::vector<std::pair<std::string, int>>& unknown_interfaces() const { return unknown_ifaces_; }

 private:
  std::vector<std::optional<std::string>> expand(const Names& names);
  model::SourceRef ref(int line, int end_line) const;
  void note(int line, const std::string& why);
  bool intrazone_pair(const std::string& a, const std::string& b) const;

  const FortigateConfig& cfg_;
  const std::vector<std::string_view>& lines_;
  Resolver resolver_;
  std::map<std::string, const ZoneDef*> zones_;
  std::set<std::string> interfaces_;
  std::map<std::string, std::string> allow_zone_of_;  // member -> zone with intrazone allow
  std::map<int, std::string> notes_;
  std::vector<std::pair<std::string, int>> unknown_ifaces_;
  std::set<std::string> unknown_seen_;
};

}  // namespace sanso::vendor::fortigate
