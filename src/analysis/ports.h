#pragma once
// The ports of a device: the concrete interfaces through which packets enter and leave it.
//
// Topology interface keys may be prefix wildcards ("eth2+": every VLAN sub-interface of eth2), and
// config rules may name interfaces more finely ("-i eth2.10") or more coarsely ("-i eth+"). A
// port is one class of interface names that every rule treats alike: an exact name the config
// mentions, or "any other name under this prefix", represented by a name no rule spells out
// (the prefix stem followed by '\x01'). Evaluating rules on a port's representative name is then
// exact for every real interface of that class.
#include <string>
#include <vector>

#include "model/device.h"
#include "topology/topology.h"

namespace sanso::analysis {

struct Port {
  std::string name;     ///< representative interface name (printable via display_name)
  std::string segment;  ///< empty: the config names the interface but the topology attaches it nowhere
};

/// Readable name of a port: the representative with its '\x01' marker spelled "<other>".
std::string display_name(const Port& port);

/// Ports of `device`: every class of interface names attached to a segment by `topology_device`,
/// plus every exact interface name the device's transit rules mention that no topology key
/// attaches (segment empty).
std::vector<Port> device_ports(const topology::Device& topology_device, const model::Device* device);

}  // namespace sanso::analysis
