// Reading a rule pack from YAML (schema: docs/rule-pack.md). Every problem becomes a
// RulePackError with the line of the offending node and loading goes on, so that one run shows
// all mistakes of a pack. yaml-cpp exceptions stop here.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "policy/rule_pack.h"

namespace sanso::policy {
namespace {

const std::set<std::string> kTopKeys = {"sanso_rules", "name", "intra_tier", "rules"};
const std::set<std::string> kRuleKeys = {"id",       "title",   "source",
                                         "severity", "check",   "why_not_evaluated",
                                         "message",  "remediation", "params",
                                         "monitor",  "monitor_message"};
const std::set<std::string> kIntraKeys = {"tier", "a", "b", "result"};

std::optional<topology::Tier> parse_tier(std::string_view text) {
  if (text == "mynumber") return topology::Tier::Mynumber;
  if (text == "lgwan") return topology::Tier::Lgwan;
  if (text == "internet") return topology::Tier::Internet;
  return std::nullopt;
}

std::string kind_list() {
  std::string out;
  for (std::string_view k : implemented_check_kinds()) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

class Loader {
 public:
  Loader(std::string path, const RulePack* base) : path_(std::move(path)), base_(base) {}

  RulePackLoad load(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      add_at(e.mark, "invalid YAML: " + e.msg);
      return finish();
    }
    read_root(root);
    return finish();
  }

  void add_at(const YAML::Mark& mark, std::string message) {
    // yaml-cpp marks are 0-based and -1 when unknown.
    int line = mark.line >= 0 ? mark.line + 1 : 0;
    int column = mark.column >= 0 ? mark.column + 1 : 0;
    errors_.push_back({path_, line, column, std::move(message)});
  }

 private:
  void add(const YAML::Node& node, std::string message) { add_at(node.Mark(), std::move(message)); }

  RulePackLoad finish() {
    RulePackLoad out;
    out.errors = std::move(errors_);
    if (out.errors.empty()) out.pack = std::move(pack_);
    return out;
  }

  std::optional<std::string> scalar(const YAML::Node& node, const std::string& what) {
    if (node.IsScalar()) return node.Scalar();
    add(node, what + " must be a scalar");
    return std::nullopt;
  }

  // Calls `on_key(key node, value node, key)` for each key of a mapping, reporting keys outside
  // `allowed` and keys written twice (yaml-cpp keeps both; the second would be silently lost).
  template <typename F>
  void for_each_key(const YAML::Node& map, const std::set<std::string>& allowed,
                    const std::string& where, F on_key) {
    std::set<std::string> seen;
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) {
        add(kv.first, where + "keys must be scalars");
        continue;
      }
      const std::string key = kv.first.Scalar();
      if (!allowed.contains(key)) {
        add(kv.first, where + "unknown key '" + key + "'");
        continue;
      }
      if (!seen.insert(key).second) {
        add(kv.first, where + "duplicate key '" + key + "'");
        continue;
      }
      on_key(kv.first, kv.second, key);
    }
  }

  void read_root(const YAML::Node& root) {
    if (!root.IsMap()) {
      add(root, "a rule pack must be a mapping with keys sanso_rules, name, intra_tier and rules");
      return;
    }
    for (const char* key : {"sanso_rules", "name", "rules"}) {
      if (!root[key]) add(root, std::string("missing required top-level key '") + key + "'");
    }
    std::optional<YAML::Node> intra;  // a handle: the iteration's value does not outlive it
    for_each_key(root, kTopKeys, "", [&](const YAML::Node&, const YAML::Node& value,
                                          const std::string& key) {
      if (key == "sanso_rules") {
        auto v = scalar(value, "sanso_rules");
        if (v && *v != "1") add(value, "unsupported sanso_rules version '" + *v + "' (this build reads 1)");
      } else if (key == "name") {
        if (auto v = scalar(value, "name")) pack_.name = *v;
      } else if (key == "rules") {
        read_rules(value);
      } else if (key == "intra_tier") {
        intra = value;
      }
    });
    // intra_tier results name rules, so they are checked once every rule is known.
    if (intra) read_intra_tier(*intra);
  }

