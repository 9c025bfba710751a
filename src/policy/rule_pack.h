#pragma once
// The rule pack: the three-tier rule catalogue as data (rules/three-tier.yaml, docs/rule-pack.md).
// Loading validates every key against the schema and reports problems as values with file:line,
// because a typo in a rule pack must never silently weaken an audit. Nothing here throws.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "topology/topology.h"

namespace sanso::policy {

enum class Severity { Critical, High, Medium, Low, Info };

std::string_view to_string(Severity);
std::optional<Severity> parse_severity(std::string_view);
/// critical=0 ... info=4 (sort key: most severe first).
int severity_rank(Severity);

struct Text {
  std::string en, ja;
};

struct RuleDef {
  std::string id;
  Text title;
  std::string source;
  Severity severity = Severity::Info;
  std::string check;  ///< a kind of implemented_check_kinds(), "checklist" or "not-implemented"
  Text why_not_evaluated;
  Text message;
  Text remediation;
  std::map<std::string, std::vector<std::string>> params;  ///< scalars become one-element lists
  /// A check only captures can make (`sanso monitor`): one of monitor_check_kinds(), or empty.
  /// Crossing rules need none: the monitor judges flows with the same check kinds as the audit.
  std::string monitor;
  /// The alert text of `sanso monitor` ({src}, {dst}, {service}, {from_zone}, {to_zone},
  /// {from_tier}, {to_tier}, {capture_point}, {entry}, {mac}, {detail}); empty: a generic text.
  Text monitor_message;
  std::string file;
  int line = 0;
  /// The keys written for this rule (besides id). merge_rule_pack copies only these, so that an
  /// extra pack can override one field of a built-in rule.
  std::set<std::string> given;
};

/// Zone classes of the intra-tier default matrix.
enum class ZoneClass { Internal, External, Egress, PublicBody, Dedicated, Any };

std::string_view to_string(ZoneClass);
std::optional<ZoneClass> parse_zone_class(std::string_view);
/// Whether a zone belongs to a class: internal = not external; egress / public-body by role;
/// dedicated by `link: dedicated`.
bool zone_in_class(const topology::Zone& zone, ZoneClass zone_class);

struct IntraTierDefault {
  std::optional<topology::Tier> tier;  ///< nullopt = any
  ZoneClass a = ZoneClass::Any;
  ZoneClass b = ZoneClass::Any;
  std::string result;  ///< "allowed" or a rule id
  std::string file;
  int line = 0;
};

struct RulePack {
  std::string name;
  std::vector<RuleDef> rules;
  std::vector<IntraTierDefault> intra_tier;

  const RuleDef* find(std::string_view id) const;
  /// Default verdict for a crossing between two different zones of one tier: "allowed" or the id
  /// of the rule it breaks. First matching entry wins; entries apply both ways. nullopt when the
  /// zones are of different tiers or no entry matches.
  std::optional<std::string> intra_tier_result(const topology::Zone& from,
                                               const topology::Zone& to) const;
};

struct RulePackError {
  std::string file;
  int line = 0;    ///< 1-based; 0 when unknown
  int column = 0;  ///< 1-based; 0 when unknown
  std::string message;
  /// "file:line:column: message" (line and column left out when unknown).
  std::string render() const;
};

struct RulePackLoad {
  std::optional<RulePack> pack;  ///< set iff errors is empty
  std::vector<RulePackError> errors;
};

/// Loads a rule pack from a file. With `base`, the pack is an extra pack for `base`: a rule whose
/// id `base` knows needs only the keys it overrides, and intra_tier results may name rules of
/// `base`.
RulePackLoad load_rule_pack(const std::string& path, const RulePack* base = nullptr);
/// As load_rule_pack, from text; `path` is used for error locations.
RulePackLoad load_rule_pack_text(const std::string& text, const std::string& path,
                                 const RulePack* base = nullptr);

/// A municipality's extra pack: rules with a known id override the given fields (severity, params
/// key by key, message, ...), new ids are added; intra_tier entries of the extra pack go first.
/// Returns what makes the merged pack inconsistent (an overridden rule that lost a required
/// field, an intra_tier result naming no rule); the merge is applied either way.
std::vector<RulePackError> merge_rule_pack(RulePack& base, const RulePack& extra);

/// What keeps a complete rule from being evaluable: a missing required key ("missing required
/// key 'message'") or a bad check parameter. Empty for a complete rule.
std::vector<std::string> rule_problems(const RuleDef& rule);

/// Replaces {name} placeholders; unknown placeholders stay as written.
std::string render_message(const std::string& tmpl,
                           const std::map<std::string, std::string>& values);

/// The check kinds this build implements — a rule naming another kind is a load error.
const std::vector<std::string_view>& implemented_check_kinds();
/// What check kind `filter-consistency` reports, as its `params.violation` names them (the kinds
/// listed there are violations, the others info).
const std::vector<std::string_view>& filter_consistency_kinds();
/// Check kinds that only captures can evaluate (the `monitor` key of a rule).
const std::vector<std::string_view>& monitor_check_kinds();

inline constexpr std::string_view kCheckChecklist = "checklist";
inline constexpr std::string_view kCheckNotImplemented = "not-implemented";

}  // namespace sanso::policy
