// Rule pack values: vocabularies, lookups, merging and message rendering. The YAML reading is in
// rule_pack_load.cpp.
#include "policy/rule_pack.h"

#include <algorithm>

namespace sanso::policy {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Critical: return "critical";
    case Severity::High: return "high";
    case Severity::Medium: return "medium";
    case Severity::Low: return "low";
    case Severity::Info: return "info";
  }
  return "info";  // unreachable: the switch is exhaustive
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (Severity s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low,
                     Severity::Info}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

int severity_rank(Severity s) {
  switch (s) {
    case Severity::Critical: return 0;
    case Severity::High: return 1;
    case Severity::Medium: return 2;
    case Severity::Low: return 3;
    case Severity::Info: return 4;
  }
  return 4;
}

std::string_view to_string(ZoneClass c) {
  switch (c) {
    case ZoneClass::Internal: return "internal";
    case ZoneClass::External: return "external";
    case ZoneClass::Egress: return "egress";
    case ZoneClass::PublicBody: return "public-body";
    case ZoneClass::Dedicated: return "dedicated";
    case ZoneClass::Any: return "any";
  }
  return "any";
}

std::optional<ZoneClass> parse_zone_class(std::string_view text) {
  for (ZoneClass c : {ZoneClass::Internal, ZoneClass::External, ZoneClass::Egress,
                      ZoneClass::PublicBody, ZoneClass::Dedicated, ZoneClass::Any}) {
    if (to_string(c) == text) return c;
  }
  return std::nullopt;
}

bool zone_in_class(const topology::Zone& zone, ZoneClass zone_class) {
  switch (zone_class) {
    case ZoneClass::Internal: return !zone.external;
    case ZoneClass::External: return zone.external;
    case ZoneClass::Egress: return zone.role == topology::ZoneRole::Egress;
    case ZoneClass::PublicBody: return zone.role == topology::ZoneRole::PublicBody;
    case ZoneClass::Dedicated: return zone.dedicated_link;
    case ZoneClass::Any: return true;
  }
  return false;
}

