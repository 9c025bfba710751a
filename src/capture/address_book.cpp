#include "capture/address_book.h"

#include <algorithm>

namespace sanso::capture {

AddressBook::AddressBook(const topology::Topology& topology) : topology_(topology), plan_(topology) {
  for (auto f : {model::Family::V4, model::Family::V6}) {
    for (const auto& r : topology::AddressPlan::special_purpose(f)) special_.push_back(r);
  }
  std::sort(special_.begin(), special_.end());
  for (const auto& h : topology_.hosts) {
    for (const auto& i : h.interfaces) {
      if (i.mac) macs_.insert(*i.mac);
      if (i.ip) hosts_.emplace(*i.ip, HostAddress{&h, i.mac.value_or(0)});
    }
  }
}

Place AddressBook::locate(const model::IpAddress& a) const {
  Place p;
  p.segment = plan_.segment_of(a);
  if (p.segment != nullptr) {
    p.zone = topology_.find_zone(p.segment->zone);
  } else if (plan_.is_undeclared_private(a)) {
    p.undeclared_private = true;
  } else {
    // The last range starting at or before the address.
    auto it = std::upper_bound(special_.begin(), special_.end(), a,
                               [](const model::IpAddress& x, const model::IpRange& r) {
                                 return x.family != r.family ? x.family < r.family : x.value < r.lo;
                               });
    if (it != special_.begin()) {
      --it;
      p.special = it->family == a.family && it->lo <= a.value && a.value <= it->hi;
    }
  }
  p.host = host_of(a);
  return p;
}

const topology::Host* AddressBook::host_of(const model::IpAddress& a) const {
  auto it = hosts_.find(a);
  return it == hosts_.end() ? nullptr : it->second.host;
}

std::uint64_t AddressBook::registered_mac_of(const model::IpAddress& a) const {
  auto it = hosts_.find(a);
  return it == hosts_.end() ? 0 : it->second.mac;
}

}  // namespace sanso::capture
