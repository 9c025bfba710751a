#pragma once
// Loading network.yaml (TOPOLOGY.md) into a Topology. Every problem in the input is a LoadError
// with file:line:column and what was expected; nothing throws out of this module, whatever the
// input (binary garbage, deep nesting, wrong types everywhere).
#include <optional>
#include <string>
#include <vector>

#include "topology/topology.h"

namespace sanso::topology {

struct LoadError {
  std::string file;
  int line = 0;    ///< 1-based; 0 when the error concerns the whole file
  int column = 0;  ///< 1-based; 0 when unknown
  std::string message;
  /// "file:line:col: message" (line and column left out when unknown).
  std::string render() const;
};

struct LoadResult {
  std::optional<Topology> topology;  ///< present iff errors is empty
  std::vector<LoadError> errors;     ///< ordered: network.yaml by position, then other files
};

/// `path` is a network.yaml file or a directory holding one.
LoadResult load_topology(const std::string& path);
/// The same from text already in memory; inventory files are read relative to the directory of
/// `path`, and errors name `path`.
LoadResult load_topology_text(const std::string& yaml_text, const std::string& path);

}  // namespace sanso::topology
