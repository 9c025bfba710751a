// `sanso audit [PATH]`: the offline config audit.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "policy/audit.h"
#include "report/json.h"
#include "report/text.h"
#include "topology/load.h"

namespace sanso::cli {
namespace {

struct AuditArgs {
  std::string path;
  std::string topology;
  std::string format = "text";
  std::string lang;
  std::string rules;
  std::string output;
  std::string baseline;
};

/// The finding identities of a saved `sanso audit --format json` report; nullopt (with the reason
/// printed) when the file cannot be read or is not such a report.
std::optional<std::set<std::string>> load_baseline(const std::string& path) {
  std::string error;
  const auto text = read_file(path, error);
  if (!text) {
    std::fprintf(stderr, "sanso: baseline %s: %s\n", path.c_str(), error.c_str());
    return std::nullopt;
  }
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("findings") || !j["findings"].is_array()) {
    std::fprintf(stderr,
                 "sanso: baseline %s: not a saved audit (expected the JSON of 'sanso audit "
                 "--format json', with a \"findings\" array)\n",
                 path.c_str());
    return std::nullopt;
  }
  std::set<std::string> ids;
  for (const auto& f : j["findings"]) {
    if (f.is_object() && f.contains("id") && f["id"].is_string()) ids.insert(f["id"].get<std::string>());
  }
  return ids;
}

int write_output(const std::string& text, const std::string& output) {
  if (output.empty() || output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kClean;
  }
  std::ofstream out(output, std::ios::binary);
  out << text;
  if (!out) {
    std::fprintf(stderr, "sanso: cannot write %s\n", output.c_str());
    return kInputError;
  }
  return kClean;
}

int run_audit_command(const AuditArgs& a) {
  std::string path = !a.topology.empty() ? a.topology : a.path;
  if (path.empty()) {
    if (!std::filesystem::exists("network.yaml")) {
      std::fputs(
          "sanso: no network.yaml in the current directory\n"
          "  give a topology: sanso audit PATH (a network.yaml or a directory holding one)\n"
          "  try the bundled example: sanso audit topology/example-city\n",
          stderr);
      return kInputError;
    }
    path = "network.yaml";
  }
  auto loaded = topology::load_topology(path);
  if (!loaded.topology) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.render().c_str());
    return kInputError;
  }
  std::optional<std::set<std::string>> baseline;
  if (!a.baseline.empty()) {
    baseline = load_baseline(a.baseline);
    if (!baseline) return kInputError;
  }
  const auto& topo = *loaded.topology;
  auto pack = load_rules(&topo, a.rules);
  if (!pack) return kInputError;
  auto devices = load_devices(topo);
  if (!devices.errors.empty()) {
    for (const auto& e : devices.errors) std::fprintf(stderr, "%s\n", e.c_str());
    return kInputError;
  }
  policy::AuditOptions options;
  options.today = today();
  options.unsupported_devices = devices.unsupported;
  options.threads = worker_threads();
  auto result = policy::run_audit(topo, *pack, devices.devices, options);
  if (baseline) policy::mark_baseline(result, *baseline);

  std::string text;
  if (a.format == "json") {
    text = report::audit_json(topo, result).dump(2) + "\n";
  } else {
    text = report::audit_text(topo, *pack, result, choose_lang(a.lang));
  }
  const int written = write_output(text, a.output);
  if (written != kClean) return written;
  return result.exit_code();
}

}  // namespace

Runner add_audit(CLI::App& app) {
  auto args = std::make_shared<AuditArgs>();
  app.add_option("PATH", args->path,
                 "network.yaml, or a directory holding one (default: ./network.yaml)");
  app.add_option("--topology,-t", args->topology, "same as PATH");
  app.add_option("--format,-f", args->format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--lang", args->lang, "language of the text report (default: from the locale)")
      ->check(CLI::IsMember({"en", "ja"}));
  app.add_option("--rules", args->rules, "rule pack to use instead of the built-in three-tier.yaml");
  app.add_option("--output,-o", args->output, "write the report to this file (default: stdout)");
  app.add_option("--baseline", args->baseline,
                 "a saved audit JSON: findings already in it (same id) are marked baseline and do "
                 "not fail the run");
  app.footer(
      "Exit status: 0 no violation and nothing unproven (findings in the --baseline do not count);\n"
      "1 violations or unproven crossings;\n"
      "2 usage error, invalid topology, or a config that cannot be read; 3 internal error.");
  return [args] { return run_audit_command(*args); };
}

}  // namespace sanso::cli
