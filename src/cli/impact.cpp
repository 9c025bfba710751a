// `sanso impact BEFORE AFTER` and `sanso impact TOPOLOGY --change DEVICE=FILE ...`: what a config
// change does to the tier crossings, gating the change by exit status (DESIGN §5).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "cli/commands.h"
#include "cli/common.h"
#include "impact/impact.h"
#include "impact/report.h"
#include "topology/load.h"
#include "vendor/vendor.h"

namespace sanso::cli {
namespace {

struct ImpactArgs {
  std::string before;
  std::string after;
  std::vector<std::string> changes;
  std::string intent;
  std::string by = "zone";
  std::string format = "text";
  std::string lang;
  std::string rules;
  std::string output;
  bool timings = false;
};

struct Loaded {
  topology::Topology topology;
  policy::RulePack pack;
  LoadedDevices devices;
};

std::optional<Loaded> load_side(const std::string& path, const std::string& rules_flag) {
  auto loaded = topology::load_topology(path);
  if (!loaded.topology) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.render().c_str());
    return std::nullopt;
  }
  auto pack = load_rules(&*loaded.topology, rules_flag);
  if (!pack) return std::nullopt;
  auto devices = load_devices(*loaded.topology);
  if (!devices.errors.empty()) {
    for (const auto& e : devices.errors) std::fprintf(stderr, "%s\n", e.c_str());
    return std::nullopt;
  }
  return Loaded{std::move(*loaded.topology), std::move(*pack), std::move(devices)};
}

policy::AuditOptions audit_options(const LoadedDevices& d) {
  policy::AuditOptions o;
  o.today = today();
  o.unsupported_devices = d.unsupported;
  o.threads = worker_threads();
  return o;
}

/// Parses every --change: the candidate files of each device, in the order given (an iptables
/// device may take an iptables-save and an ip6tables-save dump). Errors name the device or file.
std::optional<std::vector<impact::DeviceChange>> load_changes(const topology::Topology& topo,
                                                              const std::vector<std::string>& specs) {
  std::map<std::string, std::vector<std::string>> files;
  std::vector<std::string> order;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      std::fprintf(stderr, "sanso: --change '%s': expected DEVICE=NEW_CONFIG\n", spec.c_str());
      return std::nullopt;
    }
    const std::string device = spec.substr(0, eq);
    const auto* td = topo.find_device(device);
    if (td == nullptr) {
      std::string known;
      for (const auto& d : topo.devices) known += (known.empty() ? "" : ", ") + d.name;
      std::fprintf(stderr, "sanso: --change '%s': no device '%s' in %s (devices: %s)\n",
                   spec.c_str(), device.c_str(), topo.path.c_str(), known.c_str());
      return std::nullopt;
    }
    if (!td->vendor || !vendor::is_supported_vendor(*td->vendor)) {
      std::fprintf(stderr, "sanso: --change '%s': device '%s' has no config sanso can read\n",
                   spec.c_str(), device.c_str());
      return std::nullopt;
    }
    if (files.find(device) == files.end()) order.push_back(device);
    files[device].push_back(spec.substr(eq + 1));
  }
  std::vector<impact::DeviceChange> out;
  for (const auto& device : order) {
    const auto* td = topo.find_device(device);
    vendor::DeviceInput input;
    input.device_name = device;
    input.context = td->context;
    for (const auto& path : files[device]) {
      std::string error;
      auto text = read_file(path, error);
      if (!text) {
        std::fprintf(stderr, "sanso: --change %s=%s: %s\n", device.c_str(), path.c_str(), error.c_str());
        return std::nullopt;
      }
      input.configs.push_back({path, std::move(*text)});
    }
    if (td->ipsets) {
      std::string error;
      const std::string path = (std::filesystem::path(topo.directory) / *td->ipsets).string();
      auto text = read_file(path, error);
      if (!text) {
        std::fprintf(stderr, "sanso: device '%s': ipsets '%s' %s\n", device.c_str(),
                     td->ipsets->c_str(), error.c_str());
        return std::nullopt;
      }
      input.ipsets = vendor::SourceFile{*td->ipsets, std::move(*text)};
    }
    auto loaded = vendor::load_device(*td->vendor, input);
    if (loaded.error) {
      std::fprintf(stderr, "%s:%d: device '%s': %s\n", loaded.error->file.c_str(),
                   loaded.error->line, device.c_str(), loaded.error->message.c_str());
      return std::nullopt;
    }
    if (!loaded.device) continue;
    loaded.device->name = device;
    out.push_back({device, std::move(*loaded.device)});
  }
  return out;
}

std::optional<std::vector<impact::ResolvedIntent>> load_intents(const std::string& path,
                                                                const analysis::Network& net) {
  std::vector<impact::ResolvedIntent> out;
  if (path.empty()) return out;
  std::string error;
  const auto text = read_file(path, error);
  if (!text) {
    std::fprintf(stderr, "sanso: intent %s: %s\n", path.c_str(), error.c_str());
    return std::nullopt;
  }
  const auto parsed = impact::parse_intents(*text, path);
  for (const auto& e : parsed.errors) std::fprintf(stderr, "%s\n", e.c_str());
  if (!parsed.errors.empty()) return std::nullopt;
  for (const auto& i : parsed.intents) {
    auto packets = impact::intent_packets(i, net, error);
    if (!packets) {
      std::fprintf(stderr, "%s:%d: %s\n", path.c_str(), i.line, error.c_str());
      return std::nullopt;
    }
    out.push_back({i, std::move(*packets)});
  }
  return out;
}

