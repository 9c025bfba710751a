#pragma once
// Reachability: every device path from one segment to another and the exact packets that can
// open a connection along it (TOPOLOGY.md "How packets move").
#include <string>
#include <vector>

#include "analysis/network.h"
#include "model/packet_set.h"

namespace sanso::analysis {

struct Hop {
  std::size_t device = 0;   ///< index into Network::devices()
  std::string in_port;
  std::string out_port;
  std::size_t in_segment = 0;
  std::size_t out_segment = 0;
  bool unattached = false;  ///< enters or leaves through an interface the topology attaches nowhere
  /// An earlier device on the path rewrote the source (source NAT): this hop was judged for any
  /// source address, and nothing past it is proven.
  bool source_rewritten = false;
  /// This device's destination NAT rewrote destinations: hops before it judged the packets'
  /// original destination, while the path's sets hold the rewritten one.
  bool destination_rewritten = false;
};

/// The packets that open a connection from `from` to `to` along one device path.
struct PathFlow {
  std::size_t from = 0;  ///< segment where the packets enter the graph
  std::size_t to = 0;    ///< segment where they are delivered
  std::vector<Hop> hops;
  model::PacketSet may;   ///< could cross
  model::PacketSet must;  ///< crosses whatever the undecidable conditions are (must ⊆ may)
};

struct ReachabilityStats {
  std::size_t paths = 0;
};

/// Every path flow with a non-empty `may` set. Paths visit each device at most once; segments of
/// external zones are ends. An interface a config filters on but the topology attaches nowhere
/// is treated as possibly attached to any segment, and nothing through it is proven. After a
/// device with source NAT, later devices are judged for any source address (the packets keep
/// their original source in the set, which is what decides their zone) and prove nothing.
std::vector<PathFlow> compute_reachability(Network& network, ReachabilityStats* stats = nullptr);

/// The path flows of compute_reachability that pass at least one device of `through` (indices
/// into Network::devices()), in the same order: the only flows a change of those devices can
/// alter (impact). Prefixes from which no such device can still be reached are not walked.
std::vector<PathFlow> compute_reachability_through(Network& network,
                                                   const std::vector<std::size_t>& through,
                                                   ReachabilityStats* stats = nullptr);

/// The same walk started from the connection-opening packets of `packets` only (one flow, for
/// `sanso trace`): each path's sets are what the full walk's sets hold of those packets (their
/// images, where a device rewrites destinations).
std::vector<PathFlow> compute_reachability(Network& network, const model::PacketSet& packets,
                                           ReachabilityStats* stats = nullptr);

}  // namespace sanso::analysis
