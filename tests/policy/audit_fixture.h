#pragma once
// Audits a tiny town written inline: network.yaml and iptables-save configs go into a fresh
// temporary directory, which is loaded exactly as `sanso audit` loads it (topology, devices,
// built-in rule pack) and removed afterwards. The check tests build one such town per case.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common.h"
#include "model/address.h"
#include "policy/audit.h"
#include "policy/rule_pack.h"
#include "topology/load.h"

namespace sanso::policy::testing {

namespace fs = std::filesystem;

/// A town: network.yaml and the files it names (path relative to network.yaml -> content).
struct Town {
  std::string yaml;
  std::map<std::string, std::string> files;
  std::string today = "2026-06-01";  ///< fixed, so waiver expiry does not depend on the clock
  /// Audit with the rule-base hygiene rules (NET-ROUTE-FILTER-CONSISTENCY, LOG-COLLECT,
  /// TIME-SYNC) on. The crossing tests leave them off: their towns log nothing and name no NTP
  /// server, and each test counts only the findings of its own check.
  bool hygiene = false;
};

/// What an audit of a town gave: input errors (topology, configs, rule pack), or the result.
struct AuditRun {
  std::vector<std::string> errors;
  AuditResult result;
};

/// The start of every test town's network.yaml: policy and the extra zones a town may use
/// (zones without segments are harmless). Segments, hosts, devices and allow entries follow.
inline constexpr const char* kHeader = R"(sanso: 1
name: Test Town
policy: {model: alpha, mn_exception_direction: import-only, mn_wlan: forbidden}
zones:
  public-body: {tier: lgwan, external: true, role: public-body}
  lgwan-net: {tier: lgwan, external: true}
  security-cloud: {tier: internet, external: true, role: egress}
  the-internet: {tier: internet, external: true}
)";

/// The 1-based line of the first line of `text` that contains `needle` (0: none), so that tests
/// state evidence lines without counting lines of inline YAML by hand.
inline int line_of(const std::string& text, std::string_view needle) {
  int line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    const auto l = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (l.find(needle) != std::string::npos) return line;
    if (end == std::string::npos) break;
    start = end + 1;
    ++line;
  }
  return 0;
}

/// A directory under temp_directory_path() that removes itself.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = fs::temp_directory_path() /
              ("sanso-checks-" + std::to_string(rd()) + "-" + std::to_string(rd()));
      std::error_code ec;
      if (fs::create_directory(path_, ec)) return;
    }
    FAIL("cannot create a temporary directory");
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

  void write(const std::string& rel, const std::string& text) const {
    const fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    REQUIRE(out.good());
  }

 private:
  fs::path path_;
};

/// The line of the first FORWARD rule in a file made by iptables_save().
inline constexpr int kFirstRuleLine = 5;

/// An iptables-save dump whose FORWARD chain (policy DROP) holds `forward` in order; the first
/// rule is at line kFirstRuleLine.
inline std::string iptables_save(const std::vector<std::string>& forward) {
  std::string out = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n";
  for (const auto& r : forward) out += "-A FORWARD " + r + "\n";
  return out + "COMMIT\n";
}

/// The built-in rule pack, read once per test run (immutable afterwards; parsing it under ASan
/// costs more than auditing a tiny town).
inline const RulePackLoad& builtin_pack() {
  static const RulePackLoad pack = load_rule_pack(SANSO_SOURCE_DIR "/rules/three-tier.yaml");
  return pack;
}

/// The built-in pack with the hygiene rules (check kinds filter-consistency, log-collect,
/// time-sync) turned to not-implemented (see Town::hygiene).
inline const RulePackLoad& crossing_pack() {
  static const RulePackLoad pack = [] {
    RulePackLoad p = builtin_pack();
    if (!p.pack) return p;
    for (auto& r : p.pack->rules) {
      if (r.check != "filter-consistency" && r.check != "log-collect" && r.check != "time-sync")
        continue;
      r.check = std::string(kCheckNotImplemented);
      r.why_not_evaluated = {"off in crossing tests", "領域間通信のテストでは評価しません"};
    }
    return p;
  }();
  return pack;
}

/// Audits the network.yaml at `path` (a file or a directory) as `sanso audit` does.
inline AuditRun audit_path(const std::string& path, const std::string& today,
                           bool hygiene = true) {
  AuditRun run;
  auto loaded = topology::load_topology(path);
  for (const auto& e : loaded.errors) run.errors.push_back(e.render());
  if (!loaded.topology) return run;
  const auto& pack = hygiene ? builtin_pack() : crossing_pack();
  for (const auto& e : pack.errors) run.errors.push_back(e.render());
  if (!pack.pack) return run;
  auto devices = cli::load_devices(*loaded.topology);
  run.errors.insert(run.errors.end(), devices.errors.begin(), devices.errors.end());
  if (!run.errors.empty()) return run;

  AuditOptions options;
  options.today = today;
  options.unsupported_devices = devices.unsupported;
  run.result = run_audit(*loaded.topology, *pack.pack, devices.devices, options);
  return run;
}

/// Writes the town into a fresh temporary directory, audits it and removes the directory.
inline AuditRun audit_town(const Town& town) {
  TempDir dir;
  dir.write("network.yaml", town.yaml);
  for (const auto& [rel, text] : town.files) dir.write(rel, text);
  return audit_path(dir.path().string(), town.today, town.hygiene);
}

/// The result of a run that must have loaded without errors.
inline AuditResult ok_result(AuditRun& run) {
  INFO("input errors: " << [&] {
    std::string s;
    for (const auto& e : run.errors) s += "\n  " + e;
    return s;
  }());
  REQUIRE(run.errors.empty());
  return std::move(run.result);
}

/// Audits a town that must load without errors.
inline AuditResult audit_ok(const Town& town) {
  auto run = audit_town(town);
  return ok_result(run);
}

/// The findings of one rule.
inline std::vector<Finding> findings_of(const AuditResult& r, std::string_view rule) {
  std::vector<Finding> out;
  std::copy_if(r.findings.begin(), r.findings.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.rule == rule; });
  return out;
}

/// Every finding as "RULE status device from_zone->to_zone", for readable failure messages.
inline std::string summary(const AuditResult& r) {
  std::string s;
  for (const auto& f : r.findings) {
    s += "\n  " + f.rule + " " + std::string(to_string(f.status)) + " " + f.device + " " +
         f.from_zone + "->" + f.to_zone + " : " + f.message.en;
  }
  return s.empty() ? "(no findings)" : s;
}

/// The items joined by " | " (strings print when a comparison fails; vectors do not).
inline std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " | ") + i;
  return out;
}

/// "file:line" of an evidence item (file as written; no line: "file").
inline std::string where(const Evidence& e) {
  return e.ref.line ? e.ref.file + ":" + std::to_string(*e.ref.line) : e.ref.file;
}

/// Every evidence location of a finding, in order, joined by " | " (a string, so that a failed
/// comparison prints it).
inline std::string evidence_lines(const Finding& f) {
  std::vector<std::string> out;
  for (const auto& e : f.evidence) out.push_back(where(e));
  return joined(out);
}

inline std::string src_of(const Finding& f) {
  return f.witness ? model::format_ip(f.witness->family, f.witness->src) : "(none)";
}
inline std::string dst_of(const Finding& f) {
  return f.witness ? model::format_ip(f.witness->family, f.witness->dst) : "(none)";
}
inline int dport_of(const Finding& f) { return f.witness ? f.witness->dport : -1; }

}  // namespace sanso::policy::testing