const RuleDef* RulePack::find(std::string_view id) const {
  for (const RuleDef& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::optional<std::string> RulePack::intra_tier_result(const topology::Zone& from,
                                                       const topology::Zone& to) const {
  if (from.tier != to.tier) return std::nullopt;
  for (const IntraTierDefault& d : intra_tier) {
    if (d.tier && *d.tier != from.tier) continue;
    bool forward = zone_in_class(from, d.a) && zone_in_class(to, d.b);
    bool backward = zone_in_class(from, d.b) && zone_in_class(to, d.a);
    if (forward || backward) return d.result;
  }
  return std::nullopt;
}

std::string RulePackError::render() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out + ": " + message;
}

const std::vector<std::string_view>& implemented_check_kinds() {
  static const std::vector<std::string_view> kinds = {
      "mn-isolate",     "mn-specific-comm", "mn-no-internet-path", "mn-national-via-lgwan",
      "lg-inet-split",  "lg-no-internet",   "lg-import-sanitized", "sanitize-method",
      "inet-seccloud",  "zone-assign",      "zone-no-bridge",      "zone-default-deny",
      "mn-wlan",        "allow-unused",     "mn-ext-no-internet",  "filter-consistency",
      "log-collect",    "time-sync"};
  return kinds;
}

const std::vector<std::string_view>& filter_consistency_kinds() {
  static const std::vector<std::string_view> kinds = {
      "shadowed", "redundant", "correlated", "generalization", "unused-object", "undefined-object"};
  return kinds;
}

const std::vector<std::string_view>& monitor_check_kinds() {
  static const std::vector<std::string_view> kinds = {"time-sync", "unauthorized-device",
                                                      "fragment-evasion"};
  return kinds;
}

namespace {

bool has_text(const Text& t) { return !t.en.empty() && !t.ja.empty(); }

bool is_implemented_kind(std::string_view kind) {
  const auto& kinds = implemented_check_kinds();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

}  // namespace

std::vector<std::string> rule_problems(const RuleDef& rule) {
  std::vector<std::string> out;
  auto missing = [&](std::string_view key) {
    out.push_back("rule " + rule.id + ": missing required key '" + std::string(key) + "'");
  };
  // A key that was written but is incomplete (a text without ja) was reported where it was read.
  auto present = [&](std::string_view key, const Text& text) {
    return has_text(text) || rule.given.contains(std::string(key));
  };
  if (!present("title", rule.title)) missing("title");
  if (!rule.given.contains("severity")) missing("severity");
  if (rule.check.empty() && !rule.given.contains("check")) missing("check");
  if (rule.check == kCheckNotImplemented && !present("why_not_evaluated", rule.why_not_evaluated)) {
    missing("why_not_evaluated");
  }
  if (is_implemented_kind(rule.check) && !present("message", rule.message)) missing("message");
  if (rule.check == "sanitize-method") {
    // The method ties the rule to the `method` of sanitized allow entries (TOPOLOGY.md).
    auto it = rule.params.find("method");
    bool ok = it != rule.params.end() && it->second.size() == 1 &&
              (it->second[0] == "mail-text" || it->second[0] == "screen-transfer" ||
               it->second[0] == "file-sanitize");
    if (!ok) {
      out.push_back("rule " + rule.id +
                    ": check sanitize-method needs params.method: mail-text, screen-transfer or "
                    "file-sanitize");
    }
  }
  if (rule.check == "filter-consistency") {
    const auto it = rule.params.find("violation");
    const auto& kinds = filter_consistency_kinds();
    for (const auto& v : it == rule.params.end() ? std::vector<std::string>{} : it->second) {
      if (std::find(kinds.begin(), kinds.end(), v) != kinds.end()) continue;
      out.push_back("rule " + rule.id + ": params.violation: unknown kind '" + v +
                    "' (expected shadowed, redundant, correlated, generalization, unused-object "
                    "or undefined-object)");
    }
  }
  return out;
}

namespace {

// Copies the fields `extra` wrote onto `into`; params merge key by key so that a municipality can
// tune one parameter without restating the others.
void override_rule(RuleDef& into, const RuleDef& extra) {
  for (const std::string& key : extra.given) {
    if (key == "title") into.title = extra.title;
    if (key == "source") into.source = extra.source;
    if (key == "severity") into.severity = extra.severity;
    if (key == "check") into.check = extra.check;
    if (key == "why_not_evaluated") into.why_not_evaluated = extra.why_not_evaluated;
    if (key == "message") into.message = extra.message;
    if (key == "remediation") into.remediation = extra.remediation;
    if (key == "monitor") into.monitor = extra.monitor;
    if (key == "monitor_message") into.monitor_message = extra.monitor_message;
    if (key == "params") {
      for (const auto& [name, values] : extra.params) into.params[name] = values;
    }
    into.given.insert(key);
  }
  into.file = extra.file;
  into.line = extra.line;
}

}  // namespace

std::vector<RulePackError> merge_rule_pack(RulePack& base, const RulePack& extra) {
  std::vector<RulePackError> errors;
  for (const RuleDef& r : extra.rules) {
    RuleDef* target = nullptr;
    for (RuleDef& b : base.rules) {
      if (b.id == r.id) target = &b;
    }
    if (target) {
      override_rule(*target, r);
    } else {
      base.rules.push_back(r);
      target = &base.rules.back();
    }
    for (std::string& problem : rule_problems(*target)) {
      errors.push_back({target->file, target->line, 0, std::move(problem)});
    }
  }
  std::vector<IntraTierDefault> merged = extra.intra_tier;
  merged.insert(merged.end(), base.intra_tier.begin(), base.intra_tier.end());
  base.intra_tier = std::move(merged);
  for (std::size_t i = 0; i < extra.intra_tier.size(); ++i) {
    const IntraTierDefault& d = base.intra_tier[i];
    if (d.result == "allowed" || base.find(d.result)) continue;
    errors.push_back({d.file, d.line, 0,
                      "intra_tier: result '" + d.result +
                          "' is neither 'allowed' nor a rule id of the pack"});
  }
  return errors;
}

std::string render_message(const std::string& tmpl,
                           const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(tmpl.size());
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    std::size_t open = tmpl.find('{', pos);
    if (open == std::string::npos) break;
    std::size_t close = tmpl.find('}', open + 1);
    if (close == std::string::npos) break;
    // A '{' inside the name means the first brace was literal text: restart from the inner one.
    std::size_t inner = tmpl.find('{', open + 1);
    if (inner != std::string::npos && inner < close) {
      out.append(tmpl, pos, inner - pos);
      pos = inner;
      continue;
    }
    out.append(tmpl, pos, open - pos);
    auto it = values.find(tmpl.substr(open + 1, close - open - 1));
    if (it != values.end()) {
      out += it->second;
    } else {
      out.append(tmpl, open, close - open + 1);
    }
    pos = close + 1;
  }
  out.append(tmpl, pos, std::string::npos);
  return out;
}

}  // namespace sanso::policy
