#include "analysis/network.h"

#include <atomic>
#include <set>
#include <thread>

#include <algorithm>

namespace sanso::analysis {
namespace {

model::PacketSet as_sources(const std::vector<model::IpRange>& ranges) {
  model::PacketSet s;
  for (const auto& r : ranges) s |= model::PacketSet::src(r);
  return s;
}

model::PacketSet as_destinations(const std::vector<model::IpRange>& ranges) {
  model::PacketSet s;
  for (const auto& r : ranges) s |= model::PacketSet::dst(r);
  return s;
}

Knowledge knowledge_of(const topology::Device& d, bool parsed) {
  if (!d.vendor) return Knowledge::NoConfig;
  return parsed ? Knowledge::Modelled : Knowledge::Unsupported;
}

}  // namespace

Network::Network(const topology::Topology& topology,
                 const std::map<std::string, model::Device>& devices)
    : topology_(topology), plan_(topology), graph_(topology.segments.size() + topology.devices.size()) {
  for (std::size_t i = 0; i < topology_.segments.size(); ++i) {
    segment_index_[topology_.segments[i].name] = i;
  }
  for (std::size_t d = 0; d < topology_.devices.size(); ++d) {
    const auto& td = topology_.devices[d];
    auto it = devices.find(td.name);
    const model::Device* parsed = it == devices.end() ? nullptr : &it->second;
    NetworkDevice nd;
    nd.name = td.name;
    nd.ports = device_ports(td, parsed);
    nd.behavior = std::make_unique<DeviceBehavior>(td.name, knowledge_of(td, parsed != nullptr), parsed);
    std::set<std::size_t> linked;
    for (const auto& port : nd.ports) {
      if (port.segment.empty()) continue;
      const std::size_t s = segment_index(port.segment);
      if (linked.insert(s).second) boost::add_edge(s, topology_.segments.size() + d, graph_);
    }
    devices_.push_back(std::move(nd));
  }
  const std::size_t first_device = topology_.segments.size();
  on_segment_.resize(topology_.segments.size());
  for (std::size_t s = 0; s < topology_.segments.size(); ++s) {
    for (auto [it, end] = boost::adjacent_vertices(s, graph_); it != end; ++it) {
      if (*it >= first_device) on_segment_[s].push_back(*it - first_device);
    }
    std::sort(on_segment_[s].begin(), on_segment_[s].end());
  }
  for (std::size_t d = 0; d < devices_.size(); ++d) {
    const auto& ports = devices_[d].ports;
    if (std::any_of(ports.begin(), ports.end(), [](const Port& p) { return p.segment.empty(); })) {
      unattached_.push_back(d);
    }
  }
  for (std::size_t i = 0; i < topology_.segments.size(); ++i) {
    const auto& seg = topology_.segments[i];
    auto ranges = plan_.space_of_segment(seg.name);
    for (const auto& zone : seg.reaches) {
      auto more = plan_.space_of_zone(zone);
      ranges.insert(ranges.end(), more.begin(), more.end());
    }
    source_space_.push_back(as_sources(ranges));
    dest_space_.push_back(as_destinations(ranges));
  }
}

std::size_t Network::segment_index(const std::string& name) const { return segment_index_.at(name); }

bool Network::is_end(std::size_t segment) const {
  const auto* zone = topology_.find_zone(topology_.segments[segment].zone);
  return zone != nullptr && zone->external;
}


void Network::lower_all(unsigned threads) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t d = next++; d < devices_.size(); d = next++) {
      auto& dev = devices_[d];
      for (const auto& in : dev.ports) {
        for (const auto& out : dev.ports) {
          if (&in != &out) dev.behavior->between(in.name, out.name);
        }
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

model::PacketSet Network::zone_sources(const std::string& zone) const {
  return as_sources(plan_.space_of_zone(zone));
}

model::PacketSet Network::zone_destinations(const std::string& zone) const {
  return as_destinations(plan_.space_of_zone(zone));
}

}  // namespace sanso::analysis
