#pragma once
// The packet sets that the topology's `allow` entries declare, and which of them are valid
// (TOPOLOGY.md "Entry validity by kind": an invalid entry is a finding and allows nothing).
#include <string>
#include <vector>

#include "analysis/network.h"
#include "model/packet_set.h"
#include "topology/entry_validity.h"
#include "topology/topology.h"

namespace sanso::policy {

struct DeclaredCrossing {
  const topology::AllowEntry* entry = nullptr;
  model::PacketSet endpoints;  ///< source addresses of `from` x destination addresses of `to`
  model::PacketSet packets;    ///< endpoints x services, connection-opening packets only
  model::PacketSet destination;  ///< any source -> `to`, any service (connection-opening)
  std::vector<topology::EntryProblem> problems;  ///< empty: valid
  bool valid() const { return problems.empty(); }
};

class Allowances {
 public:
  Allowances(const analysis::Network& network, const topology::Topology& topology);

  const std::vector<DeclaredCrossing>& entries() const { return entries_; }
  /// Union of every valid entry's packets.
  const model::PacketSet& allowed() const { return allowed_; }

  /// Addresses of an endpoint (a host's addresses, a segment's or zone's space).
  static std::vector<model::IpRange> addresses(const analysis::Network& network,
                                               const topology::Endpoint& e);

 private:
  std::vector<DeclaredCrossing> entries_;
  model::PacketSet allowed_;
};

}  // namespace sanso::policy
