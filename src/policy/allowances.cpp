#include "policy/allowances.h"

namespace sanso::policy {

std::vector<model::IpRange> Allowances::addresses(const analysis::Network& network,
                                                  const topology::Endpoint& e) {
  const auto& topo = network.topology();
  switch (e.kind) {
    case topology::Endpoint::Kind::Host: {
      std::vector<model::IpRange> out;
      if (const auto* h = topo.find_host(e.name)) {
        for (const auto& i : h->interfaces) {
          if (i.ip) out.push_back({i.ip->family, i.ip->value, i.ip->value});
        }
      }
      return out;
    }
    case topology::Endpoint::Kind::Segment:
      return network.plan().space_of_segment(e.name);
    case topology::Endpoint::Kind::Zone:
      return network.plan().space_of_zone(e.name);
  }
  return {};
}

Allowances::Allowances(const analysis::Network& network, const topology::Topology& topology) {
  const auto opening = model::PacketSet::connection_opening();
  for (const auto& entry : topology.allow) {
    DeclaredCrossing d;
    d.entry = &entry;
    model::PacketSet src, dst, services;
    for (const auto& r : addresses(network, entry.from)) src |= model::PacketSet::src(r);
    for (const auto& r : addresses(network, entry.to)) dst |= model::PacketSet::dst(r);
    for (const auto& s : entry.services) services |= s.packets;
    d.endpoints = src & dst;
    d.packets = d.endpoints & services & opening;
    d.destination = dst & opening;
    d.problems = topology::check_entry(topology, entry);
    if (d.valid()) allowed_ |= d.packets;
    entries_.push_back(std::move(d));
  }
}

}  // namespace sanso::policy
