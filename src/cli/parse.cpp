// `sanso parse --vendor V FILE...`: what sanso understood of one device's config.
#include <cstdio>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "model/address.h"
#include "report/json.h"
#include "vendor/vendor.h"

namespace sanso::cli {
namespace {

struct ParseArgs {
  std::string vendor;
  std::vector<std::string> files;
  std::string ipsets;
  std::string context;
  std::string format = "text";
};

std::string interface_text(const std::optional<model::InterfaceMatch>& m) {
  if (!m) return "*";
  return (m->negated ? "!" : "") + m->pattern;
}

nlohmann::json device_json(const model::Device& d) {
  nlohmann::json j;
  j["vendor"] = d.vendor;
  j["families"] = nlohmann::json::array();
  for (auto f : d.families) j["families"].push_back(static_cast<int>(f));
  j["interfaces"] = nlohmann::json::array();
  for (const auto& i : d.interfaces) {
    nlohmann::json addrs = nlohmann::json::array();
    for (const auto& a : i.addresses) addrs.push_back(model::format_range(a));
    j["interfaces"].push_back({{"name", i.name}, {"addresses", addrs}});
  }
  j["filters"] = nlohmann::json::array();
  for (const auto& f : d.transit) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& e : f.entries) {
      nlohmann::json ev = nlohmann::json::array();
      for (const auto& r : e.evidence) {
        ev.push_back({{"file", r.file}, {"line", r.line ? nlohmann::json(*r.line) : nlohmann::json(nullptr)},
                      {"text", r.text}});
      }
      entries.push_back({{"action", e.action == model::Action::Permit ? "permit" : "deny"},
                         {"in", interface_text(e.in)},
                         {"out", interface_text(e.out)},
                         {"match", model::describe(e.match)},
                         {"uncertain", e.uncertain},
                         {"uncertain_why", e.uncertain_why},
                         {"evidence", ev}});
    }
    j["filters"].push_back({{"name", f.name},
                            {"default", f.default_action == model::Action::Permit ? "permit" : "deny"},
                            {"entries", entries}});
  }
  j["unmodelled_nat"] = nlohmann::json::array();
  for (const auto& r : d.unmodelled_nat) {
    j["unmodelled_nat"].push_back({{"file", r.file}, {"line", r.line ? *r.line : 0}, {"text", r.text}});
  }
  j["destination_nat"] = nlohmann::json::array();
  for (const auto& n : d.destination_nat) {
    nlohmann::json ev = nlohmann::json::array();
    for (const auto& r : n.evidence) {
      ev.push_back({{"file", r.file}, {"line", r.line ? nlohmann::json(*r.line) : nlohmann::json(nullptr)},
                    {"text", r.text}});
    }
    j["destination_nat"].push_back(
        {{"in", interface_text(n.in)},
         {"match", model::describe(n.match)},
         {"to", n.to ? nlohmann::json(model::format_range(*n.to)) : nlohmann::json(nullptr)},
         {"to_ports", n.to_ports ? nlohmann::json(fmt::format("{}-{}", n.to_ports->first, n.to_ports->second))
                                 : nlohmann::json(nullptr)},
         {"uncertain", n.uncertain},
         {"evidence", ev}});
  }
  j["source_nat"] = nlohmann::json::array();
  for (const auto& n : d.source_nat) {
    const auto& r = n.evidence.empty() ? model::SourceRef{} : n.evidence.front();
    j["source_nat"].push_back({{"out", interface_text(n.out)},
                               {"match", model::describe(n.match)},
                               {"file", r.file},
                               {"line", r.line ? *r.line : 0},
                               {"text", r.text}});
  }
  j["coverage"] = nlohmann::json::array();
  for (const auto& c : d.coverage) j["coverage"].push_back(report::coverage_json(d.name, d.vendor, c));
  return j;
}