  void read_rules(const YAML::Node& seq) {
    if (!seq.IsSequence()) {
      add(seq, "rules must be a list");
      return;
    }
    std::map<std::string, int> first_line;
    for (const YAML::Node& node : seq) {
      if (!node.IsMap()) {
        add(node, "a rule must be a mapping");
        continue;
      }
      RuleDef rule;
      rule.file = path_;
      rule.line = node.Mark().line + 1;
      if (!read_rule(node, rule)) continue;
      auto [it, fresh] = first_line.emplace(rule.id, rule.line);
      if (!fresh) {
        add(node, "duplicate rule id '" + rule.id + "' (first defined at line " +
                      std::to_string(it->second) + ")");
        continue;
      }
      // A rule of an extra pack that overrides a base rule may give only the keys it changes.
      bool is_override = base_ && base_->find(rule.id);
      if (!is_override) {
        for (std::string& problem : rule_problems(rule)) add(node, std::move(problem));
      }
      pack_.rules.push_back(std::move(rule));
    }
  }

  // False when the rule has no usable id (it cannot be referred to, so it is not kept).
  bool read_rule(const YAML::Node& node, RuleDef& rule) {
    const YAML::Node id = node["id"];
    if (!id) {
      add(node, "rule without id: missing required key 'id'");
      return false;
    }
    auto id_text = scalar(id, "rule id");
    if (!id_text) return false;
    if (id_text->empty()) {
      add(id, "rule id must not be empty");
      return false;
    }
    rule.id = *id_text;
    const std::string where = "rule " + rule.id + ": ";
    for_each_key(node, kRuleKeys, where, [&](const YAML::Node&, const YAML::Node& value,
                                             const std::string& key) {
      if (key == "id") return;
      rule.given.insert(key);
      if (key == "title") read_text(value, where + "title", rule.title);
      if (key == "why_not_evaluated") read_text(value, where + "why_not_evaluated", rule.why_not_evaluated);
      if (key == "message") read_text(value, where + "message", rule.message);
      if (key == "remediation") read_text(value, where + "remediation", rule.remediation);
      if (key == "monitor_message") read_text(value, where + "monitor_message", rule.monitor_message);
      if (key == "monitor") read_monitor(value, where, rule);
      if (key == "source") {
        if (auto v = scalar(value, where + "source")) rule.source = *v;
      }
      if (key == "severity") read_severity(value, where, rule);
      if (key == "check") read_check(value, where, rule);
      if (key == "params") read_params(value, where, rule);
    });
    return true;
  }

  void read_monitor(const YAML::Node& node, const std::string& where, RuleDef& rule) {
    auto v = scalar(node, where + "monitor");
    if (!v) return;
    const auto& kinds = monitor_check_kinds();
    if (std::find(kinds.begin(), kinds.end(), *v) == kinds.end()) {
      std::string list;
      for (std::string_view k : kinds) list += (list.empty() ? "" : ", ") + std::string(k);
      add(node, where + "unknown monitor check '" + *v + "' (expected one of: " + list + ")");
      return;
    }
    rule.monitor = *v;
  }

  void read_text(const YAML::Node& node, const std::string& what, Text& out) {
    if (!node.IsMap()) {
      add(node, what + " must be a mapping with en and ja");
      return;
    }
    for_each_key(node, {"en", "ja"}, what + ": ", [&](const YAML::Node&, const YAML::Node& value,
                                                      const std::string& key) {
      auto v = scalar(value, what + "." + key);
      if (!v) return;
      (key == "en" ? out.en : out.ja) = *v;
    });
    for (const char* lang : {"en", "ja"}) {
      if (!node[lang]) add(node, what + ": missing required key '" + lang + "'");
    }
  }

  // A bad value is reported here and the key still counts as written, so that rule_problems
  // does not report it a second time as missing.
  void read_severity(const YAML::Node& value, const std::string& where, RuleDef& rule) {
    auto v = scalar(value, where + "severity");
    if (!v) return;
    if (auto s = parse_severity(*v)) {
      rule.severity = *s;
      return;
    }
    add(value, where + "unknown severity '" + *v + "' (expected critical, high, medium, low or info)");
  }

  void read_check(const YAML::Node& value, const std::string& where, RuleDef& rule) {
    auto v = scalar(value, where + "check");
    if (!v) return;
    const auto& kinds = implemented_check_kinds();
    bool known = *v == kCheckChecklist || *v == kCheckNotImplemented ||
                 std::find(kinds.begin(), kinds.end(), *v) != kinds.end();
    if (!known) {
      add(value, where + "unknown check kind '" + *v + "' (expected checklist, not-implemented or " +
                     "one of: " + kind_list() + ")");
    }
    rule.check = *v;  // kept even when unknown: the pack is rejected, and "missing" is not repeated
  }

