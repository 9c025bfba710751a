#pragma once
// Example City's topology and the built-in rule pack, compiled for a capture point (tests only).
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "capture/classifier.h"
#include "policy/rule_pack.h"
#include "topology/load.h"

namespace sanso::test_city {

inline std::unique_ptr<capture::Classifier> classifier(const std::string& capture_point,
                                                       const std::string& replace = "",
                                                       const std::string& with = "") {
  const std::string path = SANSO_SOURCE_DIR "/topology/example-city/network.yaml";
  topology::LoadResult load;
  if (replace.empty()) {
    load = topology::load_topology(path);
  } else {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(replace);
    REQUIRE(at != std::string::npos);
    text.replace(at, replace.size(), with);
    load = topology::load_topology_text(text, path);
  }
  REQUIRE(load.topology);
  auto pack = policy::load_rule_pack(SANSO_SOURCE_DIR "/rules/three-tier.yaml");
  REQUIRE(pack.pack);
  std::string error;
  auto c = capture::Classifier::build(std::make_unique<topology::Topology>(std::move(*load.topology)),
                                      std::move(*pack.pack), capture_point, error);
  REQUIRE_MESSAGE(c, error);
  return c;
}

}  // namespace sanso::test_city
