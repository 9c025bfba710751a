#include "vendor/iptables/objects.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace sanso::vendor::iptables {
namespace {

using model::ObjectIssue;

bool is_builtin_chain(const std::string& name) {
  return name == "PREROUTING" || name == "INPUT" || name == "FORWARD" || name == "OUTPUT" ||
         name == "POSTROUTING";
}

model::SourceRef ref(const std::string& file, int line, const std::string& text) {
  return {file, line, std::nullopt, text};
}

void chain_issues(const IptablesConfig& cfg, const Table& t, std::vector<ObjectIssue>& out) {
  std::set<std::string> declared;
  for (const ChainDecl& c : t.chains) declared.insert(c.name);
  std::set<std::string> targeted;
  std::set<std::string> reported;
  for (const Rule& r : t.rules) {
    if (!r.target) continue;
    targeted.insert(r.target->name);
  }
  auto undefined = [&](const std::string& name, const Rule& r) {
    if (declared.count(name) != 0 || is_builtin_chain(name) || !reported.insert(name).second) return;
    out.push_back({ObjectIssue::Kind::Undefined, "chain", name, ref(cfg.file, r.line, r.text)});
  };
  for (const Rule& r : t.rules) {
    if (!r.chain.empty()) undefined(r.chain, r);
    // -g always names a chain; an unknown -j name may be a target extension (coverage says so).
    if (r.target && r.target->kind == TargetKind::Goto) undefined(r.target->name, r);
  }
  for (const ChainDecl& c : t.chains) {
    if (is_builtin_chain(c.name) || targeted.count(c.name) != 0) continue;
    out.push_back({ObjectIssue::Kind::Unused, "chain", c.name, ref(cfg.file, c.line, c.text)});
  }
}

// Every set a rule names, with the first line naming it.
void set_references(const IptablesConfig& cfg, std::map<std::string, model::SourceRef>& refs) {
  for (const Table& t : cfg.tables) {
    for (const Rule& r : t.rules) {
      auto use = [&](const std::string& name) { refs.try_emplace(name, ref(cfg.file, r.line, r.text)); };
      for (const MatchModule& m : r.modules) {
        for (const Option& o : m.options) {
          if (o.name == "--match-set" && !o.args.empty()) use(o.args.front());
        }
      }
      if (!r.target || r.target->name != "SET") continue;
      const auto& a = r.target->args;
      for (std::size_t i = 0; i + 1 < a.size(); ++i) {
        if (a[i] == "--add-set" || a[i] == "--del-set" || a[i] == "--map-set") use(a[i + 1]);
      }
    }
  }
}

}  // namespace

std::vector<model::ObjectIssue> object_issues(const std::vector<IptablesConfig>& configs,
                                              const std::optional<IpsetConfig>& ipsets) {
  std::vector<ObjectIssue> out;
  std::map<std::string, model::SourceRef> set_refs;
  for (const IptablesConfig& cfg : configs) {
    for (const Table& t : cfg.tables) chain_issues(cfg, t, out);
    set_references(cfg, set_refs);
  }
  if (!ipsets) return out;
  for (const auto& [name, where] : set_refs) {
    if (find_set(*ipsets, name) == nullptr)
      out.push_back({ObjectIssue::Kind::Undefined, "ipset", name, where});
  }
  for (const IpSet& s : ipsets->sets) {
    if (set_refs.count(s.name) != 0) continue;
    out.push_back({ObjectIssue::Kind::Unused, "ipset", s.name,
                   ref(ipsets->file, s.line, "create " + s.name + " " + s.type)});
  }
  return out;
}

}  // namespace sanso::vendor::iptables
