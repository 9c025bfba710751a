#include "cli/main.h"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"

namespace sanso::cli {
namespace {

struct Command {
  const char* name;
  const char* help;
  Runner (*add)(CLI::App&);
};

// The subcommands, in the order --help lists them.
constexpr Command kCommands[] = {
    {"audit", "audit a municipality's topology and device configs for three-tier separation",
     &add_audit},
    {"impact", "what a config change does to the tier crossings (before/after, or --change)",
     &add_impact},
    {"monitor", "watch traffic (pcap/pcapng files or a live span port) for tier crossings",
     &add_monitor},
    {"trace", "explain one flow: its paths, each device's deciding rule, the verdict and the policy rule",
     &add_trace},
    {"parse", "show what sanso understood of one device config", &add_parse},
    {"verify-log", "check that a monitor alert log is intact (HMAC chain, seal, rotation)", &add_verify_log},
};

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{
      "sanso: verifies the three-tier separation (三層の対策) of a municipal network from its "
      "topology, firewall configs and traffic"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sanso 0.1.0");
  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const auto& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    runners.emplace_back(sub, c.add(*sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kClean : kInputError;
  }
  try {
    for (auto& [sub, runner] : runners) {
      if (sub->parsed()) return runner();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sanso: internal error: %s\n", e.what());
    return kInternalError;
  }
  return kInputError;
}

}  // namespace sanso::cli
