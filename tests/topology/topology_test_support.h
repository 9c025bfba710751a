#pragma once
// Shared by the topology tests: the example of TOPOLOGY.md and error rendering.
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "topology/load.h"

// Failed comparisons of error lists print the lists.
namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string out = "{";
    for (const auto& s : v) out += "\n  \"" + s + "\"";
    return (out + "}").c_str();
  }
};
}  // namespace doctest

namespace sanso::topology::testing {

/// The ```yaml block of /work/shared/TOPOLOGY.md, or nullopt when the shared folder is absent.
inline std::optional<std::string> contract_example() {
  std::ifstream in(std::string(SANSO_SHARED_DIR) + "/TOPOLOGY.md");
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  const std::string md = text.str();
  const auto start = md.find("```yaml\n");
  if (start == std::string::npos) return std::nullopt;
  const auto body = start + 8;
  const auto end = md.find("```", body);
  if (end == std::string::npos) return std::nullopt;
  return md.substr(body, end - body);
}

/// Every error of loading `yaml` as "network.yaml", rendered.
inline std::vector<std::string> errors_of(const std::string& yaml,
                                          const std::string& path = "network.yaml") {
  std::vector<std::string> out;
  for (const auto& e : load_topology_text(yaml, path).errors) out.push_back(e.render());
  return out;
}

/// A valid minimal header: version, two segments per tier, a few hosts.
inline const char* kBase = R"(sanso: 1
zones:
  the-internet: {tier: internet, external: true}
segments:
  mn-a: {zone: mynumber, cidr: 10.1.0.0/24}
  lg-a: {zone: lgwan, cidr: 10.2.0.0/24}
  in-a: {zone: internet, cidr: 172.16.0.0/24}
  world: {zone: the-internet, cidr: 0.0.0.0/0}
)";

}  // namespace sanso::topology::testing
