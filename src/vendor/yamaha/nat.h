#pragma once
// NAT descriptors bound to interfaces -> model::DestinationNat / model::SourceNat.
//
// Order against the filters (docs/vendors/yamaha-rtx.md "NAT"): on the interface a descriptor is
// bound to, packets received are translated before its `secure filter in` list and packets sent
// are translated after its `secure filter out` list, so both lists see the inner addresses. This
// is read from the vendor's own port-forwarding template (the `in` list passes the inner address
// of a `masquerade static` entry); no command reference page states it. It is what
// model::Device::destination_nat (before the filters) and source_nat (after them) express.
#include <map>
#include <string>
#include <vector>

#include "model/device.h"
#include "vendor/yamaha/config.h"

namespace sanso::vendor::yamaha {

struct NatModel {
  std::vector<model::DestinationNat> destination;
  std::vector<model::SourceNat> source;
  std::vector<model::SourceRef> unmodelled;  ///< NAT whose effect sanso cannot state
  std::map<int, std::vector<std::string>> notes;  ///< coverage reasons by line
  std::vector<model::ObjectIssue> issues;
  bool bound = false;  ///< some descriptor is bound to an interface (the ordering above applies)
};

NatModel lower_nat(const YamahaConfig& cfg);

}  // namespace sanso::vendor::yamaha
