#pragma once
// A finding: one rule broken (or not provable) at one place, with the evidence and an example
// packet (DESIGN §5 "Findings").
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "model/packet_set.h"
#include "model/source_ref.h"
#include "policy/rule_pack.h"

namespace sanso::policy {

enum class Status { Violation, Unproven, Waived, Info };
std::string_view to_string(Status s);

struct Evidence {
  std::string device;  ///< empty for topology evidence (network.yaml lines)
  model::SourceRef ref;
};

struct Finding {
  std::string rule;
  std::vector<std::string> also_breaks;
  Severity severity = Severity::Info;
  Status status = Status::Violation;
  std::string from_tier;  ///< empty for topology findings without a direction
  std::string to_tier;
  std::string from_zone;
  std::string to_zone;
  std::string device;     ///< empty for topology findings
  Text message;
  std::vector<Evidence> evidence;
  std::optional<model::Packet> witness;
  /// The finding's packets depend on the source MAC (MAC binding): print the witness's MAC.
  bool witness_mac_matters = false;
  std::string permitting_text;  ///< normalised text of the permitting rule (identity input)
  std::string id;               ///< identity hash (rule, device, zones, permitting_text)
  std::vector<std::string> services;  ///< e.g. "tcp/445": what the finding's packet set carries
  std::optional<std::string> waiver_reason;
  /// The finding was already in the saved audit given to `audit --baseline`: shown, not failing.
  bool baseline = false;
};

/// 16 hex digits of FNV-1a over the fields (with a separator after each): the identity of
/// findings and of monitor alerts.
std::string identity_hash(std::initializer_list<std::string_view> fields);

/// Identity per DESIGN §5: rule, device, from zone, to zone and the permitting rule's normalised
/// text; never a line number. 16 hex digits.
std::string finding_identity(const Finding& f);

/// DESIGN §5 sort order: severity, rule, from, to, device, file, line.
void sort_findings(std::vector<Finding>& findings);
/// The order of sort_findings (the identity breaks ties), for merging sorted lists.
bool sorts_before(const Finding& a, const Finding& b);

}  // namespace sanso::policy
