#pragma once
// What the subcommands share: exit codes, language choice, the rule pack, reading devices.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/device.h"
#include "policy/rule_pack.h"
#include "report/text.h"
#include "topology/topology.h"

namespace sanso::cli {

/// DESIGN §5 exit status.
enum ExitCode : int { kClean = 0, kFindings = 1, kInputError = 2, kInternalError = 3 };

/// --lang, else LC_ALL / LC_MESSAGES / LANG ("ja*" -> ja), else en (also for C/POSIX).
report::Lang choose_lang(const std::string& flag);

/// The built-in rule pack (rules/three-tier.yaml beside the executable's share dir or in the
/// source tree), or `explicit_path` when given.
std::optional<std::string> find_rule_pack(const std::string& explicit_path);

/// Reads a whole file; nullopt and `error` set when it cannot be read.
std::optional<std::string> read_file(const std::string& path, std::string& error);

/// Today's date as YYYY-MM-DD (local time), for waiver expiry.
std::string today();

/// Worker threads for parsing and lowering: the machine's cores, at most 8.
unsigned worker_threads();

struct LoadedDevices {
  std::map<std::string, model::Device> devices;
  std::map<std::string, std::string> unsupported;  ///< device -> reason
  std::vector<std::string> errors;                 ///< fatal: file cannot be read / wrong format
};

/// Reads and parses every device config the topology names.
LoadedDevices load_devices(const topology::Topology& topology);

/// Loads the built-in pack and the topology's extra packs; errors are printed to stderr.
std::optional<policy::RulePack> load_rules(const topology::Topology* topology,
                                           const std::string& rules_flag);

}  // namespace sanso::cli