  void read_params(const YAML::Node& value, const std::string& where, RuleDef& rule) {
    if (!value.IsMap()) {
      add(value, where + "params must be a mapping");
      return;
    }
    for (const auto& kv : value) {
      auto name = scalar(kv.first, where + "a params key");
      if (!name) continue;
      const YAML::Node& v = kv.second;
      std::vector<std::string> list;
      if (v.IsScalar()) {
        list.push_back(v.Scalar());
      } else if (v.IsSequence() && std::all_of(v.begin(), v.end(), [](const YAML::Node& n) {
                   return n.IsScalar();
                 })) {
        for (const YAML::Node& n : v) list.push_back(n.Scalar());
      } else {
        add(v, where + "params." + *name + " must be a scalar or a list of scalars");
        continue;
      }
      rule.params[*name] = std::move(list);
    }
  }

  void read_intra_tier(const YAML::Node& seq) {
    if (!seq.IsSequence()) {
      add(seq, "intra_tier must be a list");
      return;
    }
    for (const YAML::Node& node : seq) {
      if (!node.IsMap()) {
        add(node, "intra_tier: an entry must be a mapping with tier, a, b and result");
        continue;
      }
      IntraTierDefault d;
      d.file = path_;
      d.line = node.Mark().line + 1;
      bool ok = true;
      for (const char* key : {"tier", "a", "b", "result"}) {
        if (!node[key]) {
          add(node, std::string("intra_tier: missing required key '") + key + "'");
          ok = false;
        }
      }
      for_each_key(node, kIntraKeys, "intra_tier: ", [&](const YAML::Node&, const YAML::Node& value,
                                                          const std::string& key) {
        auto v = scalar(value, "intra_tier: " + key);
        if (!v) {
          ok = false;
          return;
        }
        if (key == "tier") ok = read_intra_tier_tier(value, *v, d) && ok;
        if (key == "a" || key == "b") ok = read_intra_zone_class(value, *v, key == "a" ? d.a : d.b) && ok;
        if (key == "result") ok = read_intra_result(value, *v, d) && ok;
      });
      if (ok) pack_.intra_tier.push_back(std::move(d));
    }
  }

  bool read_intra_tier_tier(const YAML::Node& node, const std::string& v, IntraTierDefault& d) {
    if (v == "any") return true;
    if (auto t = parse_tier(v)) {
      d.tier = t;
      return true;
    }
    add(node, "intra_tier: unknown tier '" + v + "' (expected mynumber, lgwan, internet or any)");
    return false;
  }

  bool read_intra_zone_class(const YAML::Node& node, const std::string& v, ZoneClass& out) {
    if (auto c = parse_zone_class(v)) {
      out = *c;
      return true;
    }
    add(node, "intra_tier: unknown zone class '" + v +
                  "' (expected internal, external, egress, public-body, dedicated or any)");
    return false;
  }

  bool read_intra_result(const YAML::Node& node, const std::string& v, IntraTierDefault& d) {
    if (v == "allowed" || pack_.find(v) || (base_ && base_->find(v))) {
      d.result = v;
      return true;
    }
    add(node, "intra_tier: result '" + v + "' is neither 'allowed' nor a rule id of the pack");
    return false;
  }

  std::string path_;
  const RulePack* base_;
  RulePack pack_;
  std::vector<RulePackError> errors_;
};

}  // namespace

RulePackLoad load_rule_pack_text(const std::string& text, const std::string& path,
                                 const RulePack* base) {
  Loader loader(path, base);
  try {
    return loader.load(text);
  } catch (const std::exception& e) {
    // yaml-cpp conversions are guarded above; this keeps any surprise inside the module.
    RulePackLoad out;
    out.errors.push_back({path, 0, 0, std::string("internal error while reading the rule pack: ") + e.what()});
    return out;
  }
}

RulePackLoad load_rule_pack(const std::string& path, const RulePack* base) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    RulePackLoad out;
    out.errors.push_back({path, 0, 0, "cannot read the rule pack file"});
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_rule_pack_text(text.str(), path, base);
}

}  // namespace sanso::policy