int write_report(const impact::ImpactResult& r, const ImpactArgs& a) {
  const std::string text = a.format == "json" ? impact::impact_json(r).dump(2) + "\n"
                                               : impact::impact_text(r, choose_lang(a.lang));
  if (a.output.empty() || a.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    std::ofstream out(a.output, std::ios::binary);
    out << text;
    if (!out) {
      std::fprintf(stderr, "sanso: cannot write %s\n", a.output.c_str());
      return kInputError;
    }
  }
  return r.exit_code();
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int run_impact(const ImpactArgs& a) {
  if (a.after.empty() == a.changes.empty()) {
    std::fputs("sanso impact: give either BEFORE AFTER (two topologies) or TOPOLOGY --change "
               "DEVICE=NEW_CONFIG\n", stderr);
    return kInputError;
  }
  const auto started = std::chrono::steady_clock::now();
  auto before = load_side(a.before, a.rules);
  if (!before) return kInputError;
  std::optional<std::vector<impact::DeviceChange>> changes;
  if (!a.changes.empty()) {
    changes = load_changes(before->topology, a.changes);
    if (!changes) return kInputError;
  }
  std::optional<Loaded> after;
  if (!a.after.empty()) {
    after = load_side(a.after, a.rules);
    if (!after) return kInputError;
  }
  impact::ImpactOptions options;
  options.by_segment = a.by == "segment";
  auto before_opts = audit_options(before->devices);
  auto b = impact::build_snapshot(std::move(before->topology), std::move(before->pack),
                                  std::move(before->devices.devices), before_opts);
  const double load_s = since(started);
  impact::ImpactResult result;  // refers into the snapshots: they live until it is written
  std::unique_ptr<impact::Snapshot> after_snapshot;
  impact::ImpactTimings t;
  const auto diff_started = std::chrono::steady_clock::now();
  if (changes && !impact::incremental_blocker(*b, *changes)) {
    auto intents = load_intents(a.intent, *b->network);
    if (!intents) return kInputError;
    options.intents = std::move(*intents);
    result = impact::impact_of_change(*b, std::move(*changes), options, &t);
  } else {
    if (changes) {
      // A candidate naming other interfaces changes the graph: the after snapshot in full.
      after = Loaded{b->topology, b->pack, {}};
      after->devices.devices = b->devices;
      after->devices.unsupported = b->options.unsupported_devices;
      for (auto& c : *changes) after->devices.devices[c.device] = std::move(c.model);
    }
    auto after_opts = audit_options(after->devices);
    after_snapshot = impact::build_snapshot(std::move(after->topology), std::move(after->pack),
                                            std::move(after->devices.devices), after_opts);
    auto intents = load_intents(a.intent, *after_snapshot->network);
    if (!intents) return kInputError;
    options.intents = std::move(*intents);
    result = impact::impact_of_snapshots(*b, *after_snapshot, options);
  }
  if (a.timings) {
    std::fprintf(stderr, "load %.3f s, impact %.3f s (lower %.3f, walk %.3f, diff %.3f, findings %.3f)\n",
                 load_s, since(diff_started), t.lower_s, t.walk_s, t.diff_s, t.findings_s);
  }
  return write_report(result, a);
}

}  // namespace

Runner add_impact(CLI::App& app) {
  auto args = std::make_shared<ImpactArgs>();
  app.add_option("BEFORE", args->before, "topology before the change (network.yaml or its directory)")
      ->required();
  app.add_option("AFTER", args->after, "topology after the change (omit with --change)");
  app.add_option("--change", args->changes,
                 "DEVICE=NEW_CONFIG: evaluate this candidate config for DEVICE (repeatable; give "
                 "a device twice for several files)");
  app.add_option("--intent", args->intent,
                 "YAML list of {from, to, service, action: open|close}: the intended change");
  app.add_option("--by", args->by, "also report per segment pair")
      ->check(CLI::IsMember({"zone", "segment"}))
      ->capture_default_str();
  app.add_option("--format,-f", args->format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--lang", args->lang, "language of the text report (default: from the locale)")
      ->check(CLI::IsMember({"en", "ja"}));
  app.add_option("--rules", args->rules, "rule pack to use instead of the built-in three-tier.yaml");
  app.add_option("--output,-o", args->output, "write the report to this file (default: stdout)");
  app.add_flag("--timings", args->timings, "print load and impact times to stderr");
  app.footer(
      "Exit status: 0 the change adds no packets to any crossing beyond valid allow entries and\n"
      "the intent, and nothing unproven (pre-existing violations are listed as unchanged);\n"
      "1 it does (or a new finding is a violation or unproven); 2 usage error, invalid topology,\n"
      "unknown device or unreadable config; 3 internal error. Details: docs/impact.md");
  return [args] { return run_impact(*args); };
}

}  // namespace sanso::cli
