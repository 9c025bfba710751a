#pragma once
// Where a modelled object came from: every answer sanso gives can be traced back to a line.
#include <optional>
#include <string>

namespace sanso::model {

/// A location in an input file. `line` is 1-based; nullopt for implicit defaults
/// (an implicit deny, a chain policy that was never written).
struct SourceRef {
  std::string file;                 ///< path as written in network.yaml (or as given on the CLI)
  std::optional<int> line;          ///< first line of the construct
  std::optional<int> end_line;      ///< last line where the construct spans several
  std::string text;                 ///< the line's text, or e.g. "implicit deny", "policy DROP"

  friend bool operator==(const SourceRef&, const SourceRef&) = default;
};

}  // namespace sanso::model
