#pragma once
// ASA NAT (8.3 and later) -> model::Device destination and source NAT.
//
// Since 8.3 access rules name REAL (untranslated) addresses (CLI configuration guide, "IP
// Addresses Used for Access Lists When You Use NAT": the access-group command uses the real
// address "even if the address as seen on an interface is the mapped address"). The model applies
// destination NAT as packets enter, before the filters (device.h DestinationNat), so a packet
// sent to a static NAT's mapped address reaches the filters with the real address: exactly what
// the ACL names. Static NAT is bidirectional: its reverse direction is the destination NAT of
// packets arriving on the mapped interface. Dynamic NAT/PAT and the forward direction of static
// NAT rewrite sources (model::SourceNat). Pre-8.3 NAT (`static`, `global`, `nat (if) N`) is not
// modelled: the device's crossings are unproven.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/device.h"
#include "vendor/asa/config.h"
#include "vendor/asa/resolve.h"

namespace sanso::vendor::asa {

struct NatNotes {
  std::map<int, std::string> lines;
  std::set<std::string_view> relied;
};

void lower_nat(const AsaConfig& cfg, Resolver& resolver, const std::vector<std::string_view>& lines,
               model::Device& d, NatNotes& notes);

}  // namespace sanso::vendor::asa
