#pragma once
// Where an observed address belongs (TOPOLOGY.md "Where an address belongs"), compiled once per
// topology for the per-flow hot path: segment, zone and registered host of an address, and the
// registered MACs (the inventory: hosts and inventory files).
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/address.h"
#include "topology/address_plan.h"
#include "topology/topology.h"

namespace sanso::capture {

struct Place {
  const topology::Segment* segment = nullptr;  ///< nullptr: no segment claims the address
  const topology::Zone* zone = nullptr;
  const topology::Host* host = nullptr;        ///< a registered host with this address
  bool special = false;             ///< special-purpose (link-local, multicast, ...): local
  bool undeclared_private = false;  ///< private space no segment declares (ZONE-ASSIGN)
};

class AddressBook {
 public:
  /// `topology` must outlive the book.
  explicit AddressBook(const topology::Topology& topology);

  Place locate(const model::IpAddress& a) const;
  const topology::Host* host_of(const model::IpAddress& a) const;
  /// A MAC registered to any host interface.
  bool registered_mac(std::uint64_t mac) const { return macs_.contains(mac); }
  /// The registered MAC of a host address, 0 when the host has none.
  std::uint64_t registered_mac_of(const model::IpAddress& a) const;
  const topology::AddressPlan& plan() const { return plan_; }

 private:
  struct AddressHash {
    std::size_t operator()(const model::IpAddress& a) const {
      const auto lo = static_cast<std::uint64_t>(a.value);
      const auto hi = static_cast<std::uint64_t>(a.value >> 64);
      return (lo * 0x9e3779b97f4a7c15ull) ^ (hi + static_cast<std::uint64_t>(a.family));
    }
  };
  struct HostAddress {
    const topology::Host* host = nullptr;
    std::uint64_t mac = 0;
  };

  const topology::Topology& topology_;
  topology::AddressPlan plan_;
  std::vector<model::IpRange> special_;  ///< sorted, both families
  std::unordered_map<model::IpAddress, HostAddress, AddressHash> hosts_;
  std::unordered_set<std::uint64_t> macs_;
};

}  // namespace sanso::capture