std::string device_text(const model::Device& d) {
  std::string out = fmt::format("vendor {}\n", d.vendor);
  for (const auto& f : d.transit) {
    out += fmt::format("\nfilter stage '{}' (no match: {})\n", f.name,
                       f.default_action == model::Action::Permit ? "permit" : "deny");
    for (const auto& e : f.entries) {
      const auto& first = e.evidence.empty() ? model::SourceRef{} : e.evidence.front();
      out += fmt::format("  {}:{:<5} {:<6} in {:<8} out {:<8} {}{}\n", first.file,
                         first.line ? std::to_string(*first.line) : "-",
                         e.action == model::Action::Permit ? "permit" : "deny", interface_text(e.in),
                         interface_text(e.out), model::describe(e.match),
                         e.uncertain ? "  [uncertain: " + e.uncertain_why + "]" : "");
    }
  }
  if (!d.destination_nat.empty()) out += "\ndestination NAT (before the filters, first match)\n";
  for (const auto& n : d.destination_nat) {
    const auto& first = n.evidence.empty() ? model::SourceRef{} : n.evidence.front();
    std::string to = "no translation";
    if (n.to) {
      to = "to " + model::format_range(*n.to);
      if (n.to_ports) to += fmt::format(" port {}-{}", n.to_ports->first, n.to_ports->second);
    }
    out += fmt::format("  {}:{:<5} in {:<8} {}  {}{}\n", first.file,
                       first.line ? std::to_string(*first.line) : "-", interface_text(n.in),
                       model::describe(n.match), to,
                       n.uncertain ? "  [uncertain: " + n.uncertain_why + "]" : "");
  }
  for (const auto& r : d.unmodelled_nat) {
    out += fmt::format("\nNAT not modelled: {}:{}: {}\n", r.file, r.line ? *r.line : 0, r.text);
  }
  if (!d.source_nat.empty()) out += "\nsource NAT (the source is unknown past the next segment)\n";
  for (const auto& n : d.source_nat) {
    const auto& r = n.evidence.empty() ? model::SourceRef{} : n.evidence.front();
    out += fmt::format("  {}:{:<5} out {:<8} {}\n", r.file, r.line ? std::to_string(*r.line) : "-",
                       interface_text(n.out), model::describe(n.match));
  }
  out += "\ncoverage\n";
  for (const auto& c : d.coverage) {
    out += fmt::format("  {}: {} of {} lines understood\n", c.file, c.understood(), c.lines);
    for (const auto& u : c.unparsed) out += fmt::format("    {}:{}: {}  [{}]\n", c.file, u.line, u.text, u.reason);
  }
  return out;
}

int run_parse_command(const ParseArgs& a) {
  if (!vendor::is_known_vendor(a.vendor)) {
    std::fprintf(stderr, "sanso: unknown vendor '%s'\n", a.vendor.c_str());
    return kInputError;
  }
  if (!vendor::is_supported_vendor(a.vendor)) {
    std::fprintf(stderr, "sanso: vendor '%s' is not supported by this version\n", a.vendor.c_str());
    return kInputError;
  }
  vendor::DeviceInput input;
  input.device_name = "device";
  if (!a.context.empty()) input.context = a.context;
  for (const auto& f : a.files) {
    std::string error;
    auto text = read_file(f, error);
    if (!text) {
      std::fprintf(stderr, "%s: %s\n", f.c_str(), error.c_str());
      return kInputError;
    }
    input.configs.push_back({f, std::move(*text)});
  }
  if (!a.ipsets.empty()) {
    std::string error;
    auto text = read_file(a.ipsets, error);
    if (!text) {
      std::fprintf(stderr, "%s: %s\n", a.ipsets.c_str(), error.c_str());
      return kInputError;
    }
    input.ipsets = vendor::SourceFile{a.ipsets, std::move(*text)};
  }
  auto loaded = vendor::load_device(a.vendor, input);
  if (loaded.error) {
    std::fprintf(stderr, "%s:%d: %s\n", loaded.error->file.c_str(), loaded.error->line,
                 loaded.error->message.c_str());
    return kInputError;
  }
  auto& d = *loaded.device;
  d.name = "device";
  const std::string text = a.format == "json" ? device_json(d).dump(2) + "\n" : device_text(d);
  std::fwrite(text.data(), 1, text.size(), stdout);
  for (const auto& c : d.coverage) {
    if (!c.unparsed.empty()) return kFindings;
  }
  return kClean;
}

}  // namespace

Runner add_parse(CLI::App& app) {
  auto args = std::make_shared<ParseArgs>();
  app.add_option("--vendor", args->vendor, "config format: iptables, nftables, fortigate, asa, yamaha-rtx")->required();
  app.add_option("FILE", args->files, "config file(s); iptables: the iptables-save and ip6tables-save dumps")
      ->required();
  app.add_option("--ipsets", args->ipsets, "iptables: `ipset save` output for -m set");
  app.add_option("--context", args->context,
                 "the VDOM (fortigate) to read where the config holds several");
  app.add_option("--format,-f", args->format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.footer("Exit status: 0 every line understood; 1 lines not understood; 2 unreadable file or "
             "not this vendor's format; 3 internal error.");
  return [args] { return run_parse_command(*args); };
}

}  // namespace sanso::cli
