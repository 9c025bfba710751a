#pragma once
// Whether an allow entry is valid for its kind (TOPOLOGY.md "Entry validity by kind"). An invalid
// entry is not an input error: it is a finding of its kind's rule and allows nothing.
#include <string>
#include <vector>

#include "topology/topology.h"

namespace sanso::topology {

struct EntryProblem {
  std::string rule;  ///< "MN-SPECIFIC-COMM", "SANITIZE-MAIL", "SANITIZE-SCREEN", "SANITIZE-FILE",
                     ///< "MN-NATIONAL-VIA-LGWAN", "MN-SCREEN-XFER", "MN-ISOLATE", "LG-INET-SPLIT"
  std::string message_en;
  std::string message_ja;
};

/// Every problem of `entry` against the table; empty = valid. `entry` must come from a loaded
/// `topology` (its names resolve). Pure: no state, no I/O.
std::vector<EntryProblem> check_entry(const Topology& topology, const AllowEntry& entry);

}  // namespace sanso::topology
