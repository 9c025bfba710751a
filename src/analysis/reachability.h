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

/// Where a full walk entered devices, in walk order, with the packets it carried there: lets
/// compute_reachability_through resume at the last state before a changed device instead of
/// walking again from every source (impact). Valid while no device's behaviour changes, except
/// the ones a resumed walk is asked to go through.
struct WalkRecord {
  /// The walk arriving on a segment (or starting there): what a step from it is given.
  struct Arrival {
    std::size_t origin = 0;
    std::vector<Hop> hops;  ///< the path so far
    std::size_t segment = 0;
    model::PacketSet may;
    model::PacketSet must;
    bool source_rewritten = false;
  };
  /// The walk entering `device` from an arrival.
  struct Entry {
    std::size_t arrival = 0;  ///< index into arrivals
    std::size_t device = 0;
  };
  std::vector<Arrival> arrivals;
  std::vector<Entry> entries;
};

/// Every path flow with a non-empty `may` set. Paths visit each device at most once; segments of
/// external zones are ends. An interface a config filters on but the topology attaches nowhere
/// is treated as possibly attached to any segment, and nothing through it is proven. After a
/// device with source NAT, later devices are judged for any source address (the packets keep
/// their original source in the set, which is what decides their zone) and prove nothing.
std::vector<PathFlow> compute_reachability(Network& network, ReachabilityStats* stats = nullptr);

/// The same, recording the walk for compute_reachability_through.
std::vector<PathFlow> compute_reachability(Network& network, WalkRecord& record);

/// The path flows of compute_reachability that pass at least one device of `through` (indices
/// into Network::devices()), in the same order: the only flows a change of those devices can
/// alter (impact). Prefixes from which no such device can still be reached are not walked.
std::vector<PathFlow> compute_reachability_through(Network& network,
                                                   const std::vector<std::size_t>& through,
                                                   ReachabilityStats* stats = nullptr);

/// The same flows, resumed from `record` (of the network before `through` changed) where each
/// path first enters a device of `through`: nothing before that point can have changed.
std::vector<PathFlow> compute_reachability_through(Network& network,
                                                   const std::vector<std::size_t>& through,
                                                   const WalkRecord& record);

/// The same walk started from the connection-opening packets of `packets` only (one flow, for
/// `sanso trace`): each path's sets are what the full walk's sets hold of those packets (their
/// images, where a device rewrites destinations).
std::vector<PathFlow> compute_reachability(Network& network, const model::PacketSet& packets,
                                           ReachabilityStats* stats = nullptr);

}  // namespace sanso::analysis
