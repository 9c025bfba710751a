#pragma once
// model::Network: the topology as a graph of segments and devices (Boost.Graph), with what each
// device forwards between its ports and where every address belongs.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "analysis/device_behavior.h"
#include "analysis/ports.h"
#include "model/device.h"
#include "model/packet_set.h"
#include "topology/address_plan.h"
#include "topology/topology.h"

namespace sanso::analysis {

struct NetworkDevice {
  std::string name;
  std::vector<Port> ports;
  std::unique_ptr<DeviceBehavior> behavior;
};

class Network {
 public:
  /// `devices` maps device name -> parsed model (absent for devices without config or with an
  /// unsupported vendor). The topology and the models must outlive the network.
  Network(const topology::Topology& topology, const std::map<std::string, model::Device>& devices);

  const topology::Topology& topology() const { return topology_; }
  const topology::AddressPlan& plan() const { return plan_; }

  std::size_t segment_count() const { return topology_.segments.size(); }
  const topology::Segment& segment(std::size_t i) const { return topology_.segments[i]; }
  std::size_t segment_index(const std::string& name) const;
  /// The segment's zone is external: packets end there and never transit it.
  bool is_end(std::size_t segment) const;

  std::vector<NetworkDevice>& devices() { return devices_; }
  const std::vector<NetworkDevice>& devices() const { return devices_; }
  /// Devices attached to a segment (through at least one port), ascending.
  const std::vector<std::size_t>& devices_on(std::size_t segment) const { return on_segment_[segment]; }
  /// Devices with a port the topology attaches nowhere: they may sit on any segment.
  const std::vector<std::size_t>& devices_unattached() const { return unattached_; }

  /// Addresses a packet may carry as source when it enters on this segment (its own space, and for
  /// external segments with `reaches:` everything of the zones it stands for), as a set of
  /// source (destination) constraints.
  const model::PacketSet& source_space(std::size_t segment) const { return source_space_[segment]; }
  const model::PacketSet& destination_space(std::size_t segment) const { return dest_space_[segment]; }
  /// Lowers every port pair of every device ahead of the walk, spreading whole devices over
  /// `threads` workers (each device's cache is touched by one thread only).
  void lower_all(unsigned threads);

  /// Every address of a zone as a source (destination) constraint.
  model::PacketSet zone_sources(const std::string& zone) const;
  model::PacketSet zone_destinations(const std::string& zone) const;

 private:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

  const topology::Topology& topology_;
  topology::AddressPlan plan_;
  std::vector<NetworkDevice> devices_;
  Graph graph_;  // vertices: segments [0, S), then devices [S, S + D)
  std::vector<model::PacketSet> source_space_;
  std::vector<model::PacketSet> dest_space_;
  std::map<std::string, std::size_t> segment_index_;
  std::vector<std::vector<std::size_t>> on_segment_;  // from graph_, once
  std::vector<std::size_t> unattached_;
};

}  // namespace sanso::analysis
